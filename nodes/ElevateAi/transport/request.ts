import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkBaseUrl } from '../helpers/baseUrl';
import { CREDENTIAL_TYPE } from '../helpers/contract';
import { cancelledError } from '../helpers/errors';
import type { MultipartBody } from '../helpers/multipart';
import { isCancelled, sleepUntilCancelled } from '../helpers/wait';
import type { Failure } from './failures';
import { failureError, networkFailure, provesNothingCreated } from './failures';
import type { RetryMode } from './retry';
import { DEFAULT_RETRY_SETTINGS, isRetryable, retryDelayMs } from './retry';

/**
 * The only place that talks HTTP to ElevateAI: authentication (through n8n's credential
 * system), base URL, retries, timeouts and turning failures into n8n errors. The client in
 * `interactions.ts` describes each request and how it may be retried; nothing else calls an
 * HTTP helper, and nothing here reads the node's parameters.
 */

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with `/`; identifiers in it must be validated GUIDs. */
	path: string;
	body?: IDataObject;
	/** Builds the multipart body; called once per attempt so a retry gets a fresh file stream. */
	multipart?: () => MultipartBody;
	headers?: IDataObject;
	itemIndex?: number;
	retry: RetryMode;
	/** How often a failed request may be repeated (the Max Retries option, already validated). */
	maxRetries?: number;
	/** Asked before each retry; returning false stops retrying and surfaces the last failure. */
	beforeRetry?: () => Promise<boolean>;
	timeoutMs?: number;
	/** Any 2xx is success and its body is not read (upload, delete: ElevateAI sends nothing useful). */
	ignoreSuccessBody?: boolean;
}

export interface ApiResponse<T> {
	statusCode: number;
	/** `undefined` for empty answers (201 upload, 204 empty transcript, 200 delete). */
	body: T | undefined;
}

function parseBody(raw: unknown): { ok: true; body: unknown } | { ok: false; text: string } {
	if (raw === undefined || raw === null) return { ok: true, body: undefined };
	if (typeof raw !== 'string') return { ok: true, body: raw };
	if (raw.trim() === '') return { ok: true, body: undefined };
	try {
		return { ok: true, body: JSON.parse(raw) };
	} catch {
		return { ok: false, text: raw };
	}
}

type ElevateAiCredentials = { apiToken?: string; baseUrl?: string };

/**
 * The decrypted credential of each item, read once per node run: n8n decrypts it on every
 * `getCredentials` call (~0.4 ms in n8n 2.41, bench/profile.mjs), and Transcribe or a wait makes
 * many requests per item. Keyed by the run's context, so nothing outlives the node's run; per
 * item, as n8n resolves a credential per item.
 */
const credentialsOfRun = new WeakMap<IExecuteFunctions, Map<number, Promise<ElevateAiCredentials>>>();

async function credentialsFor(ctx: IExecuteFunctions, itemIndex: number): Promise<ElevateAiCredentials> {
	let byItem = credentialsOfRun.get(ctx);
	if (!byItem) credentialsOfRun.set(ctx, (byItem = new Map()));
	let credentials = byItem.get(itemIndex);
	if (!credentials) {
		credentials = ctx.getCredentials<ElevateAiCredentials>(CREDENTIAL_TYPE, itemIndex);
		byItem.set(itemIndex, credentials);
		// A failed read is not kept: the next request asks n8n again.
		credentials.catch(() => byItem?.delete(itemIndex));
	}
	return await credentials;
}

export async function elevateAiApiRequest<T = IDataObject>(
	ctx: IExecuteFunctions,
	request: ApiRequest,
): Promise<ApiResponse<T>> {
	// ctx.getNode() deep-copies the node's parameters on every call: only an error needs it, and a
	// Transcribe of 1,000 chats makes ~5,000 requests (bench/p6-memory.mjs: 16 MB of copies).
	const node = () => ctx.getNode();
	const itemIndex = request.itemIndex ?? 0;
	const credentials = await credentialsFor(ctx, itemIndex);
	const token = String(credentials.apiToken ?? '');
	const base = checkBaseUrl(credentials.baseUrl);
	if (!base.ok) {
		throw new NodeOperationError(
			node(),
			`Invalid Base URL in the ElevateAI credential: ${base.problem}`,
			{ itemIndex },
		);
	}
	const baseURL = base.baseUrl;
	const settings = {
		...DEFAULT_RETRY_SETTINGS,
		maxRetries: request.maxRetries ?? DEFAULT_RETRY_SETTINGS.maxRetries,
	};
	const startedAt = Date.now();
	// Set once an attempt may have reached ElevateAI: only then does a later 404 on a delete mean
	// "already deleted by that attempt" rather than "never existed".
	let outcomeUnknown = false;

	for (let attempt = 0; ; attempt++) {
		const options: IHttpRequestOptions = {
			method: request.method,
			baseURL,
			url: request.path,
			headers: { Accept: 'application/json', ...request.headers },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
			// ElevateAI never redirects. Following one would carry the X-API-Token header to whatever
			// host the Location names (and make axios buffer a whole upload to replay it): report it.
			disableFollowRedirect: true,
		};
		if (request.multipart) {
			options.body = request.multipart() as unknown as IHttpRequestOptions['body'];
		} else if (request.body !== undefined) {
			options.body = request.body;
			options.json = true;
		}

		let failure: Failure;
		try {
			// The credential was read above; handing it over saves n8n decrypting it again per request.
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				CREDENTIAL_TYPE,
				options,
				{ credentialsDecrypted: { id: '', name: '', type: CREDENTIAL_TYPE, data: credentials } },
			)) as { statusCode: number; body: unknown; headers: IDataObject };
			const parsed = parseBody(response.body);
			const succeeded = response.statusCode >= 200 && response.statusCode < 300;
			if (succeeded && request.ignoreSuccessBody) {
				return { statusCode: response.statusCode, body: undefined };
			} else if (succeeded && !parsed.ok) {
				failure = { kind: 'badJson', statusCode: response.statusCode, text: parsed.text };
			} else if (succeeded && parsed.ok) {
				return { statusCode: response.statusCode, body: parsed.body as T | undefined };
			} else if (request.method === 'DELETE' && outcomeUnknown && response.statusCode === 404) {
				// An earlier attempt reached the server after all: the interaction is gone, as asked.
				return { statusCode: response.statusCode, body: undefined };
			} else {
				// An error answer is classified by its status; a proxy's text or HTML body is kept as text.
				failure = {
					kind: 'http',
					statusCode: response.statusCode,
					body: parsed.ok ? parsed.body : parsed.text,
					headers: response.headers ?? {},
				};
			}
		} catch (error) {
			if (isCancelled(ctx)) throw cancelledError(node(), itemIndex);
			failure = networkFailure(error, token);
		}
		if (!provesNothingCreated(failure)) outcomeUnknown = true;

		if (attempt < settings.maxRetries && isRetryable(failure, request.retry)) {
			const delay = retryDelayMs(failure, attempt, settings);
			const withinBudget = Date.now() - startedAt + delay <= settings.maxTotalMs;
			if (withinBudget && (await (request.beforeRetry?.() ?? Promise.resolve(true)))) {
				await sleepUntilCancelled(ctx, delay);
				if (isCancelled(ctx)) throw cancelledError(node(), itemIndex);
				continue;
			}
		}
		throw failureError(node(), failure, {
			itemIndex,
			token,
			attempts: attempt + 1,
			baseURL,
			declare: request.retry === 'declare',
		});
	}
}

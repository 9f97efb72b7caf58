import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from '../helpers/model';
import type { MultipartBody } from '../helpers/multipart';
import { isCancelled, sleepUntilCancelled } from '../helpers/wait';
import { baseUrlProblem, maxRetriesSchema, parseField } from '../helpers/validation';

/**
 * The only place that talks HTTP to ElevateAI: authentication (through n8n's credential
 * system), base URL, retries, timeouts and turning failures into n8n errors. Operations describe
 * a request and how it may be retried; they never call an HTTP helper themselves.
 */

/**
 * How a request may be repeated when it fails:
 * - `idempotent`: GET/DELETE; any transient failure is retried.
 * - `declare`: creates an interaction that counts against quota; retried only when the answer
 *   proves nothing was created (429, 503 with an answer, connection refused before sending).
 * - `upload`: retried like `idempotent`, but only after `beforeRetry` confirms the interaction
 *   still waits for its file.
 */
export type RetryMode = 'idempotent' | 'declare' | 'upload';

export interface RetrySettings {
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** Retries stop once waiting again would pass this much time since the first attempt. */
	maxTotalMs: number;
}

export const DEFAULT_RETRY_SETTINGS: RetrySettings = {
	maxRetries: 5,
	baseDelayMs: 1_000,
	maxDelayMs: 60_000,
	maxTotalMs: 5 * 60_000,
};

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
	/** Asked before each retry; returning false stops retrying and surfaces the last failure. */
	beforeRetry?: () => Promise<boolean>;
	settings?: Partial<RetrySettings>;
	timeoutMs?: number;
}

export interface ApiResponse<T> {
	statusCode: number;
	/** `undefined` for empty answers (201 upload, 204 empty transcript, 200 delete). */
	body: T | undefined;
}

type Failure =
	| { kind: 'http'; statusCode: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code: string; message: string; sent: boolean }
	| { kind: 'badJson'; statusCode: number; text: string };

/** Connection errors that prove the request never reached the server. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);
/** For a declare, only these answers prove that no interaction was created. */
const DECLARE_SAFE_STATUSES = new Set([429, 503]);

const STATUS_HINTS: Record<number, string> = {
	400: 'ElevateAI rejected the request. Check the parameters named in the message.',
	401: 'Check the API token in the ElevateAI credential: it is missing, wrong, deactivated or revoked. Create or copy a token in the ElevateAI portal under API Tokens.',
	403: 'This API token is not allowed to do this. Check the account and token permissions in the ElevateAI portal.',
	404: 'The interaction does not exist, was deleted, or its results are not ready yet. Use Get Status or Wait For Completion before reading results.',
	409: 'The interaction is not waiting for an upload: the file was already uploaded, the interaction was declared with a Download URI, or it is a chat or transcript interaction.',
	413: 'The file is too large for ElevateAI. Split the recording, compress it (e.g. MP3), or let ElevateAI fetch it with a Download URI.',
	429: "ElevateAI's rate limit or monthly quota was reached. Lower the node's concurrency, spread the work over time, or check the quota in the ElevateAI portal.",
};

function hintFor(statusCode: number): string {
	if (STATUS_HINTS[statusCode]) return STATUS_HINTS[statusCode];
	if (statusCode >= 500) return 'ElevateAI had a temporary problem. Try again later.';
	if (statusCode >= 300 && statusCode < 400) {
		return 'ElevateAI answered with a redirect. Check the Base URL in the credential.';
	}
	return 'See the message for details.';
}

function networkCode(error: unknown): string {
	const candidates = [
		(error as { cause?: { code?: unknown } })?.cause?.code,
		(error as { code?: unknown })?.code,
		(error as { cause?: { cause?: { code?: unknown } } })?.cause?.cause?.code,
	];
	const code = candidates.find((c) => typeof c === 'string' && c !== '');
	if (code) return code as string;
	const message = String((error as Error)?.message ?? '');
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	if (/timeout/i.test(message)) return 'ETIMEDOUT';
	return 'EUNKNOWN';
}

function header(headers: IDataObject, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}

/** `Retry-After` in seconds or as an HTTP date; `undefined` when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter (50–100 % of the step) so a batch does not retry in lockstep. */
export function backoffMs(attempt: number, settings: RetrySettings): number {
	const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
	return Math.round(step * (0.5 + Math.random() * 0.5));
}

function isRetryable(failure: Failure, mode: RetryMode): boolean {
	if (failure.kind === 'network') {
		if (!failure.sent) return true;
		return mode !== 'declare';
	}
	if (failure.kind === 'badJson') return mode === 'idempotent';
	if (mode === 'declare') {
		if (!DECLARE_SAFE_STATUSES.has(failure.statusCode)) return false;
		// A 503 without a body may come from a proxy that gave up after forwarding the request.
		return failure.statusCode === 429 || hasBody(failure.body);
	}
	return TRANSIENT_STATUSES.has(failure.statusCode);
}

function hasBody(body: unknown): boolean {
	if (body === undefined || body === null) return false;
	if (typeof body === 'string') return body.trim() !== '';
	return typeof body === 'object' && Object.keys(body as object).length > 0;
}

/** Replaces the token wherever an answer might echo it (headers, URLs, debug text). */
export function redactSecret(text: string, secret: string): string {
	let result = text;
	// Case-insensitive: a GUID token may come back upper-cased.
	if (secret.length >= 4)
		result = result.replace(
			new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'),
			'[redacted]',
		);
	return result.replace(/(x-api-token["'\s]*[:=]\s*["']?)[^"',\s}]+/gi, '$1[redacted]');
}

function errorMessageOf(body: unknown): string | undefined {
	if (typeof body === 'string') {
		// A gateway's text or HTML page: its words only, short enough to read in an error.
		const text = body
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		return text === '' ? undefined : text.length > 200 ? `${text.slice(0, 199)}…` : text;
	}
	if (body && typeof body === 'object') {
		const value = (body as IDataObject).errorMessage ?? (body as IDataObject).message;
		if (typeof value === 'string' && value.trim() !== '') return value;
	}
	return undefined;
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

export async function elevateAiApiRequest<T = IDataObject>(
	ctx: IExecuteFunctions,
	request: ApiRequest,
): Promise<ApiResponse<T>> {
	const node = ctx.getNode();
	const itemIndex = request.itemIndex ?? 0;
	const credentials = await ctx.getCredentials<{ apiToken?: string; baseUrl?: string }>(
		CREDENTIAL_TYPE,
		itemIndex,
	);
	const token = String(credentials.apiToken ?? '');
	const baseURL = String(credentials.baseUrl || DEFAULT_BASE_URL).trim();
	const problem = baseUrlProblem(baseURL);
	if (problem) {
		throw new NodeOperationError(node, `Invalid Base URL in the ElevateAI credential: ${problem}`, {
			itemIndex,
		});
	}
	const settings = { ...DEFAULT_RETRY_SETTINGS, ...request.settings };
	settings.maxRetries = parseField(
		node,
		itemIndex,
		'Max Retries',
		maxRetriesSchema,
		ctx.getNodeParameter('options.maxRetries', itemIndex, settings.maxRetries),
	);
	const startedAt = Date.now();

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
			if (succeeded && !parsed.ok) {
				failure = { kind: 'badJson', statusCode: response.statusCode, text: parsed.text };
			} else if (succeeded && parsed.ok) {
				return { statusCode: response.statusCode, body: parsed.body as T | undefined };
			} else if (request.method === 'DELETE' && attempt > 0 && response.statusCode === 404) {
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
			if (isCancelled(ctx)) {
				throw new NodeOperationError(node, 'The execution was cancelled', { itemIndex });
			}
			const code = networkCode(error);
			failure = {
				kind: 'network',
				code,
				message: redactSecret(String((error as Error)?.message ?? code), token),
				sent: !NOT_SENT_CODES.has(code),
			};
		}

		if (attempt < settings.maxRetries && isRetryable(failure, request.retry)) {
			const asked =
				failure.kind === 'http' ? retryAfterMs(header(failure.headers, 'retry-after')) : undefined;
			const delay = asked ?? backoffMs(attempt, settings);
			const withinBudget = Date.now() - startedAt + delay <= settings.maxTotalMs;
			if (withinBudget && (await (request.beforeRetry?.() ?? Promise.resolve(true)))) {
				await sleepUntilCancelled(ctx, delay);
				if (isCancelled(ctx)) {
					throw new NodeOperationError(node, 'The execution was cancelled', { itemIndex });
				}
				continue;
			}
		}
		throw toNodeError(ctx, failure, request, { itemIndex, token, attempts: attempt + 1, baseURL });
	}
}

function toNodeError(
	ctx: IExecuteFunctions,
	failure: Failure,
	request: ApiRequest,
	info: { itemIndex: number; token: string; attempts: number; baseURL: string },
): NodeApiError {
	const { itemIndex, token, attempts } = info;
	const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	let message: string;
	let description: string;
	let httpCode: string | undefined;

	if (failure.kind === 'http') {
		httpCode = String(failure.statusCode);
		const apiMessage = errorMessageOf(failure.body) ?? `HTTP ${failure.statusCode}`;
		message = `ElevateAI error ${failure.statusCode}: ${apiMessage}${tried}`;
		description = hintFor(failure.statusCode);
		// Only an answer that proves nothing was created (see isRetryable) spares the warning.
		if (
			request.retry === 'declare' &&
			failure.statusCode >= 500 &&
			!isRetryable(failure, 'declare')
		) {
			description += ` ${MAYBE_CREATED}`;
		}
	} else if (failure.kind === 'badJson') {
		httpCode = String(failure.statusCode);
		message = `ElevateAI sent an answer that is not valid JSON (HTTP ${failure.statusCode})${tried}`;
		description = `It began with: ${failure.text.slice(0, 120)}`;
		if (request.retry === 'declare') description += ` ${MAYBE_CREATED}`;
	} else {
		const host = hostOf(info.baseURL);
		message = failure.sent
			? `The connection to ElevateAI (${host}) broke before an answer arrived (${failure.code})${tried}`
			: `Could not connect to ElevateAI at ${host} (${failure.code})${tried}`;
		description = failure.sent
			? request.retry === 'declare'
				? `The declare request was sent, so the interaction may have been created; it was not sent again to avoid a duplicate. ${MAYBE_CREATED}`
				: 'Check the network and try again.'
			: 'Check the Base URL in the credential and the network connection.';
	}

	const safeMessage = redactSecret(message, token);
	const safeDescription = redactSecret(description, token);
	const error = new NodeApiError(
		ctx.getNode(),
		{ message: safeMessage, httpCode: httpCode ?? null } as JsonObject,
		{ message: safeMessage, description: safeDescription, httpCode, itemIndex },
	);
	// NodeApiError swaps a message naming a socket code (ECONNRESET…) for n8n's generic text, which
	// tells users to "retry the request immediately": wrong for a declare that may have gone through.
	error.message = safeMessage;
	return error;
}

const MAYBE_CREATED =
	'Before running this item again, look for the interaction in the ElevateAI portal (search by its External Identifier) so that it is not processed twice.';

function hostOf(baseURL: string): string {
	try {
		return new URL(baseURL).host;
	} catch {
		return baseURL;
	}
}

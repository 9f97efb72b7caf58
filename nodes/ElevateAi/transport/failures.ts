import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactSecret } from './redact';

/**
 * What went wrong with one attempt, classified, and the text a user reads about it. The retry
 * policy decides on a `Failure`; `failureError` turns the last one into the node's API error.
 */
export type Failure =
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
/** For a declare, only these answers prove that no interaction was created. */
const DECLARE_SAFE_STATUSES = new Set([429, 503]);

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

/** A thrown request error as a failure, its message already free of the token. */
export function networkFailure(error: unknown, token: string): Failure {
	const code = networkCode(error);
	return {
		kind: 'network',
		code,
		message: redactSecret(String((error as Error)?.message ?? code), token),
		sent: !NOT_SENT_CODES.has(code),
	};
}

function hasBody(body: unknown): boolean {
	if (body === undefined || body === null) return false;
	if (typeof body === 'string') return body.trim() !== '';
	return typeof body === 'object' && Object.keys(body as object).length > 0;
}

/** Whether the failure proves that a declare created nothing, so it may be sent again. */
export function provesNothingCreated(failure: Failure): boolean {
	if (failure.kind === 'network') return !failure.sent;
	if (failure.kind === 'badJson') return false;
	if (!DECLARE_SAFE_STATUSES.has(failure.statusCode)) return false;
	// A 503 without a body may come from a proxy that gave up after forwarding the request.
	return failure.statusCode === 429 || hasBody(failure.body);
}

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

const MAYBE_CREATED =
	'Before running this item again, look for the interaction in the ElevateAI portal (search by its External Identifier) so that it is not processed twice.';

function hostOf(baseURL: string): string {
	try {
		return new URL(baseURL).host;
	} catch {
		return baseURL;
	}
}

export interface FailureInfo {
	itemIndex: number;
	token: string;
	attempts: number;
	baseURL: string;
	/** The request was a declare: a failure that may have created the interaction says so. */
	declare: boolean;
}

/** The NodeApiError for the last failure: ElevateAI's message, the status, a hint, no token. */
export function failureError(node: INode, failure: Failure, info: FailureInfo): NodeApiError {
	const { itemIndex, token, attempts, declare } = info;
	const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	let message: string;
	let description: string;
	let httpCode: string | undefined;

	if (failure.kind === 'http') {
		httpCode = String(failure.statusCode);
		const apiMessage = errorMessageOf(failure.body) ?? `HTTP ${failure.statusCode}`;
		message = `ElevateAI error ${failure.statusCode}: ${apiMessage}${tried}`;
		description = hintFor(failure.statusCode);
		// Only an answer that proves nothing was created spares the warning.
		if (declare && failure.statusCode >= 500 && !provesNothingCreated(failure)) {
			description += ` ${MAYBE_CREATED}`;
		}
	} else if (failure.kind === 'badJson') {
		httpCode = String(failure.statusCode);
		message = `ElevateAI sent an answer that is not valid JSON (HTTP ${failure.statusCode})${tried}`;
		description = `It began with: ${failure.text.slice(0, 120)}`;
		if (declare) description += ` ${MAYBE_CREATED}`;
	} else {
		const host = hostOf(info.baseURL);
		message = failure.sent
			? `The connection to ElevateAI (${host}) broke before an answer arrived (${failure.code})${tried}`
			: `Could not connect to ElevateAI at ${host} (${failure.code})${tried}`;
		description = failure.sent
			? declare
				? `The declare request was sent, so the interaction may have been created; it was not sent again to avoid a duplicate. ${MAYBE_CREATED}`
				: 'Check the network and try again.'
			: 'Check the Base URL in the credential and the network connection.';
	}

	const safeMessage = redactSecret(message, token);
	const safeDescription = redactSecret(description, token);
	const error = new NodeApiError(
		node,
		{ message: safeMessage, httpCode: httpCode ?? null } as JsonObject,
		{ message: safeMessage, description: safeDescription, httpCode, itemIndex },
	);
	// NodeApiError swaps a message naming a socket code (ECONNRESET…) for n8n's generic text, which
	// tells users to "retry the request immediately": wrong for a declare that may have gone through.
	error.message = safeMessage;
	return error;
}

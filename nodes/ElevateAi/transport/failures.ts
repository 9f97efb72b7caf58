import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactSecret, safeServerText, shorten } from './redact';

/**
 * What went wrong with one attempt, classified, and the text a user reads about it. The retry
 * policy decides on a `Failure`; `failureError` turns the last one into the node's API error.
 */
export type Failure =
	| { kind: 'http'; statusCode: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code: string; message: string; sent: boolean; tls: boolean }
	| { kind: 'badJson'; statusCode: number; text: string };

/** Connection errors that prove the request never reached the server. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);
/**
 * TLS failures: the handshake failed (a rejected certificate, a wrong protocol), so the request
 * itself was never written. Retrying cannot help, and nothing reached ElevateAI.
 */
const TLS_CODE =
	/^(?:CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|CRL_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|INVALID_CA$|EPROTO$)/;
const CERTIFICATE_CODE = /CERT|UNABLE_TO_|HOSTNAME_MISMATCH|INVALID_CA|CRL_/;
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
	const tls = TLS_CODE.test(code);
	return {
		kind: 'network',
		code,
		message: redactSecret(String((error as Error)?.message ?? code), token),
		sent: !tls && !NOT_SENT_CODES.has(code),
		tls,
	};
}

function hasBody(body: unknown): boolean {
	if (body === undefined || body === null) return false;
	if (typeof body === 'string') return body.trim() !== '';
	return typeof body === 'object' && Object.keys(body as object).length > 0;
}

/**
 * Whether the failure proves that ElevateAI did nothing with the request: a declare created
 * nothing (so it may be sent again), a delete deleted nothing (so a later 404 means "unknown").
 */
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

/** The server's own words for an error: redacted first, then shortened to be read in a message. */
function errorMessageOf(body: unknown, token: string): string | undefined {
	if (typeof body === 'string') {
		// A gateway's text or HTML page: its words only, short enough to read in an error.
		const text = body
			.replace(/<[^>]*>/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		return text === '' ? undefined : safeServerText(text, token, 200);
	}
	if (body && typeof body === 'object') {
		const value = (body as IDataObject).errorMessage ?? (body as IDataObject).message;
		if (typeof value === 'string' && value.trim() !== '') return redactSecret(value, token);
	}
	return undefined;
}

/** Node's own words for a TLS failure (e.g. "self-signed certificate"), when they add anything. */
function tlsReason(failure: { code: string; message: string }): string {
	const text = failure.message
		.replace(failure.code, '')
		.replace(/^[\s:,-]+/, '')
		.trim();
	return text === '' ? '' : `: ${shorten(text, 120)}`;
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
		const apiMessage = errorMessageOf(failure.body, token) ?? `HTTP ${failure.statusCode}`;
		message = `ElevateAI error ${failure.statusCode}: ${apiMessage}${tried}`;
		description = hintFor(failure.statusCode);
		// Only an answer that proves nothing was created spares the warning.
		if (declare && failure.statusCode >= 500 && !provesNothingCreated(failure)) {
			description += ` ${MAYBE_CREATED}`;
		}
	} else if (failure.kind === 'badJson') {
		httpCode = String(failure.statusCode);
		message = `ElevateAI sent an answer that is not valid JSON (HTTP ${failure.statusCode})${tried}`;
		description = `It began with: ${safeServerText(failure.text, token, 120)}`;
		if (declare) description += ` ${MAYBE_CREATED}`;
	} else if (failure.tls) {
		const host = hostOf(info.baseURL);
		const reason = tlsReason(failure);
		message = CERTIFICATE_CODE.test(failure.code)
			? `Could not connect to ElevateAI at ${host}: its TLS certificate was rejected (${failure.code}${reason})`
			: `Could not connect to ElevateAI at ${host}: the TLS handshake failed (${failure.code}${reason})`;
		description =
			'Nothing was sent, so nothing was created or changed at ElevateAI. Check the Base URL in the credential: the server must present a valid certificate for its host name, issued by a trusted authority.';
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

import type { IDataObject } from 'n8n-workflow';

import { LIMITS } from '../helpers/contract';
import type { Failure } from './failures';
import { provesNothingCreated } from './failures';
import { retryAfterMs } from './retryAfter';

export { retryAfterMs } from './retryAfter';

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
	maxRetries: LIMITS.maxRetries.default,
	baseDelayMs: 1_000,
	maxDelayMs: 60_000,
	maxTotalMs: 5 * 60_000,
};

const TRANSIENT_STATUSES = new Set([408, 429, 502, 503, 504]);

/** Exponential backoff with jitter (50–100 % of the step) so a batch does not retry in lockstep. */
export function backoffMs(attempt: number, settings: RetrySettings): number {
	const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
	return Math.round(step * (0.5 + Math.random() * 0.5));
}

export function isRetryable(failure: Failure, mode: RetryMode): boolean {
	// A failed TLS handshake fails the same way every time, and nothing was sent.
	if (failure.kind === 'network' && failure.tls) return false;
	if (mode === 'declare') return provesNothingCreated(failure);
	if (failure.kind === 'network') return true;
	if (failure.kind === 'badJson') return mode === 'idempotent';
	return TRANSIENT_STATUSES.has(failure.statusCode);
}

function header(headers: IDataObject, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}

/** How long to wait before the next attempt: what the server asked for, else the backoff. */
export function retryDelayMs(failure: Failure, attempt: number, settings: RetrySettings): number {
	const asked =
		failure.kind === 'http' ? retryAfterMs(header(failure.headers, 'retry-after')) : undefined;
	return asked ?? backoffMs(attempt, settings);
}

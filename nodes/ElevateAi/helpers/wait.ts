import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * Waiting that a cancelled execution cuts short. Community nodes may not use timers, so both
 * waits use n8n's `sleep`.
 */

/**
 * n8n's `sleep` with the execution's cancel signal: n8n 2.x's clears its timer and rejects when the
 * signal fires, so a cancelled wait leaves no timer behind (a pending one kept a cancelled
 * execution's closure, and a test worker, alive until it fired). n8n 1.x's `sleep` takes only the
 * delay and ignores the signal: there sleepUntilCancelled still returns at once on cancellation and
 * sleepInSlices after the current slice, but the timer runs out on its own.
 */
type CancelSignal = ReturnType<IExecuteFunctions['getExecutionCancelSignal']>;

const sleepFor = sleep as (ms: number, abortSignal?: CancelSignal) => Promise<void>;

async function sleepOrCancelled(ms: number, signal: CancelSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	// n8n 2.x's sleep rejects only when the signal fires: a cancelled wait simply ends.
	await sleepFor(ms, signal).catch(() => undefined);
}

export function isCancelled(ctx: IExecuteFunctions): boolean {
	return ctx.getExecutionCancelSignal?.()?.aborted === true;
}

/** Longest single sleep between polls, so that a cancellation is noticed within about a second. */
const POLL_SLICE_MS = 1_000;

/**
 * Sleeps in slices of at most a second, checking for cancellation (and `stop`, when given)
 * between them (polling).
 */
export async function sleepInSlices(
	ctx: IExecuteFunctions,
	ms: number,
	stop: () => boolean = () => false,
): Promise<void> {
	const signal = ctx.getExecutionCancelSignal?.();
	const until = Date.now() + ms;
	for (let left = ms; left > 0 && !isCancelled(ctx) && !stop(); left = until - Date.now()) {
		await sleepOrCancelled(Math.min(left, POLL_SLICE_MS), signal);
	}
}

/**
 * Sleeps once for the whole delay but returns as soon as the execution is cancelled (retry
 * backoff and Retry-After), so that a long wait never keeps a cancelled execution running.
 */
export async function sleepUntilCancelled(ctx: IExecuteFunctions, ms: number): Promise<void> {
	const signal = ctx.getExecutionCancelSignal?.();
	if (!signal) return await sleep(ms);
	if (signal.aborted) return;
	let onAbort = () => {};
	const cancelled = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleepOrCancelled(ms, signal), cancelled]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from './concurrency';
import { isCancelled, sleepInSlices } from './wait';

export type PollVerdict = 'done' | 'failed' | 'pending';

export interface PollJob<T> {
	/** What is waited on, for messages (e.g. the interaction identifier). */
	name: string;
	itemIndex: number;
	intervalMs: number;
	timeoutMs: number;
	/** One status request; it is called at most once per `intervalMs`. */
	check: () => Promise<T>;
}

export interface PollRules<T> {
	classify: (value: T) => PollVerdict;
	/** The error for a value classified as `failed`. */
	failure: (value: T, job: PollJob<T>) => Error;
	/** The error for a job still pending when its time ran out (`last` is undefined if never answered). */
	timeout: (last: T | undefined, job: PollJob<T>) => Error;
	concurrency: number;
	/** Stop waiting on every job once one fails (Continue On Fail off); the rest stay `undefined`. */
	stopOnFirstError?: boolean;
}

interface JobState<T> {
	job: PollJob<T>;
	nextAt: number;
	deadline: number;
	last?: T;
	result?: T | Error;
}

/**
 * Polls many jobs in one loop: each is checked at once, then no more often than its interval,
 * until it is done, failed, timed out or the execution is cancelled. Waiting on N interactions
 * therefore takes about as long as the slowest, not the sum. Returns one result per job, in
 * order: the final value, or the error for that job.
 */
export async function pollUntilSettled<T>(
	ctx: IExecuteFunctions,
	jobs: ReadonlyArray<PollJob<T>>,
	rules: PollRules<T>,
): Promise<Array<T | Error | undefined>> {
	const start = Date.now();
	const states: Array<JobState<T>> = jobs.map((job) => ({
		job,
		nextAt: start,
		deadline: start + job.timeoutMs,
	}));
	const pending = () => states.filter((state) => state.result === undefined);

	while (pending().length > 0) {
		if (isCancelled(ctx)) {
			for (const state of pending()) {
				state.result = new NodeOperationError(
					ctx.getNode(),
					'The execution was cancelled while waiting',
					{
						itemIndex: state.job.itemIndex,
					},
				);
			}
			break;
		}
		const now = Date.now();
		const due = pending().filter((state) => state.nextAt <= now);
		await mapConcurrent(due, rules.concurrency, async (state) => {
			try {
				const value = await state.job.check();
				state.last = value;
				const verdict = rules.classify(value);
				if (verdict === 'done') state.result = value;
				else if (verdict === 'failed') state.result = rules.failure(value, state.job);
				else if (Date.now() >= state.deadline) state.result = rules.timeout(value, state.job);
				else state.nextAt = Date.now() + state.job.intervalMs;
			} catch (error) {
				state.result = error as Error;
			}
		});
		if (rules.stopOnFirstError && states.some((state) => state.result instanceof Error)) break;
		const waiting = pending();
		if (waiting.length === 0) break;
		const wakeAt = Math.min(...waiting.map((state) => state.nextAt));
		await sleepInSlices(ctx, wakeAt - Date.now());
	}
	return states.map((state) => state.result);
}

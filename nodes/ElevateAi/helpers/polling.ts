import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { concurrencyOf } from './batch';
import { mapConcurrent } from './concurrency';
import type { InteractionStatusResponse, StatusOutcome } from './contract';
import { statusOutcome } from './contract';
import { cancelledError } from './errors';
import type { CallOptions } from './interfaces';
import { isCancelled, sleepInSlices } from './wait';

/** The same three words as ElevateAI's status outcomes in the contract. */
export type PollVerdict = StatusOutcome;

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
	/** Asked before each check and after each round: true stops the loop (the rest stay `undefined`). */
	shouldStop?: () => boolean;
	/**
	 * Called as soon as a job is done, while the others are still polled, so that its results
	 * can be read at once instead of after the slowest job (Transcribe's pipelining).
	 */
	onDone?: (value: T, position: number) => void;
}

interface JobState<T> {
	job: PollJob<T>;
	position: number;
	nextAt: number;
	deadline: number;
	last?: T;
	result?: T | Error;
}

/**
 * When a pending job is checked next: one interval on, but never later than its deadline, so
 * that no sleep runs past the timeout (a 1-hour interval with a 1-minute timeout checks at 0 and
 * at 1 minute, then times out).
 */
export function nextCheckAt(now: number, intervalMs: number, deadline: number): number {
	return Math.min(now + intervalMs, deadline);
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
	const states: Array<JobState<T>> = jobs.map((job, position) => ({
		job,
		position,
		nextAt: start,
		deadline: start + job.timeoutMs,
	}));
	const pending = () => states.filter((state) => state.result === undefined);
	const stopped = () =>
		rules.shouldStop?.() === true ||
		(rules.stopOnFirstError === true && states.some((state) => state.result instanceof Error));

	while (pending().length > 0) {
		if (isCancelled(ctx)) {
			for (const state of pending()) {
				state.result = cancelledError(ctx.getNode(), state.job.itemIndex, 'while waiting');
			}
			break;
		}
		const now = Date.now();
		const due = pending().filter((state) => state.nextAt <= now);
		await mapConcurrent(
			due,
			rules.concurrency,
			async (state) => {
				try {
					const value = await state.job.check();
					state.last = value;
					const verdict = rules.classify(value);
					if (verdict === 'done') {
						state.result = value;
						rules.onDone?.(value, state.position);
					} else if (verdict === 'failed') state.result = rules.failure(value, state.job);
					else if (Date.now() >= state.deadline) state.result = rules.timeout(value, state.job);
					else state.nextAt = nextCheckAt(Date.now(), state.job.intervalMs, state.deadline);
				} catch (error) {
					state.result = error as Error;
				}
			},
			stopped,
		);
		if (stopped()) break;
		const waiting = pending();
		if (waiting.length === 0) break;
		const wakeAt = Math.min(...waiting.map((state) => state.nextAt));
		await sleepInSlices(ctx, wakeAt - Date.now(), stopped);
	}
	return states.map((state) => state.result);
}

/** The error for an interaction that ended in a failure status (poll and route mode alike). */
export function processingFailedError(
	node: INode,
	identifier: string,
	itemIndex: number,
	status: InteractionStatusResponse,
): NodeOperationError {
	return new NodeOperationError(
		node,
		`ElevateAI could not process interaction ${identifier}: ${status.status}`,
		{
			itemIndex,
			description: status.errorMessage
				? `ElevateAI says: ${status.errorMessage}`
				: 'ElevateAI gave no reason. Check the recording (format, length) and try again.',
		},
	);
}

/** The error for an interaction still unfinished when its Timeout ran out. */
export function waitTimeoutError(
	node: INode,
	identifier: string,
	itemIndex: number,
	timeoutMs: number,
	lastStatus: string | undefined,
): NodeOperationError {
	return new NodeOperationError(
		node,
		`Interaction ${identifier} did not finish within ${timeoutMs / 60_000} minutes`,
		{
			itemIndex,
			description: `Its last status was "${lastStatus ?? 'unknown'}". Raise the Timeout, or check again later with Get Status or Wait For Completion: the interaction keeps processing at ElevateAI.`,
		},
	);
}

/** One interaction to wait on, with the item's call options for its status checks. */
export interface WaitTarget extends CallOptions {
	identifier: string;
	intervalMs: number;
	timeoutMs: number;
}

/**
 * Waits on all targets in one polling loop until each is processed, failed or timed out; one
 * final status or error per target. `check` is the client's status request for one target; it
 * may change `target.intervalMs`, which applies from the next check on. `more` sets the checks'
 * concurrency (default: the Concurrency option), an `onDone` hook per processed target and an
 * extra stop condition.
 */
export async function waitForInteractions(
	ctx: IExecuteFunctions,
	targets: WaitTarget[],
	check: (target: WaitTarget) => Promise<InteractionStatusResponse>,
	stopOnFirstError: boolean,
	more: Pick<PollRules<InteractionStatusResponse>, 'onDone' | 'shouldStop'> & {
		concurrency?: number;
	} = {},
): Promise<Array<InteractionStatusResponse | Error | undefined>> {
	const node = ctx.getNode();
	return await pollUntilSettled<InteractionStatusResponse>(
		ctx,
		targets.map((target) => ({
			name: target.identifier,
			itemIndex: target.itemIndex,
			// Read at each scheduling: a check may set the target's pace (automatic Poll Interval).
			get intervalMs() {
				return target.intervalMs;
			},
			timeoutMs: target.timeoutMs,
			check: async () => await check(target),
		})),
		{
			concurrency: more.concurrency ?? concurrencyOf(ctx),
			stopOnFirstError,
			onDone: more.onDone,
			shouldStop: more.shouldStop,
			classify: (status) => statusOutcome(status.status),
			failure: (status, job) => processingFailedError(node, job.name, job.itemIndex, status),
			timeout: (last, job) =>
				waitTimeoutError(node, job.name, job.itemIndex, job.timeoutMs, last?.status),
		},
	);
}

/**
 * Property: poll scheduling. For any poll interval and timeout (and any mix of jobs in one
 * loop), no job is checked after its deadline, no sleep runs past the last deadline, checks of
 * a job are at least one interval apart (except the final one, at the deadline), and a job that
 * never finishes times out. `sleep` is a virtual clock, so hours cost nothing.
 */
const clock = { now: 0 };

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		__esModule: true,
		// Synchronous virtual time: the loop's own Date.now() reads the clock.
		sleep: jest.fn(async (ms: number) => {
			clock.now += ms;
		}),
	};
});

import fc from 'fast-check';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import type { PollJob } from '../../nodes/ElevateAi/helpers/polling';
import { nextCheckAt, pollUntilSettled } from '../../nodes/ElevateAi/helpers/polling';
import { RUNS } from './runs';

const node = { name: 'ElevateAI' } as INode;
const ctx = { getNode: () => node, getExecutionCancelSignal: () => undefined } as unknown as IExecuteFunctions;

beforeEach(() => {
	clock.now = 1_700_000_000_000;
	jest.spyOn(Date, 'now').mockImplementation(() => clock.now);
});
afterEach(() => jest.restoreAllMocks());

/** Seconds as the node accepts them (≥ 1 s), up to two hours. */
const intervalMs = fc.integer({ min: 1, max: 7_200 }).map((s) => s * 1000);
/** Timeouts from 0.1 s to 10 minutes (the loop sleeps in 1 s slices, so longer only costs time). */
const timeoutMs = fc.integer({ min: 100, max: 600_000 });

describe('property: poll scheduling', () => {
	it('never schedules a check after the deadline (pure rule)', () => {
		fc.assert(
			fc.property(fc.nat(2 ** 40), intervalMs, fc.nat(86_400_000), (now, interval, left) => {
				const deadline = now + left;
				const next = nextCheckAt(now, interval, deadline);
				expect(next).toBeLessThanOrEqual(deadline);
				expect(next).toBe(Math.min(now + interval, deadline));
				expect(next).toBeGreaterThanOrEqual(now);
			}),
			{ numRuns: RUNS },
		);
	});

	it('checks no job after its deadline and sleeps past none, for any intervals and timeouts', async () => {
		const job = fc.record({ intervalMs, timeoutMs, doneAfter: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }) });
		await fc.assert(
			fc.asyncProperty(fc.array(job, { minLength: 1, maxLength: 3 }), async (specs) => {
				const start = Date.now();
				const checks: number[][] = specs.map(() => []);
				const jobs: Array<PollJob<string>> = specs.map((spec, i) => ({
					name: `job${i}`,
					itemIndex: i,
					intervalMs: spec.intervalMs,
					timeoutMs: spec.timeoutMs,
					check: async () => {
						checks[i].push(Date.now() - start);
						return spec.doneAfter !== undefined && checks[i].length >= spec.doneAfter ? 'done' : 'pending';
					},
				}));
				const results = await pollUntilSettled(ctx, jobs, {
					concurrency: 5,
					classify: (value) => (value === 'done' ? 'done' : 'pending'),
					failure: () => new Error('failed'),
					timeout: (_last, j) => new Error(`timeout ${j.name}`),
				});
				const lastDeadline = Math.max(...specs.map((s) => s.timeoutMs));
				expect(Date.now() - start).toBeLessThanOrEqual(lastDeadline);
				specs.forEach((spec, i) => {
					const times = checks[i];
					expect(times[0]).toBe(0);
					for (const t of times) expect(t).toBeLessThanOrEqual(spec.timeoutMs);
					const gaps = times.slice(1).map((t, k) => t - times[k]);
					// Every gap is a full interval, except one that ends exactly at the deadline.
					gaps.forEach((gap, k) => {
						if (times[k + 1] !== spec.timeoutMs) expect(gap).toBeGreaterThanOrEqual(spec.intervalMs);
					});
					const finished = spec.doneAfter !== undefined && times.length >= spec.doneAfter;
					if (finished) expect(results[i]).toBe('done');
					else {
						expect(results[i]).toEqual(new Error(`timeout job${i}`));
						// It was given its last chance at the deadline itself.
						expect(times.at(-1)).toBe(spec.timeoutMs);
					}
				});
			}),
			{ numRuns: RUNS },
		);
	});
});

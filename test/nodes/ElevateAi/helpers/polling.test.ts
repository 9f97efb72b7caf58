import { NodeOperationError, sleep } from 'n8n-workflow';

import type { PollJob, PollRules, PollVerdict } from '../../../../nodes/ElevateAi/helpers/polling';
import { pollUntilSettled } from '../../../../nodes/ElevateAi/helpers/polling';
import { NODE, concurrencyProbe, fakeClock, fakeContext } from '../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
const sleepMock = jest.mocked(sleep);

let clock: ReturnType<typeof fakeClock>;

type Answer = 'done' | 'failed' | 'pending' | Error;

/** A job answering the given verdicts in turn (the last one repeats), recording when it was checked. */
function job(name: string, answers: Answer[], intervalMs = 10_000, timeoutMs = 60_000) {
	const checkedAt: number[] = [];
	const pollJob: PollJob<string> = {
		name,
		itemIndex: Number(name.slice(1)),
		intervalMs,
		timeoutMs,
		check: async () => {
			checkedAt.push(clock.elapsed());
			const answer = answers.length > 1 ? (answers.shift() as Answer) : answers[0];
			if (answer instanceof Error) throw answer;
			return answer;
		},
	};
	return { pollJob, checkedAt };
}

function rules(extra: Partial<PollRules<string>> = {}): PollRules<string> {
	return {
		classify: (value) => value as PollVerdict,
		failure: (value, j) => new NodeOperationError(NODE, `${j.name} ${value}`, { itemIndex: j.itemIndex }),
		timeout: (last, j) => new NodeOperationError(NODE, `${j.name} timed out at ${last}`, { itemIndex: j.itemIndex }),
		concurrency: 5,
		...extra,
	};
}

describe('helpers/polling', () => {
	beforeEach(() => {
		clock = fakeClock();
		sleepMock.mockReset();
		sleepMock.mockImplementation(async (ms: number) => clock.advance(ms));
	});
	afterEach(() => clock.restore());

	it('should return the final value at once when the first check is done, without sleeping', async () => {
		const a = job('j0', ['done']);

		const results = await pollUntilSettled(fakeContext().ctx, [a.pollJob], rules());

		expect(results).toEqual(['done']);
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('should check again every interval until done and not sleep after the final answer', async () => {
		const a = job('j0', ['pending', 'pending', 'done'], 10_000);

		const results = await pollUntilSettled(fakeContext().ctx, [a.pollJob], rules());

		expect(results).toEqual(['done']);
		expect(a.checkedAt).toEqual([0, 10_000, 20_000]);
		expect(clock.elapsed()).toBe(20_000);
	});

	it('should respect each job\'s own interval when jobs are polled together', async () => {
		const fast = job('j0', ['pending', 'pending', 'pending', 'done'], 5_000);
		const slow = job('j1', ['pending', 'done'], 15_000);

		await pollUntilSettled(fakeContext().ctx, [fast.pollJob, slow.pollJob], rules());

		expect(fast.checkedAt).toEqual([0, 5_000, 10_000, 15_000]);
		expect(slow.checkedAt).toEqual([0, 15_000]);
	});

	it('should turn a failed verdict into the rules\' failure error', async () => {
		const a = job('j0', ['pending', 'failed']);

		const [result] = await pollUntilSettled(fakeContext().ctx, [a.pollJob], rules());

		expect(result).toBeInstanceOf(NodeOperationError);
		expect((result as Error).message).toBe('j0 failed');
	});

	it('should keep the error of a check that throws as that job\'s result', async () => {
		const boom = new Error('HTTP 500');
		const a = job('j0', [boom]);

		expect(await pollUntilSettled(fakeContext().ctx, [a.pollJob], rules())).toEqual([boom]);
	});

	it('should time out a job still pending at its deadline, with the last value seen', async () => {
		const a = job('j0', ['pending'], 20_000, 50_000);

		const [result] = await pollUntilSettled(fakeContext().ctx, [a.pollJob], rules());

		expect((result as Error).message).toBe('j0 timed out at pending');
		// Checked at 0, 20 and 40 s, and once more at the 50 s deadline itself: no sleep runs past it.
		expect(a.checkedAt).toEqual([0, 20_000, 40_000, 50_000]);
	});

	it('should give every pending job a cancel error as soon as the execution is cancelled', async () => {
		const fake = fakeContext();
		const a = job('j0', ['pending'], 30_000);
		const b = job('j1', ['done']);
		sleepMock.mockImplementation(async (ms: number) => {
			clock.advance(ms);
			if (clock.elapsed() === 3_000) fake.abort();
		});

		const results = await pollUntilSettled(fake.ctx, [a.pollJob, b.pollJob], rules());

		expect(results[0]).toBeInstanceOf(NodeOperationError);
		expect((results[0] as Error).message).toBe('The execution was cancelled while waiting');
		expect((results[0] as NodeOperationError).context.itemIndex).toBe(0);
		expect(results[1]).toBe('done');
		expect(a.checkedAt).toEqual([0]);
		// Sleeps are at most a second long, so the cancel is noticed within a second.
		expect(clock.elapsed()).toBe(3_000);
	});

	it('should check nothing when the execution is already cancelled', async () => {
		const fake = fakeContext();
		fake.abort();
		const a = job('j0', ['done']);

		const [result] = await pollUntilSettled(fake.ctx, [a.pollJob], rules());

		expect((result as Error).message).toBe('The execution was cancelled while waiting');
		expect(a.checkedAt).toEqual([]);
	});

	it('should stop waiting on every job after the first error when stopOnFirstError is set', async () => {
		const a = job('j0', ['pending', 'pending', 'done']);
		const b = job('j1', ['pending', 'failed']);

		const results = await pollUntilSettled(fakeContext().ctx, [a.pollJob, b.pollJob], rules({ stopOnFirstError: true }));

		expect(results[0]).toBeUndefined();
		expect((results[1] as Error).message).toBe('j1 failed');
		expect(a.checkedAt).toEqual([0, 10_000]);
	});

	it('should go on with the other jobs after an error when stopOnFirstError is not set', async () => {
		const a = job('j0', ['pending', 'pending', 'done']);
		const b = job('j1', ['pending', 'failed']);

		const results = await pollUntilSettled(fakeContext().ctx, [a.pollJob, b.pollJob], rules());

		expect(results[0]).toBe('done');
		expect((results[1] as Error).message).toBe('j1 failed');
	});

	it('should run at most `concurrency` checks at once', async () => {
		const probe = concurrencyProbe();
		const jobs = Array.from({ length: 7 }, (_, i) => ({
			name: `j${i}`,
			itemIndex: i,
			intervalMs: 1_000,
			timeoutMs: 60_000,
			check: async () => await probe.track('done'),
		}));

		const results = await pollUntilSettled(fakeContext().ctx, jobs, rules({ concurrency: 3 }));

		expect(results).toEqual(Array(7).fill('done'));
		expect(probe.most).toBe(3);
	});

	it('should return an empty list for no jobs', async () => {
		expect(await pollUntilSettled(fakeContext().ctx, [], rules())).toEqual([]);
	});

	it('should hand each job to onDone as soon as it is done, while the others are still polled', async () => {
		const fast = job('j0', ['pending', 'done'], 10_000);
		const slow = job('j1', ['pending', 'pending', 'pending', 'done'], 10_000);
		const done: Array<[string, number, number, number]> = [];

		const results = await pollUntilSettled(
			fakeContext().ctx,
			[fast.pollJob, slow.pollJob],
			rules({ onDone: (value, position) => done.push([value, position, clock.elapsed(), slow.checkedAt.length]) }),
		);

		expect(results).toEqual(['done', 'done']);
		// j0 was handed over at 10 s, after only two of j1's four checks.
		expect(done).toEqual([
			['done', 0, 10_000, 2],
			['done', 1, 30_000, 4],
		]);
	});

	it('should stop polling, and stop sleeping, once shouldStop turns true; the unsettled jobs stay undefined', async () => {
		const a = job('j0', ['pending'], 30_000);
		const b = job('j1', ['pending'], 30_000);
		let stop = false;
		sleepMock.mockImplementation(async (ms: number) => {
			clock.advance(ms);
			// Something outside the loop fails 2 s into the 30 s wait (e.g. another item's result read).
			if (clock.elapsed() >= 2_000) stop = true;
		});

		const results = await pollUntilSettled(fakeContext().ctx, [a.pollJob, b.pollJob], rules({ shouldStop: () => stop }));

		expect(results).toEqual([undefined, undefined]);
		expect(a.checkedAt).toEqual([0]);
		expect(b.checkedAt).toEqual([0]);
		// It woke within a slice of the stop, not at the end of the 30 s interval.
		expect(clock.elapsed()).toBe(2_000);
	});

	it('should start no further check of a round once shouldStop turns true', async () => {
		let stop = false;
		const checked: string[] = [];
		const jobs = ['j0', 'j1', 'j2'].map((name) => ({
			name,
			itemIndex: 0,
			intervalMs: 1_000,
			timeoutMs: 60_000,
			check: async () => {
				checked.push(name);
				stop = true;
				return 'pending';
			},
		}));

		const results = await pollUntilSettled(fakeContext().ctx, jobs, rules({ concurrency: 1, shouldStop: () => stop }));

		expect(checked).toEqual(['j0']);
		expect(results).toEqual([undefined, undefined, undefined]);
	});
});

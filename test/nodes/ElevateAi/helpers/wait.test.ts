import type { IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { isCancelled, sleepInSlices, sleepUntilCancelled } from '../../../../nodes/ElevateAi/helpers/wait';
import { fakeClock, fakeContext } from '../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
const sleepMock = jest.mocked(sleep);

let clock: ReturnType<typeof fakeClock>;

/**
 * Starts `wait` on n8n-workflow's real `sleep` (on jest's fake timers, to count timers), cancels
 * the execution, and expects the wait to end with no timer left behind.
 */
async function expectCancelledWithoutTimer(wait: (ctx: IExecuteFunctions) => Promise<void>) {
	const fake = fakeContext();
	clock.restore();
	jest.useFakeTimers();
	sleepMock.mockImplementation(jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow').sleep);
	try {
		const waiting = wait(fake.ctx);
		expect(jest.getTimerCount()).toBe(1);
		fake.abort();

		await expect(waiting).resolves.toBeUndefined();
		expect(jest.getTimerCount()).toBe(0);
	} finally {
		jest.useRealTimers();
	}
}

describe('helpers/wait', () => {
	beforeEach(() => {
		clock = fakeClock();
		sleepMock.mockReset();
		sleepMock.mockImplementation(async (ms: number) => clock.advance(ms));
	});
	afterEach(() => clock.restore());

	it('should report a cancelled execution, and none when n8n gives no cancel signal', () => {
		const fake = fakeContext();
		expect(isCancelled(fake.ctx)).toBe(false);
		fake.abort();
		expect(isCancelled(fake.ctx)).toBe(true);
		expect(isCancelled({ ...fake.ctx, getExecutionCancelSignal: undefined } as unknown as typeof fake.ctx)).toBe(false);
	});

	describe('sleepInSlices', () => {
		it('should sleep in slices of at most a second until the time is up', async () => {
			await sleepInSlices(fakeContext().ctx, 2_500);

			expect(sleepMock.mock.calls).toEqual([1_000, 1_000, 500].map((ms) => [ms, expect.any(AbortSignal)]));
			expect(clock.elapsed()).toBe(2_500);
		});

		it('should stop after the slice in which the execution was cancelled', async () => {
			const fake = fakeContext();
			sleepMock.mockImplementation(async (ms: number) => {
				clock.advance(ms);
				if (clock.elapsed() >= 2_000) fake.abort();
			});

			await sleepInSlices(fake.ctx, 30_000);

			expect(sleepMock).toHaveBeenCalledTimes(2);
		});

		it('should leave no timer behind when the execution is cancelled during a slice (n8n 2.x sleep)', async () => {
			await expectCancelledWithoutTimer(async (ctx) => await sleepInSlices(ctx, 30_000));
		});

		it('should not sleep at all for a cancelled execution or a time already past', async () => {
			const fake = fakeContext();
			await sleepInSlices(fake.ctx, 0);
			await sleepInSlices(fake.ctx, -5);
			fake.abort();
			await sleepInSlices(fake.ctx, 5_000);

			expect(sleepMock).not.toHaveBeenCalled();
		});
	});

	describe('sleepUntilCancelled', () => {
		it('should sleep once for the whole delay', async () => {
			await sleepUntilCancelled(fakeContext().ctx, 7_000);

			expect(sleepMock.mock.calls).toEqual([[7_000, expect.any(AbortSignal)]]);
		});

		it('should not sleep when the execution is already cancelled', async () => {
			const fake = fakeContext();
			fake.abort();

			await sleepUntilCancelled(fake.ctx, 7_000);

			expect(sleepMock).not.toHaveBeenCalled();
		});

		it('should return as soon as the execution is cancelled during the sleep', async () => {
			const fake = fakeContext();
			// A sleep that never ends by itself: only the cancellation can end the wait.
			sleepMock.mockImplementation(async () => await new Promise<void>(() => {}));

			const waiting = sleepUntilCancelled(fake.ctx, 60_000);
			fake.abort();

			await expect(waiting).resolves.toBeUndefined();
		});

		it('should leave no timer behind when the execution is cancelled during the sleep (n8n 2.x sleep)', async () => {
			await expectCancelledWithoutTimer(async (ctx) => await sleepUntilCancelled(ctx, 60_000));
		});

		it('should simply sleep when n8n gives no cancel signal', async () => {
			const { ctx } = fakeContext();

			await sleepUntilCancelled({ ...ctx, getExecutionCancelSignal: () => undefined } as typeof ctx, 3_000);

			expect(sleepMock.mock.calls).toEqual([[3_000]]);
		});
	});
});

import { createLimiter, mapConcurrent } from '../../../../nodes/ElevateAi/helpers/concurrency';

/** A task whose completion the test controls, to observe what runs at the same time. */
function controlled() {
	const started: number[] = [];
	const pending = new Map<number, () => void>();
	let inFlight = 0;
	let most = 0;
	const task = async (input: number) => {
		started.push(input);
		inFlight++;
		most = Math.max(most, inFlight);
		await new Promise<void>((resolve) => pending.set(input, resolve));
		inFlight--;
		return input * 10;
	};
	const finish = async (input: number) => {
		pending.get(input)?.();
		pending.delete(input);
		await new Promise((resolve) => setImmediate(resolve));
	};
	return { task, finish, started, pending, most: () => most };
}

describe('helpers/concurrency', () => {
	it('should never run more than the limit at once and start the next as soon as one ends', async () => {
		const c = controlled();
		const run = mapConcurrent([1, 2, 3, 4, 5], 2, c.task);
		await new Promise((resolve) => setImmediate(resolve));

		expect(c.started).toEqual([1, 2]);
		await c.finish(2);
		expect(c.started).toEqual([1, 2, 3]);
		await c.finish(1);
		await c.finish(3);
		await c.finish(4);
		await c.finish(5);

		expect(await run).toEqual([10, 20, 30, 40, 50]);
		expect(c.most()).toBe(2);
	});

	it('should keep results in input order whatever the finishing order', async () => {
		const delays = [30, 0, 20, 10];
		const results = await mapConcurrent(delays, 4, async (ms, position) => {
			await new Promise((resolve) => setTimeout(resolve, ms));
			return `${position}:${ms}`;
		});

		expect(results).toEqual(['0:30', '1:0', '2:20', '3:10']);
	});

	it('should start nothing new once shouldStop turns true and leave the rest undefined', async () => {
		const seen: number[] = [];
		let stop = false;
		const results = await mapConcurrent(
			[0, 1, 2, 3, 4],
			1,
			async (input) => {
				seen.push(input);
				if (input === 1) stop = true;
				return input;
			},
			() => stop,
		);

		expect(seen).toEqual([0, 1]);
		expect(results).toEqual([0, 1, undefined, undefined, undefined]);
	});

	it('should let running tasks finish when stopping', async () => {
		let stop = false;
		const results = await mapConcurrent(
			[0, 1, 2, 3],
			2,
			async (input) => {
				await new Promise((resolve) => setTimeout(resolve, input === 0 ? 1 : 10));
				if (input === 0) stop = true;
				return input;
			},
			() => stop,
		);

		expect(results).toEqual([0, 1, undefined, undefined]);
	});

	it('should run one at a time for a limit below 1 and handle no inputs', async () => {
		const c = controlled();
		const run = mapConcurrent([1, 2], 0, c.task);
		await new Promise((resolve) => setImmediate(resolve));
		expect(c.started).toEqual([1]);
		await c.finish(1);
		await c.finish(2);
		expect(await run).toEqual([10, 20]);

		expect(await mapConcurrent([], 5, async () => 1)).toEqual([]);
	});
});

describe('helpers/concurrency createLimiter', () => {
	it('should run at most the limit at once, hand each freed slot to the next in line, and keep arrival order', async () => {
		const c = controlled();
		const gate = createLimiter(2);
		// Tasks arrive at different times, as Transcribe's reads do when interactions finish.
		const runs = [gate(() => c.task(1)), gate(() => c.task(2)), gate(() => c.task(3))];
		await new Promise((resolve) => setImmediate(resolve));
		expect(c.started).toEqual([1, 2]);
		runs.push(gate(() => c.task(4)));
		await c.finish(2);
		expect(c.started).toEqual([1, 2, 3]);
		await c.finish(1);
		expect(c.started).toEqual([1, 2, 3, 4]);
		await c.finish(3);
		await c.finish(4);

		expect(await Promise.all(runs)).toEqual([10, 20, 30, 40]);
		expect(c.most()).toBe(2);
	});

	it('should free the slot of a task that failed, and pass its error on', async () => {
		const gate = createLimiter(1);
		const failing = gate(async () => {
			throw new Error('boom');
		});
		const next = gate(async () => 'ran');

		await expect(failing).rejects.toThrow('boom');
		expect(await next).toBe('ran');
		// The slot is free again: a later task starts at once.
		expect(await gate(async () => 'again')).toBe('again');
	});

	it('should treat a limit below 1 as 1', async () => {
		const c = controlled();
		const gate = createLimiter(0);
		const runs = [gate(() => c.task(1)), gate(() => c.task(2))];
		await new Promise((resolve) => setImmediate(resolve));
		expect(c.started).toEqual([1]);
		await c.finish(1);
		await c.finish(2);
		expect(await Promise.all(runs)).toEqual([10, 20]);
	});
});

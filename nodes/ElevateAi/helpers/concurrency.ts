/**
 * Runs `task` over `inputs` with at most `limit` in flight, keeping results in input order.
 * Once `shouldStop()` turns true no new task starts (those running finish), and the inputs never
 * started are left `undefined`: with Continue On Fail off, the first failure stops the batch
 * without sending requests for the items after it.
 */
export async function mapConcurrent<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, position: number) => Promise<R>,
	shouldStop: () => boolean = () => false,
): Promise<Array<R | undefined>> {
	const results: Array<R | undefined> = new Array(inputs.length).fill(undefined);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && !shouldStop()) {
			const position = next++;
			results[position] = await task(inputs[position], position);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, worker);
	await Promise.all(workers);
	return results;
}

/** Runs tasks handed to it with at most a fixed number in flight, in the order they came. */
export type Limiter = <R>(task: () => Promise<R>) => Promise<R>;

/**
 * A gate shared by tasks that start at different times (Transcribe's status checks and result
 * reads, started as each interaction finishes): at most `limit` run at once, the others wait
 * their turn first come, first served.
 */
export function createLimiter(limit: number): Limiter {
	const max = Math.max(1, limit);
	let running = 0;
	const waiting: Array<() => void> = [];
	const release = () => {
		const next = waiting.shift();
		// The slot passes straight to the next task in line, so `running` stays as it is.
		if (next) next();
		else running--;
	};
	return async <R>(task: () => Promise<R>): Promise<R> => {
		if (running < max) running++;
		else await new Promise<void>((resolve) => waiting.push(resolve));
		try {
			return await task();
		} finally {
			release();
		}
	};
}

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

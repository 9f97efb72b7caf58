import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { concurrencyOf, perItem, withUnfinished } from '../../../../nodes/ElevateAi/helpers/batch';
import { ID, ID2, apiError, concurrencyProbe, fakeContext } from '../../../helpers/context';

const item = (itemIndex: number): INodeExecutionData[] => [{ json: { itemIndex }, pairedItem: { item: itemIndex } }];
const later = async () => await new Promise((resolve) => setTimeout(resolve, 2));

function items(count: number, concurrency?: number) {
	return fakeContext({
		params: { operation: 'getStatus', ...(concurrency === undefined ? {} : { options: { concurrency } }) },
		items: Array.from({ length: count }, () => ({})),
	});
}

describe('helpers/batch', () => {
	describe('concurrencyOf', () => {
		it('should read the Concurrency option of the first item, 5 by default', () => {
			expect(concurrencyOf(items(1).ctx)).toBe(5);
			expect(concurrencyOf(items(1, 12).ctx)).toBe(12);
		});

		it('should refuse a Concurrency outside 1–50, naming the field', () => {
			expect(() => concurrencyOf(items(1, 0).ctx)).toThrow(/^Invalid Concurrency: .* \[item 0\]$/);
			expect(() => concurrencyOf(items(1, 51).ctx)).toThrow(/^Invalid Concurrency: .* \[item 0\]$/);
			expect(() => concurrencyOf(items(1, 2.5).ctx)).toThrow('Invalid Concurrency: must be a whole number [item 0]');
		});
	});

	describe('perItem', () => {
		it('should run every item with at most Concurrency at once and keep the item order', async () => {
			const fake = items(7, 3);
			const probe = concurrencyProbe();
			const execute = perItem(async (itemIndex) => await probe.track(item(itemIndex), later));

			const outcomes = await fake.run(execute);

			expect(outcomes).toEqual([0, 1, 2, 3, 4, 5, 6].map(item));
			expect(probe.most).toBe(3);
		});

		it('should cap the concurrency at the operation\'s own limit', async () => {
			const fake = items(6, 50);
			const probe = concurrencyProbe();
			const execute = perItem(async (itemIndex) => await probe.track(item(itemIndex), later), 2);

			await fake.run(execute);

			expect(probe.most).toBe(2);
		});

		it('should return each failure as that item\'s node error and, with Continue On Fail, go on', async () => {
			const fake = fakeContext({ params: { operation: 'getStatus' }, items: [{}, {}, {}], continueOnFail: true });
			const notFound = apiError(404, 'Not found', 1);
			const execute = perItem(async (itemIndex) => {
				if (itemIndex === 1) throw notFound;
				if (itemIndex === 2) throw new Error('plain');
				return item(itemIndex);
			});

			const [first, second, third] = await fake.run(execute);

			expect(first).toEqual(item(0));
			expect(second).toBe(notFound);
			expect(second).toBeInstanceOf(NodeApiError);
			expect(third).toBeInstanceOf(NodeOperationError);
			expect((third as NodeOperationError).message).toBe('plain');
			expect((third as NodeOperationError).context.itemIndex).toBe(2);
		});

		it('should start no new item after the first failure without Continue On Fail', async () => {
			const fake = items(5, 1);
			const started: number[] = [];
			const execute = perItem(async (itemIndex) => {
				started.push(itemIndex);
				if (itemIndex === 1) throw new Error('stop');
				return item(itemIndex);
			});

			const outcomes = await fake.run(execute);

			expect(started).toEqual([0, 1]);
			expect(outcomes[0]).toEqual(item(0));
			expect(outcomes[1]).toBeInstanceOf(NodeOperationError);
			expect(outcomes.slice(2)).toEqual([undefined, undefined, undefined]);
		});
	});

	it('should note the unfinished interactions on the error that stops a batch', () => {
		const error = withUnfinished(fakeContext().ctx, new Error('stop'), [ID, ID2], 0);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as NodeOperationError).context.unfinishedInteractions).toEqual([ID, ID2]);
	});
});

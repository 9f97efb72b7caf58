import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/getStatus.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, ID3, fakeApi, fakeContext, fakeStatusFailingFor, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const STATUS = {
	identifier: ID,
	status: 'processing',
	declared: '2024-01-15T12:00:00Z',
	uploaded: '2024-01-15T12:00:05Z',
	downloaded: null,
	processed: null,
	errorMessage: null,
};

describe('interaction:getStatus', () => {
	beforeEach(() => request.mockReset());

	it('should GET the status of the identifier taken from the input item and return it with pairedItem', async () => {
		fakeApi(request, { 'GET /interactions/:id/status': () => STATUS });
		const fake = fakeContext({ params: { operation: 'getStatus' }, items: [{ json: { interactionIdentifier: ID } }] });

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'GET',
			path: `/interactions/${ID}/status`,
			itemIndex: 0,
			retry: 'idempotent',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([[{ json: { interactionIdentifier: ID, ...STATUS }, pairedItem: { item: 0 } }]]);
	});

	it('should trim and lowercase an identifier given in upper case before it reaches the path', async () => {
		fakeApi(request, { 'GET /interactions/:id/status': () => STATUS });
		const fake = fakeContext({
			params: { operation: 'getStatus', interactionIdentifier: `  ${ID.toUpperCase()} ` },
		});

		const outcomes = await fake.run(execute);

		expect(requestLines(request)).toEqual([`GET /interactions/${ID}/status`]);
		expect((outcomes[0] as Array<{ json: { interactionIdentifier: string } }>)[0].json.interactionIdentifier).toBe(ID);
	});

	it.each([
		['a path traversal', '../x', 'Invalid Interaction ID: must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 [item 0]'],
		['an empty value', '', 'Invalid Interaction ID: it is empty [item 0]'],
		['a GUID with a suffix', `${ID}/ai`, 'Invalid Interaction ID: must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 [item 0]'],
	])('should reject %s without calling the API', async (_, value, message) => {
		const fake = fakeContext({ params: { operation: 'getStatus', interactionIdentifier: value } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toContain(message);
		expect((outcome as NodeOperationError).context.itemIndex).toBe(0);
		expect(request).not.toHaveBeenCalled();
	});

	it('should fail when the input item has no interactionIdentifier to map', async () => {
		const fake = fakeContext({ params: { operation: 'getStatus' }, items: [{ json: { other: 1 } }] });

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe('Invalid Interaction ID: it is empty [item 0]');
		expect(request).not.toHaveBeenCalled();
	});

	it('should fail with an API error when the answer has no status field', async () => {
		fakeApi(request, { 'GET /interactions/:id/status': () => ({ identifier: ID }) });
		const fake = fakeContext({ params: { operation: 'getStatus', interactionIdentifier: ID } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeApiError);
		expect((outcome as Error).message).toBe('ElevateAI returned a status answer without a status');
	});

	it('should return one outcome per item, each paired with its own item', async () => {
		fakeApi(request, {
			'GET /interactions/:id/status': (req) => ({ identifier: req.path.split('/')[2], status: 'processed' }),
		});
		const fake = fakeContext({
			params: { operation: 'getStatus' },
			items: [ID, ID2, ID3].map((interactionIdentifier) => ({ json: { interactionIdentifier } })),
		});

		const outcomes = await fake.run(execute);

		expect(outcomes).toEqual(
			[ID, ID2, ID3].map((id, item) => [
				{ json: { interactionIdentifier: id, identifier: id, status: 'processed' }, pairedItem: { item } },
			]),
		);
		expect(request.mock.calls.map(([, req]) => req.itemIndex)).toEqual([0, 1, 2]);
	});

	it('should start no further item after a failure when Continue On Fail is off', async () => {
		fakeStatusFailingFor(request, 1);
		const fake = fakeContext({
			params: { operation: 'getStatus', options: { concurrency: 1 } },
			items: [ID, ID2, ID3].map((interactionIdentifier) => ({ json: { interactionIdentifier } })),
		});

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toEqual([{ json: { interactionIdentifier: ID, status: 'processed' }, pairedItem: { item: 0 } }]);
		expect(outcomes[1]).toBeInstanceOf(NodeApiError);
		expect(outcomes[2]).toBeUndefined();
		expect(requestLines(request)).toEqual([`GET /interactions/${ID}/status`, `GET /interactions/${ID2}/status`]);
	});

	it('should go on with the next items after a failure when Continue On Fail is on', async () => {
		fakeStatusFailingFor(request, 1);
		const fake = fakeContext({
			params: { operation: 'getStatus', options: { concurrency: 1 } },
			items: [ID, ID2, ID3].map((interactionIdentifier) => ({ json: { interactionIdentifier } })),
			continueOnFail: true,
		});

		const outcomes = await fake.run(execute);

		expect(outcomes[1]).toBeInstanceOf(NodeApiError);
		expect(outcomes[2]).toEqual([{ json: { interactionIdentifier: ID3, status: 'processed' }, pairedItem: { item: 2 } }]);
		expect(request).toHaveBeenCalledTimes(3);
	});

	it('should reject a concurrency outside 1–50 before any request', async () => {
		const fake = fakeContext({ params: { operation: 'getStatus', interactionIdentifier: ID, options: { concurrency: 0 } } });

		await expect(fake.run(execute)).rejects.toThrow(/^Invalid Concurrency: .* \[item 0\]$/);
		expect(request).not.toHaveBeenCalled();
	});
});

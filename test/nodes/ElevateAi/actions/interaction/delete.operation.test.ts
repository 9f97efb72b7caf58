import { NodeApiError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/delete.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, apiError, fakeApi, fakeContext } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

describe('interaction:delete', () => {
	beforeEach(() => request.mockReset());

	it('should DELETE the interaction (retried as idempotent) and return deleted: true with pairedItem', async () => {
		fakeApi(request, { 'DELETE /interactions/:id': () => undefined });
		const fake = fakeContext({
			params: { operation: 'delete' },
			items: [{ json: { interactionIdentifier: ID } }, { json: { interactionIdentifier: ID2 } }],
		});

		const outcomes = await fake.run(execute);

		expect(request.mock.calls.map(([, req]) => req)).toEqual([
			{ method: 'DELETE', path: `/interactions/${ID}`, itemIndex: 0, retry: 'idempotent', maxRetries: 5, ignoreSuccessBody: true },
			{ method: 'DELETE', path: `/interactions/${ID2}`, itemIndex: 1, retry: 'idempotent', maxRetries: 5, ignoreSuccessBody: true },
		]);
		expect(outcomes).toEqual([
			[{ json: { interactionIdentifier: ID, deleted: true }, pairedItem: { item: 0 } }],
			[{ json: { interactionIdentifier: ID2, deleted: true }, pairedItem: { item: 1 } }],
		]);
	});

	it('should return the API error of a failed delete as that item\'s outcome', async () => {
		fakeApi(request, {
			'DELETE /interactions/:id': () => {
				throw apiError(404, 'Interaction not found');
			},
		});
		const fake = fakeContext({ params: { operation: 'delete', interactionIdentifier: ID } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeApiError);
		expect((outcome as Error).message).toBe('ElevateAI error 404: Interaction not found');
	});

	it('should refuse an identifier that is not a GUID without sending the delete', async () => {
		const fake = fakeContext({ params: { operation: 'delete', interactionIdentifier: '*' } });

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toMatch(/^Invalid Interaction ID: .* \[item 0\]$/);
		expect(request).not.toHaveBeenCalled();
	});
});

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/get.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, apiError, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const DECLARED = {
	identifier: ID,
	type: 'audio',
	languageTag: 'en-us',
	vertical: 'default',
	audioTranscriptionMode: 'highAccuracy',
	includeAiResults: true,
	downloadUri: null,
	transcript: null,
	chat: null,
};

describe('interaction:get', () => {
	beforeEach(() => request.mockReset());

	it('should GET the declared parameters and return them with the identifier and pairedItem', async () => {
		fakeApi(request, { 'GET /interactions/:id': () => DECLARED });
		const fake = fakeContext({ params: { operation: 'get' }, items: [{ json: { interactionIdentifier: ID } }] });

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'GET',
			path: `/interactions/${ID}`,
			headers: undefined,
			itemIndex: 0,
			retry: 'idempotent',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([[{ json: { interactionIdentifier: ID, ...DECLARED }, pairedItem: { item: 0 } }]]);
	});

	it('should keep the API 404 as it is when a status check shows the interaction is processed', async () => {
		const notFound = apiError(404, 'Not found');
		fakeApi(request, {
			'GET /interactions/:id': () => {
				throw notFound;
			},
			'GET /interactions/:id/status': () => ({ status: 'processed' }),
		});
		const fake = fakeContext({ params: { operation: 'get', interactionIdentifier: ID } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBe(notFound);
		expect(requestLines(request)).toEqual([`GET /interactions/${ID}`, `GET /interactions/${ID}/status`]);
	});

	it('should keep the API 404 when the status check fails too (unknown interaction)', async () => {
		fakeApi(request, {
			'GET /interactions/:id': () => {
				throw apiError(404, 'Not found');
			},
			'GET /interactions/:id/status': () => {
				throw apiError(404, 'Not found');
			},
		});
		const fake = fakeContext({ params: { operation: 'get', interactionIdentifier: ID } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeApiError);
		expect((outcome as NodeApiError).httpCode).toBe('404');
		expect((outcome as Error).message).toBe('ElevateAI error 404: Not found');
	});

	it('should pass a non-404 API error through without a status check', async () => {
		const forbidden = apiError(401, 'Invalid token');
		fakeApi(request, {
			'GET /interactions/:id': () => {
				throw forbidden;
			},
		});
		const fake = fakeContext({ params: { operation: 'get', interactionIdentifier: ID } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBe(forbidden);
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('should wrap an unexpected error in a NodeOperationError with the item index', async () => {
		fakeApi(request, {
			'GET /interactions/:id': () => {
				throw new TypeError('boom');
			},
		});
		const fake = fakeContext({ params: { operation: 'get' }, items: [{ json: {} }, { json: { interactionIdentifier: ID } }], continueOnFail: true });

		const outcomes = await fake.run(execute);

		expect(outcomes[1]).toBeInstanceOf(NodeOperationError);
		expect((outcomes[1] as Error).message).toBe('boom');
		expect((outcomes[1] as NodeOperationError).context.itemIndex).toBe(1);
	});
});

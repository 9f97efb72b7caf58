import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/getAiResults.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, apiError, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const AI = {
	participantOne: {
		enlightenBundles: [
			{
				name: 'Customer Satisfaction',
				models: [{ name: 'Satisfaction', score: 0.82, minScore: 0.1, minScoreOffset: 1200, maxScore: 0.9, maxScoreOffset: 5400 }],
			},
		],
		voiceActivitySegments: [{ startTimeOffset: 0, endTimeOffset: 1500, result: 'voice' }],
	},
};

describe('interaction:getAiResults', () => {
	beforeEach(() => request.mockReset());

	it('should GET /ai and return the CX AI results with the identifier and pairedItem', async () => {
		fakeApi(request, { 'GET /interactions/:id/ai': () => AI });
		const fake = fakeContext({ params: { operation: 'getAiResults', simple: false }, items: [{ json: { interactionIdentifier: ID } }] });

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'GET',
			path: `/interactions/${ID}/ai`,
			headers: undefined,
			itemIndex: 0,
			retry: 'idempotent',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([[{ json: { interactionIdentifier: ID, ...AI }, pairedItem: { item: 0 } }]]);
	});

	it('should return only the identifier when ElevateAI answers with no content', async () => {
		fakeApi(request, { 'GET /interactions/:id/ai': () => undefined });
		const fake = fakeContext({ params: { operation: 'getAiResults', interactionIdentifier: ID, simple: false } });

		expect(await fake.run(execute)).toEqual([[{ json: { interactionIdentifier: ID }, pairedItem: { item: 0 } }]]);
	});

	it('should explain that results are not ready when the 404 comes from an interaction still processing', async () => {
		fakeApi(request, {
			'GET /interactions/:id/ai': () => {
				throw apiError(404, 'Not found');
			},
			'GET /interactions/:id/status': () => ({ status: 'processing' }),
		});
		const fake = fakeContext({ params: { operation: 'getAiResults', interactionIdentifier: ID, simple: false } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toBe(`The results of interaction ${ID} are not ready: its status is "processing"`);
		expect((outcome as NodeOperationError).description).toContain('Wait For Completion');
		expect(requestLines(request)).toEqual([`GET /interactions/${ID}/ai`, `GET /interactions/${ID}/status`]);
	});
});

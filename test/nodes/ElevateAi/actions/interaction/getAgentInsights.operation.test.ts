import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/getAgentInsights.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, apiError, concurrencyProbe, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const run = async (params: INodeParameters) => {
	const fake = fakeContext({ params: { operation: 'getAgentInsights', interactionIdentifier: ID, ...params } });
	return { fake, outcomes: await fake.run(execute) };
};

describe('interaction:getAgentInsights', () => {
	beforeEach(() => request.mockReset());

	it('should GET the action items by default and spread ElevateAI\'s object after the interaction ID', async () => {
		fakeApi(request, {
			'GET /interactions/:id/gen-ai/cx/agent/action-items': () => ({ actionItems: ['Send the refund form'], language: 'en' }),
		});

		const { fake, outcomes } = await run({});

		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'GET',
			path: `/interactions/${ID}/gen-ai/cx/agent/action-items`,
			headers: undefined,
			itemIndex: 0,
			retry: 'idempotent',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([
			[{ json: { interactionIdentifier: ID, actionItems: ['Send the refund form'], language: 'en' }, pairedItem: { item: 0 } }],
		]);
	});

	it('should GET the coaching assistant and put an answer that is not an object under its name', async () => {
		fakeApi(request, {
			'GET /interactions/:id/gen-ai/cx/agent/coaching-assistant': () => [{ tip: 'Greet by name' }],
		});

		const { outcomes } = await run({ insight: 'coachingAssistant' });

		expect(requestLines(request)).toEqual([`GET /interactions/${ID}/gen-ai/cx/agent/coaching-assistant`]);
		expect(outcomes).toEqual([
			[{ json: { interactionIdentifier: ID, coachingAssistant: [{ tip: 'Greet by name' }] }, pairedItem: { item: 0 } }],
		]);
	});

	it('should keep the interaction ID it asked about even if the answer carries another', async () => {
		fakeApi(request, {
			'GET /interactions/:id/gen-ai/cx/agent/action-items': () => ({ interactionIdentifier: 'something else', actionItems: [] }),
		});

		const { outcomes } = await run({});

		expect(outcomes).toEqual([[{ json: { interactionIdentifier: ID, actionItems: [] }, pairedItem: { item: 0 } }]]);
	});

	it('should give just the interaction ID for an empty answer', async () => {
		fakeApi(request, { 'GET /interactions/:id/gen-ai/cx/agent/action-items': () => undefined });

		expect((await run({})).outcomes).toEqual([[{ json: { interactionIdentifier: ID }, pairedItem: { item: 0 } }]]);
	});

	it('should refuse an unknown insight before any request', async () => {
		const { outcomes } = await run({ insight: 'sentiment' });

		expect(outcomes[0]).toBeInstanceOf(NodeOperationError);
		expect((outcomes[0] as Error).message).toBe('Invalid Insight: must be one of: actionItems, coachingAssistant [item 0]');
		expect(request).not.toHaveBeenCalled();
	});

	it('should pass ElevateAI\'s error on as a NodeApiError for the item', async () => {
		fakeApi(request, {
			'GET /interactions/:id/gen-ai/cx/agent/action-items': () => {
				throw apiError(404, 'No generative AI results for this interaction');
			},
		});

		const { outcomes } = await run({});

		expect(outcomes[0]).toBeInstanceOf(NodeApiError);
		expect((outcomes[0] as Error).message).toBe('ElevateAI error 404: No generative AI results for this interaction');
	});

	it('should keep at most 10 generative AI calls in flight even with a higher concurrency', async () => {
		const probe = concurrencyProbe();
		fakeApi(request, { 'GET /interactions/:id/gen-ai/cx/agent/action-items': async () => await probe.track({ actionItems: [] }) });
		const fake = fakeContext({
			params: { operation: 'getAgentInsights', interactionIdentifier: ID, options: { concurrency: 50 } },
			items: Array.from({ length: 25 }, () => ({})),
		});

		const outcomes = await fake.run(execute);

		expect(probe.most).toBe(10);
		expect(outcomes).toHaveLength(25);
	});
});

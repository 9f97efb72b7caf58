import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/getSummary.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, concurrencyProbe, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const DETAILS = {
	reasons: ['billing question'],
	actionsTakenByAgent: ['explained the invoice'],
	entities: [{ type: 'product', value: 'fibre 500' }],
	isResolved: true,
};

describe('interaction:getSummary', () => {
	beforeEach(() => request.mockReset());

	it('should GET the summary only, without an Accept-Language header, by default', async () => {
		fakeApi(request, { 'GET /interactions/:id/gen-ai/cx/summary': () => ({ summary: 'The customer asked about a bill.' }) });
		const fake = fakeContext({ params: { operation: 'getSummary' }, items: [{ json: { interactionIdentifier: ID } }] });

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'GET',
			path: `/interactions/${ID}/gen-ai/cx/summary`,
			headers: undefined,
			itemIndex: 0,
			retry: 'idempotent',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([
			[{ json: { interactionIdentifier: ID, summary: 'The customer asked about a bill.' }, pairedItem: { item: 0 } }],
		]);
	});

	it('should add the details and send the language as Accept-Language on both calls', async () => {
		fakeApi(request, {
			'GET /interactions/:id/gen-ai/cx/summary': () => ({ summary: 'Resumen.' }),
			'GET /interactions/:id/gen-ai/cx/summary/details': () => DETAILS,
		});
		const fake = fakeContext({
			params: {
				operation: 'getSummary',
				interactionIdentifier: ID,
				options: { includeDetails: true, summaryLanguage: ' es-419 ' },
			},
		});

		const outcomes = await fake.run(execute);

		expect(request.mock.calls.map(([, req]) => req)).toEqual([
			{
				method: 'GET',
				path: `/interactions/${ID}/gen-ai/cx/summary`,
				headers: { 'Accept-Language': 'es-419' },
				itemIndex: 0,
				retry: 'idempotent',
				maxRetries: 5,
			},
			{
				method: 'GET',
				path: `/interactions/${ID}/gen-ai/cx/summary/details`,
				headers: { 'Accept-Language': 'es-419' },
				itemIndex: 0,
				retry: 'idempotent',
				maxRetries: 5,
			},
		]);
		expect(outcomes).toEqual([
			[{ json: { interactionIdentifier: ID, summary: 'Resumen.', ...DETAILS }, pairedItem: { item: 0 } }],
		]);
	});

	it('should give an empty summary when ElevateAI answers with no content', async () => {
		fakeApi(request, { 'GET /interactions/:id/gen-ai/cx/summary': () => undefined });
		const fake = fakeContext({ params: { operation: 'getSummary', interactionIdentifier: ID } });

		expect(await fake.run(execute)).toEqual([[{ json: { interactionIdentifier: ID, summary: '' }, pairedItem: { item: 0 } }]]);
	});

	it('should keep at most 10 generative AI calls in flight even with a higher concurrency', async () => {
		const probe = concurrencyProbe();
		fakeApi(request, { 'GET /interactions/:id/gen-ai/cx/summary': async () => await probe.track({ summary: 's' }) });
		const fake = fakeContext({
			params: { operation: 'getSummary', interactionIdentifier: ID, options: { concurrency: 50 } },
			items: Array.from({ length: 25 }, () => ({})),
		});

		const outcomes = await fake.run(execute);

		expect(probe.most).toBe(10);
		expect(outcomes).toHaveLength(25);
		expect(requestLines(request)).toHaveLength(25);
	});
});

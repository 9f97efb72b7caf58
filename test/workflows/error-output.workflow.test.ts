import nock from 'nock';

import { TEST_BASE_URL, runChain } from '../helpers/engine';
import { ids } from './wire';

/**
 * Layer 2: On Error → "Continue (using error output)" inside n8n-core's own WorkflowExecute.
 * n8n-core 2.41 routes an item to the error output when its json has no keys but `error`,
 * `message` and `details`; n8n-core 1.x and 2.0 only when it is exactly {error} or
 * {error, message}. The node's failed items are {error, message}, so every engine routes them
 * (this file also runs on n8n-core 1.122: `npm run test:engine:n8n-v1`).
 */

const HOST = new URL(TEST_BASE_URL).origin;
const API_PATH = new URL(TEST_BASE_URL).pathname;

const items = [
	{ json: { crmId: 'CRM-1', interactionIdentifier: ids.a } },
	{ json: { crmId: 'CRM-2', interactionIdentifier: ids.b } },
	{ json: { crmId: 'CRM-3', interactionIdentifier: ids.c } },
];

const parameters = (extra: Record<string, unknown> = {}) => ({
	resource: 'interaction',
	interactionIdentifier: '={{ $json.interactionIdentifier }}',
	...extra,
});

/** ElevateAI's answer for ids.b is an unknown interaction; the others are processed. */
function statusApi() {
	return nock(HOST)
		.get(`${API_PATH}/interactions/${ids.a}/status`)
		.reply(200, { status: 'processed' })
		.get(`${API_PATH}/interactions/${ids.b}/status`)
		.reply(404, { errorMessage: 'Interaction not found.' })
		.get(`${API_PATH}/interactions/${ids.c}/status`)
		.reply(200, { status: 'processing' });
}

const failedJson = {
	// n8n merges the input item's fields back in…
	crmId: 'CRM-2',
	interactionIdentifier: ids.b,
	sourceIndex: 1,
	// …under the node's error item.
	error: expect.stringMatching(/^ElevateAI error 404/),
	message: expect.stringMatching(/\S/),
};

describe('error output (On Error → Continue (using error output)) in n8n-core', () => {
	afterEach(() => nock.cleanAll());

	it('should route a failed item to the error output and keep the others on the main output', async () => {
		const scope = statusApi();
		const result = await runChain({
			items,
			chain: [{ name: 'Get Status', parameters: parameters({ operation: 'getStatus' }), onError: 'continueErrorOutput' }],
		});

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output('Get Status', 0).map((item) => item.json)).toEqual([
			{ interactionIdentifier: ids.a, status: 'processed' },
			{ interactionIdentifier: ids.c, status: 'processing' },
		]);
		const failed = result.output('Get Status', 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].json).toEqual(failedJson);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
	});

	it('should put the error output after both outputs of Wait For Completion in route mode', async () => {
		const scope = statusApi();
		const result = await runChain({
			items,
			chain: [
				{
					name: 'Wait',
					parameters: parameters({ operation: 'waitForCompletion', waitMode: 'route' }),
					onError: 'continueErrorOutput',
				},
			],
		});

		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.output('Wait', 0).map((item) => item.json.interactionIdentifier)).toEqual([ids.a]);
		expect(result.output('Wait', 1).map((item) => item.json.interactionIdentifier)).toEqual([ids.c]);
		expect(result.output('Wait', 2).map((item) => item.json)).toEqual([failedJson]);
	});

	it('should name the interaction in the message when the input item does not carry it', async () => {
		const scope = statusApi();
		const result = await runChain({
			items: items.map(({ json }) => ({ json: { ref: json.interactionIdentifier } })),
			chain: [
				{
					name: 'Get Status',
					parameters: parameters({ operation: 'getStatus', interactionIdentifier: '={{ $json.ref }}' }),
					onError: 'continueErrorOutput',
				},
			],
		});

		expect(scope.isDone()).toBe(true);
		expect(result.output('Get Status', 1).map((item) => item.json)).toEqual([
			{
				ref: ids.b,
				sourceIndex: 1,
				error: expect.stringMatching(/^ElevateAI error 404/),
				message: expect.stringContaining(`Interaction ${ids.b}.`),
			},
		]);
	});

	it('should keep failed items on the main output with "Continue (using regular output)"', async () => {
		statusApi();
		const result = await runChain({
			items,
			chain: [{ name: 'Get Status', parameters: parameters({ operation: 'getStatus' }), continueOnFail: true }],
		});

		const main = result.output('Get Status', 0);
		expect(main.map((item) => item.json.interactionIdentifier)).toEqual([ids.a, ids.b, ids.c]);
		expect(main[1].json).toEqual({ error: expect.stringMatching(/^ElevateAI error 404/), errorDescription: expect.any(String), interactionIdentifier: ids.b });
		expect(main[1]).not.toHaveProperty('error');
		expect(result.output('Get Status', 1)).toEqual([]);
	});
});

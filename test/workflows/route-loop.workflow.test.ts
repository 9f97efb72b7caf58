import 'reflect-metadata';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import nock from 'nock';

import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { TEST_BASE_URL, TEST_TOKEN, TestCredentialsHelper, buildAdditionalData, nodeTypes as baseNodeTypes } from '../helpers/engine';

/**
 * Layer 2: Wait For Completion in route mode inside n8n-core's WorkflowExecute, looping the way
 * examples/queue-mode-parked-wait.json does: Still Processing → a pause → back into the node.
 * The pause stands in for n8n's Wait node (which parks the execution in the database; the real
 * thing is covered by test/e2e/distributed.test.mjs): it moves a virtual clock on by its minutes.
 */

let offset = 0;
const realNow = Date.now.bind(Date);

/** Passes its items through after moving the virtual clock on by `minutes`. */
class Pause implements INodeType {
	description = {
		displayName: 'Pause',
		name: 'pause',
		group: ['transform'],
		version: 1,
		description: 'Stands in for the Wait node',
		defaults: { name: 'Pause' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Minutes', name: 'minutes', type: 'number' as const, default: 2 }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		offset += (this.getNodeParameter('minutes', 0) as number) * 60_000;
		return [this.getInputData().map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
	}
}

class Collect implements INodeType {
	description = { ...new Pause().description, displayName: 'Collect', name: 'collect', properties: [] } as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const nodeTypes: INodeTypes = {
	getByName: (type) => (type === 'test.pause' ? new Pause() : type === 'test.collect' ? new Collect() : baseNodeTypes.getByName(type)),
	getByNameAndVersion: (type, version) =>
		type === 'test.pause' ? new Pause() : type === 'test.collect' ? new Collect() : baseNodeTypes.getByNameAndVersion(type, version),
	getKnownTypes: () => ({}),
};

const HOST = new URL(TEST_BASE_URL).origin;
const API = new URL(TEST_BASE_URL).pathname;
const A = '0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const B = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

beforeEach(() => {
	offset = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
});
afterEach(() => {
	jest.restoreAllMocks();
	nock.cleanAll();
});

/** Each id answers its statuses in order, one per request; more requests than answers fail the test. */
function scriptStatuses(script: Record<string, string[]>) {
	const checks: Record<string, number[]> = {};
	for (const [id, answers] of Object.entries(script)) {
		checks[id] = [];
		nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(`${API}/interactions/${id}/status`)
			.times(answers.length)
			.reply(() => {
				checks[id].push(Date.now());
				const status = answers[checks[id].length - 1];
				return [200, { identifier: id, status, declared: null, uploaded: null, downloaded: null, processed: null, errorMessage: null }];
			});
	}
	return checks;
}

async function runLoop(items: IDataObject[], waitParameters: INodeParameters, pauseMinutes = 2) {
	const nodes: INode[] = [
		{ id: 't', name: 'Start', type: 'test.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 's', name: 'Items', type: 'test.itemsSource', typeVersion: 1, position: [200, 0], parameters: { items: JSON.stringify(items.map((json) => ({ json }))) } },
		{
			id: 'w',
			name: 'Wait for completion',
			type: 'n8n-nodes-elevateai.elevateAi',
			typeVersion: 1,
			position: [400, 0],
			parameters: { resource: 'interaction', operation: 'waitForCompletion', waitMode: 'route', ...waitParameters },
			credentials: { elevateAiApi: { id: 'cred-1', name: 'ElevateAI test' } },
		},
		{ id: 'p', name: 'Pause', type: 'test.pause', typeVersion: 1, position: [600, 200], parameters: { minutes: pauseMinutes } },
		{ id: 'd', name: 'Done', type: 'test.collect', typeVersion: 1, position: [600, 0], parameters: {} },
	];
	const main = (node: string) => ({ node, type: NodeConnectionTypes.Main, index: 0 });
	const connections: IConnections = {
		Start: { main: [[main('Items')]] },
		Items: { main: [[main('Wait for completion')]] },
		'Wait for completion': { main: [[main('Done')], [main('Pause')]] },
		Pause: { main: [[main('Wait for completion')]] },
	};
	const workflow = new Workflow({ id: 'route-loop', nodes, connections, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'route-loop',
		name: 'route loop',
		active: false,
		isArchived: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));
	const credentials = new TestCredentialsHelper({ apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL });
	await new WorkflowExecute(buildAdditionalData(credentials, hooks), 'manual')
		.run({ workflow, startNode: workflow.getNode('Start') ?? undefined })
		.catch(() => undefined);
	const run = await done;
	const runs = run.data.resultData.runData;
	return {
		run,
		error: run.data.resultData.error,
		/** Items of `node` on `output`, run by run. */
		outputs: (node: string, output = 0) => (runs[node] ?? []).map((task) => task.data?.main?.[output] ?? []),
	};
}

describe('Wait For Completion, route mode, looping in n8n', () => {
	it('should loop unfinished items through the pause, keep waitStartedAt, count checks and finish on Processed', async () => {
		const startedAt = realNow();
		const checks = scriptStatuses({ [A]: ['processing', 'processing', 'processed'], [B]: ['processed'] });

		const { error, outputs } = await runLoop([{ interactionIdentifier: A }, { interactionIdentifier: B }], { timeout: 60 });

		expect(error).toBeUndefined();
		// Three runs of the node: both items, then A alone twice.
		const stillProcessing = outputs('Wait for completion', 1);
		expect(stillProcessing.map((items) => items.map((item) => item.json.interactionIdentifier))).toEqual([[A], [A], []]);
		const first = stillProcessing[0][0].json;
		const second = stillProcessing[1][0].json;
		expect(first.checks).toBe(1);
		expect(second.checks).toBe(2);
		expect(second.waitStartedAt).toBe(first.waitStartedAt);
		expect(Date.parse(first.waitStartedAt as string)).toBeGreaterThanOrEqual(startedAt - 1000);
		expect(Date.parse(first.waitStartedAt as string)).toBeLessThan(startedAt + 60_000);
		// One status request per item per pass, two (virtual) minutes apart.
		expect(checks[A]).toHaveLength(3);
		expect(checks[A][2] - checks[A][0]).toBeGreaterThanOrEqual(4 * 60_000);
		expect(checks[B]).toHaveLength(1);
		const done = outputs('Done').flat();
		expect(done.map((item) => [item.json.interactionIdentifier, item.json.status])).toEqual([
			[B, 'processed'],
			[A, 'processed'],
		]);
		expect(nock.isDone()).toBe(true);
	});

	it('should carry each item\'s CRM ID (externalIdentifier) round the loop to Processed, with one ID and no other request', async () => {
		scriptStatuses({ [A]: ['processing', 'processed'], [B]: ['processed'] });

		const { error, outputs } = await runLoop(
			[
				{ interactionIdentifier: A, type: 'audio', externalIdentifier: 'CRM-A' },
				{ interactionIdentifier: B, type: 'audio', externalIdentifier: 'CRM-B' },
			],
			{ timeout: 60 },
		);

		expect(error).toBeUndefined();
		expect(outputs('Wait for completion', 1)[0].map((item) => item.json.externalIdentifier)).toEqual(['CRM-A']);
		const done = outputs('Done').flat().map((item) => item.json);
		expect(done.map((json) => [json.interactionIdentifier, json.externalIdentifier])).toEqual([
			[B, 'CRM-B'],
			[A, 'CRM-A'],
		]);
		for (const json of done) {
			expect(Object.keys(json).slice(0, 2)).toEqual(['interactionIdentifier', 'externalIdentifier']);
			expect(json).not.toHaveProperty('identifier');
		}
		// Only status checks (nock fails any other request): route mode reads no type.
		expect(nock.isDone()).toBe(true);
	});

	it('should end the loop with a timeout error counted from the first check, not from the last pass', async () => {
		const checks = scriptStatuses({ [A]: ['processing', 'processing', 'processing', 'processing'] });

		const { error, outputs } = await runLoop([{ interactionIdentifier: A }], { timeout: 5 }, 2);

		// Checks at 0, 2 and 4 minutes go round; at 6 minutes the 5-minute timeout has passed.
		expect(checks[A]).toHaveLength(4);
		expect(outputs('Wait for completion', 1).map((items) => items.length)).toEqual([1, 1, 1, 0]);
		expect(error?.message).toBe(`Interaction ${A} did not finish within 5 minutes`);
		expect(outputs('Done').flat()).toEqual([]);
	});
});

import { NodeApiError, NodeHelpers, NodeOperationError, sleep, Workflow } from 'n8n-workflow';
import type { IDataObject, INode, INodeTypes, INodeExecutionData } from 'n8n-workflow';

import { ElevateAi } from '../../../../../nodes/ElevateAi/ElevateAi.node';
import { router } from '../../../../../nodes/ElevateAi/actions/router';
import {
	description,
	execute,
	outputCount,
} from '../../../../../nodes/ElevateAi/actions/interaction/waitForCompletion.operation';
import type { OutputItems } from '../../../../../nodes/ElevateAi/helpers/interfaces';
import type { ApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, ID3, NODE, apiError, fakeApi, fakeClock, fakeContext, params, requestLines } from '../../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);
const sleepMock = jest.mocked(sleep);

const START = Date.UTC(2024, 0, 15, 12, 0, 0);
let clock: ReturnType<typeof fakeClock>;

function answer(byId: Record<string, string | { status: string; errorMessage?: string } | 'THROW'>) {
	const checked: string[] = [];
	fakeApi(request, {
		'GET /interactions/:id/status': (req: ApiRequest) => {
			const id = req.path.split('/')[2];
			checked.push(id);
			const value = byId[id];
			if (value === 'THROW') throw apiError(500, 'Internal error');
			return { identifier: id, errorMessage: null, ...(typeof value === 'string' ? { status: value } : value) };
		},
	});
	return checked;
}

function routeContext(
	items: Array<Record<string, unknown>>,
	extra: { params?: object; continueOnFail?: boolean } = {},
) {
	return fakeContext({
		params: { operation: 'waitForCompletion', waitMode: 'route', ...extra.params },
		items: items.map((json) => ({ json: json as IDataObject })),
		continueOnFail: extra.continueOnFail,
	});
}

const still = (outcome: unknown) => outcome as OutputItems;

describe('interaction:waitForCompletion, route mode', () => {
	beforeEach(() => {
		request.mockReset();
		sleepMock.mockReset();
		clock = fakeClock(START);
	});
	afterEach(() => clock.restore());

	it('should check each item once, without sleeping, and send a processed one to Processed as in poll mode', async () => {
		const checked = answer({ [ID]: 'processed' });
		const fake = routeContext([{ interactionIdentifier: ID }]);

		const outcomes = await fake.run(execute);

		expect(checked).toEqual([ID]);
		expect(sleepMock).not.toHaveBeenCalled();
		expect(outcomes).toEqual([
			[{ json: { interactionIdentifier: ID, status: 'processed', errorMessage: null }, pairedItem: { item: 0 } }],
		]);
	});

	it('should carry the input\'s externalIdentifier on both outputs, right after the ID, and round the loop', async () => {
		const checked = answer({ [ID]: 'processed', [ID2]: 'processing' });
		const fake = routeContext([
			{ interactionIdentifier: ID, type: 'audio', externalIdentifier: 'CRM-1' },
			{ interactionIdentifier: ID2, externalIdentifier: 'CRM-2' },
		]);

		const [processed, stillProcessing] = await fake.run(execute);

		const done = (processed as Array<{ json: IDataObject }>)[0].json;
		expect(Object.keys(done).slice(0, 2)).toEqual(['interactionIdentifier', 'externalIdentifier']);
		expect(done).toEqual({ interactionIdentifier: ID, externalIdentifier: 'CRM-1', status: 'processed', errorMessage: null });
		const waiting = still(stillProcessing).items[0].json;
		expect(waiting).toEqual({
			interactionIdentifier: ID2,
			externalIdentifier: 'CRM-2',
			status: 'processing',
			waitStartedAt: new Date(START).toISOString(),
			checks: 1,
		});
		// Round the loop: the Still Processing item comes back and still carries the CRM ID.
		const again = routeContext([waiting]);
		const [next] = await again.run(execute);
		expect(still(next).items[0].json).toMatchObject({ externalIdentifier: 'CRM-2', checks: 2 });
		// No sleeping in route mode, so no pace and no read of the declared parameters.
		expect(checked).toEqual([ID, ID2, ID2]);
		expect(requestLines(request)).toEqual([
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID2}/status`,
			`GET /interactions/${ID2}/status`,
		]);
	});

	it('should send an unfinished item to Still Processing with waitStartedAt set at the first check and checks = 1', async () => {
		answer({ [ID]: 'processing' });
		const fake = routeContext([{ interactionIdentifier: ID, type: 'audio', unrelated: 'x' }]);

		const [outcome] = await fake.run(execute);

		expect(outcome).toEqual({
			output: 1,
			items: [
				{
					json: { interactionIdentifier: ID, status: 'processing', waitStartedAt: new Date(START).toISOString(), checks: 1 },
					pairedItem: { item: 0 },
				},
			],
		});
		expect(sleepMock).not.toHaveBeenCalled();
	});

	it('should keep waitStartedAt and count checks when an item comes round again', async () => {
		answer({ [ID]: 'processing' });
		const startedAt = new Date(START - 10 * 60_000).toISOString();
		const fake = routeContext([{ interactionIdentifier: ID, status: 'processing', waitStartedAt: startedAt, checks: 4 }]);

		const [outcome] = await fake.run(execute);

		expect(still(outcome).items[0].json).toEqual({ interactionIdentifier: ID, status: 'processing', waitStartedAt: startedAt, checks: 5 });
	});

	it('should fail an item whose timeout has passed since waitStartedAt, naming its last status', async () => {
		answer({ [ID]: 'processing' });
		const startedAt = new Date(START - 61 * 60_000).toISOString();
		const fake = routeContext([{ interactionIdentifier: ID, waitStartedAt: startedAt, checks: 30 }]);

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toBe(`Interaction ${ID} did not finish within 60 minutes`);
		expect((outcome as NodeOperationError).description).toContain('Its last status was "processing".');
	});

	it('should use the Timeout parameter, and still pass an item that finished after its timeout', async () => {
		answer({ [ID]: 'processing', [ID2]: 'processed' });
		const startedAt = new Date(START - 6 * 60_000).toISOString();
		const fake = routeContext(
			[
				{ interactionIdentifier: ID, waitStartedAt: startedAt },
				{ interactionIdentifier: ID2, waitStartedAt: startedAt },
			],
			{ params: { timeout: 5 }, continueOnFail: true },
		);

		const [late, done] = await fake.run(execute);

		expect((late as Error).message).toBe(`Interaction ${ID} did not finish within 5 minutes`);
		expect((done as INodeExecutionData[])[0].json.status).toBe('processed');
	});

	it.each([
		['processingFailed', 'Unsupported codec', 'ElevateAI says: Unsupported codec'],
		['fileDownloadFailed', undefined, 'ElevateAI gave no reason. Check the recording (format, length) and try again.'],
	])('should fail the item on %s as poll mode does', async (status, errorMessage, text) => {
		answer({ [ID]: { status, errorMessage } });
		const fake = routeContext([{ interactionIdentifier: ID }]);

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe(`ElevateAI could not process interaction ${ID}: ${status}`);
		expect((outcome as NodeOperationError).description).toBe(text);
	});

	it('should route a mixed batch item by item, keeping pairedItem', async () => {
		answer({ [ID]: 'processed', [ID2]: 'fileDownloading', [ID3]: 'processed' });
		const fake = routeContext([{ interactionIdentifier: ID }, { interactionIdentifier: ID2 }, { interactionIdentifier: ID3 }]);

		const outcomes = await fake.run(execute);

		expect((outcomes[0] as INodeExecutionData[])[0].pairedItem).toEqual({ item: 0 });
		expect(still(outcomes[1]).output).toBe(1);
		expect(still(outcomes[1]).items[0].pairedItem).toEqual({ item: 1 });
		expect((outcomes[2] as INodeExecutionData[])[0].pairedItem).toEqual({ item: 2 });
	});

	it('should keep the other items with Continue On Fail when one status request fails', async () => {
		answer({ [ID]: 'THROW', [ID2]: 'processing' });
		const fake = routeContext([{ interactionIdentifier: ID }, { interactionIdentifier: ID2 }], { continueOnFail: true });

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toBeInstanceOf(NodeApiError);
		expect(still(outcomes[1]).output).toBe(1);
	});

	it.each([
		[{ waitStartedAt: 'yesterday' }, 'Invalid waitStartedAt: must be an ISO 8601 date-time that is not in the future [item 0]'],
		[{ waitStartedAt: 1705320000000 }, 'Invalid waitStartedAt: must be an ISO 8601 date-time that is not in the future [item 0]'],
		[{ waitStartedAt: '2024-13-45T99:00:00Z' }, 'Invalid waitStartedAt: must be an ISO 8601 date-time that is not in the future [item 0]'],
		[{ waitStartedAt: new Date(START + 3_600_000).toISOString() }, 'Invalid waitStartedAt: must be an ISO 8601 date-time that is not in the future [item 0]'],
		[{ checks: -1 }, 'Invalid checks: must be a whole number of 0 or more [item 0]'],
		[{ checks: '3' }, 'Invalid checks: must be a whole number of 0 or more [item 0]'],
		[{ checks: 1.5 }, 'Invalid checks: must be a whole number of 0 or more [item 0]'],
	])('should reject an odd loop field %p before any request', async (json, message) => {
		answer({ [ID]: 'processing' });
		const fake = routeContext([{ interactionIdentifier: ID, ...json }]);

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe(message);
		expect(request).not.toHaveBeenCalled();
	});

	it('should accept a waitStartedAt a few seconds ahead (another worker\'s clock) as now', async () => {
		answer({ [ID]: 'processing' });
		const fake = routeContext([{ interactionIdentifier: ID, waitStartedAt: new Date(START + 5_000).toISOString() }]);

		const [outcome] = await fake.run(execute);

		expect(still(outcome).items[0].json.waitStartedAt).toBe(new Date(START).toISOString());
	});

	it('should reject a bad identifier before any request, and ignore Poll Interval (hidden in route mode)', async () => {
		answer({ [ID]: 'processing' });
		const fake = routeContext([{ interactionIdentifier: 'not-a-guid' }], { params: { pollInterval: 0 } });

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toMatch(/^Invalid Interaction ID: .* \[item 0\]$/);
		expect(request).not.toHaveBeenCalled();
	});

	it('should have two outputs only in route mode', () => {
		expect(outputCount(routeContext([{ interactionIdentifier: ID }]).ctx)).toBe(2);
		const poll = fakeContext({ params: { operation: 'waitForCompletion' }, items: [{ json: { interactionIdentifier: ID } }] });
		expect(outputCount(poll.ctx)).toBe(1);
	});
});

describe('router, Wait For Completion in route mode', () => {
	beforeEach(() => {
		request.mockReset();
		clock = fakeClock(START);
	});
	afterEach(() => clock.restore());

	it('should return two outputs: Processed (with Continue On Fail errors) and Still Processing', async () => {
		answer({ [ID]: 'processed', [ID2]: 'processing', [ID3]: 'processingFailed' });
		const fake = routeContext([{ interactionIdentifier: ID }, { interactionIdentifier: ID2 }, { interactionIdentifier: ID3 }], {
			continueOnFail: true,
		});

		const [processed, stillProcessing, ...rest] = await router.call(fake.ctx);

		expect(rest).toEqual([]);
		expect(processed.map((item) => [item.json.interactionIdentifier, item.json.status ?? item.json.error, item.pairedItem])).toEqual([
			[ID, 'processed', { item: 0 }],
			[ID3, `ElevateAI could not process interaction ${ID3}: processingFailed`, { item: 2 }],
		]);
		expect(stillProcessing).toEqual([
			{
				json: { interactionIdentifier: ID2, status: 'processing', waitStartedAt: new Date(START).toISOString(), checks: 1 },
				pairedItem: { item: 1 },
			},
		]);
	});

	it('should return empty outputs rather than missing ones when every item is still processing', async () => {
		answer({ [ID]: 'pendingProcessing' });
		const fake = routeContext([{ interactionIdentifier: ID }]);

		const outputs = await router.call(fake.ctx);

		expect(outputs).toHaveLength(2);
		expect(outputs[0]).toEqual([]);
		expect(outputs[1]).toHaveLength(1);
	});

	it('should stop the node on a failure without Continue On Fail', async () => {
		answer({ [ID]: 'processing', [ID2]: 'processingFailed' });
		const fake = routeContext([{ interactionIdentifier: ID }, { interactionIdentifier: ID2 }]);

		await expect(router.call(fake.ctx)).rejects.toThrow(`ElevateAI could not process interaction ${ID2}: processingFailed`);
	});
});

describe('Wait For Completion description in route mode', () => {
	const nodeType = new ElevateAi();
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};

	/** The outputs n8n computes for a node with these parameters (as the editor and engine do). */
	function outputsFor(parameters: Record<string, unknown>, onError?: INode['onError']) {
		const node: INode = { ...NODE, parameters: params(parameters as never), ...(onError ? { onError } : {}) };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return NodeHelpers.getNodeOutputs(workflow, workflow.getNode(node.name) as INode, nodeType.description);
	}

	it('should compute Processed and Still Processing in route mode, one output otherwise', () => {
		expect(outputsFor({ operation: 'waitForCompletion', waitMode: 'route' })).toEqual([
			{ type: 'main', displayName: 'Processed' },
			{ type: 'main', displayName: 'Still Processing' },
		]);
		expect(outputsFor({ operation: 'waitForCompletion' })).toEqual(['main']);
		expect(outputsFor({ operation: 'transcribe' })).toEqual(['main']);
		expect(outputsFor({ operation: 'getStatus', waitMode: 'route' })).toEqual(['main']);
	});

	it('should add the error output after both outputs with On Error → Continue (using error output)', () => {
		const outputs = outputsFor({ operation: 'waitForCompletion', waitMode: 'route' }, 'continueErrorOutput');
		expect(outputs.map((o) => (typeof o === 'string' ? o : o.displayName))).toEqual(['Processed', 'Still Processing', 'Error']);
	});

	it('should default to poll mode and hide the poll-only parameters in route mode', () => {
		const shown = (waitMode: string) =>
			description
				.filter((p) => NodeHelpers.displayParameter(params({ operation: 'waitForCompletion', waitMode }), p, NODE, nodeType.description))
				.map((p) => p.name);
		expect(params({ operation: 'waitForCompletion' }).waitMode).toBe('poll');
		expect(shown('poll')).toEqual(expect.arrayContaining(['waitMode', 'pollInterval', 'timeout', 'waitNotice']));
		expect(shown('poll')).not.toContain('routeNotice');
		expect(shown('route')).toEqual(expect.arrayContaining(['waitMode', 'timeout', 'routeNotice', 'options']));
		expect(shown('route')).not.toContain('pollInterval');
		expect(shown('route')).not.toContain('waitNotice');
	});
});

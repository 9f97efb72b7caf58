import nock from 'nock';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	EngineRequest,
	EngineResponse,
	IConnections,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { ElevateAi } from '../../nodes/ElevateAi/ElevateAi.node';
import { TEST_BASE_URL, TEST_TOKEN, TestCredentialsHelper, buildAdditionalData } from '../helpers/engine';

/**
 * The compact AI-tool outputs, through n8n's own engine, the way a Tools Agent calls a tool on
 * n8n 1.x and 2.x alike: the agent answers with an engine request naming the tool node, the
 * engine runs that node (its `<type>Tool` variant, as n8n's loader registers it for a
 * `usableAsTool` node) with an ordinary execute context, and hands its output back to the agent.
 * On that route `isToolExecution()` is missing (1.x) or false (2.x), so the node must recognise
 * the tool variant by its type.
 */

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const TOOL_TYPE = 'n8n-nodes-elevateai.elevateAiTool';

/** What n8n's loader (convertNodeToAiTool) makes of a usableAsTool node: same class, `…Tool` name, ai_tool output. */
function toolVariant(node: INodeType): INodeType {
	const description: INodeTypeDescription = {
		...node.description,
		name: `${node.description.name}Tool`,
		displayName: `${node.description.displayName} Tool`,
		inputs: [],
		outputs: [NodeConnectionTypes.AiTool],
	};
	return Object.create(node, { description: { value: description } }) as INodeType;
}

/** Seen by the tool node on each run: what `isToolExecution()` said (undefined where it does not exist). */
const contextSaid: Array<boolean | undefined> = [];
const elevateAi = new ElevateAi();
const tool = toolVariant(elevateAi);
const observedTool = Object.create(tool, {
	execute: {
		value: async function (this: IExecuteFunctions) {
			contextSaid.push((this as { isToolExecution?: () => boolean }).isToolExecution?.());
			return await elevateAi.execute.call(this);
		},
	},
}) as INodeType;

/** A Tools Agent reduced to its engine protocol: call the tool once, then output what it returned. */
class FakeAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fake agent',
		name: 'fakeAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls one tool through the engine',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions, response?: EngineResponse): Promise<INodeExecutionData[][] | EngineRequest> {
		// The engine passes an empty response on the first run, the tool's results once it ran.
		if (!response?.actionResponses.length) {
			return {
				actions: [
					{
						actionType: 'ExecutionNodeAction',
						nodeName: 'ElevateAI Tool',
						input: { interactionIdentifier: ID },
						type: NodeConnectionTypes.AiTool,
						id: 'call-1',
						metadata: { itemIndex: 0 },
					},
				],
				metadata: {},
			};
		}
		const results = response.actionResponses.map((r) => r.data.data?.[NodeConnectionTypes.AiTool]?.[0] ?? r.data.data?.main?.[0]);
		return [[{ json: { toolResults: results.map((items) => (items ?? []).map((i) => i.json)) } }]];
	}
}

class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Start',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const registry: Record<string, INodeType> = {
	'test.manualTrigger': new ManualTrigger(),
	'test.fakeAgent': new FakeAgent(),
	[TOOL_TYPE]: observedTool,
	'n8n-nodes-elevateai.elevateAi': elevateAi,
};
const nodeTypes: INodeTypes = {
	getByName: (type) => registry[type],
	getByNameAndVersion: (type) => registry[type],
	getKnownTypes: () => ({}),
};

async function runAgentWithTool(parameters: INode['parameters']): Promise<IRun> {
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: 'test.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'agent', name: 'Agent', type: 'test.fakeAgent', typeVersion: 1, position: [200, 0], parameters: {} },
		{
			id: 'tool',
			name: 'ElevateAI Tool',
			type: TOOL_TYPE,
			typeVersion: 1,
			position: [200, 200],
			parameters,
			credentials: { elevateAiApi: { id: 'cred-1', name: 'ElevateAI test' } },
		},
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
		'ElevateAI Tool': { ai_tool: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] },
	};
	const workflow = new Workflow({ id: 'tool-workflow', nodes, connections, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', { id: 'tool-workflow', name: 't', active: false, isArchived: false, nodes, connections, createdAt: new Date(), updatedAt: new Date(), activeVersionId: null } as never);
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));
	const additionalData = buildAdditionalData(new TestCredentialsHelper({ apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL }), hooks);
	await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: workflow.getNode('Start') ?? undefined }).catch(() => undefined);
	return await done;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
	contextSaid.length = 0;
});

describe('AI tool: compact outputs on the engine route every n8n version uses', () => {
	it('should give the agent the transcript text, not the time-coded segments', async () => {
		const api = nock(TEST_BASE_URL, { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(`/interactions/${ID}/transcripts/punctuated`)
			.reply(200, {
				sentenceSegments: [
					{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 900, phrase: 'Hello.', score: 0.9 },
					{ participant: 'participantTwo', startTimeOffset: 900, endTimeOffset: 1800, phrase: 'Hi there.', score: 0.9 },
				],
				redactionSegments: [{ startTimeOffset: 0, endTimeOffset: 10, result: 'pci', score: 1 }],
			});

		const run = await runAgentWithTool({
			resource: 'interaction',
			operation: 'getTranscript',
			interactionIdentifier: '={{ $json.interactionIdentifier }}',
			// The full answer (Simplify off), so only the tool detection can drop the segments.
			simple: false,
		});

		expect(run.data.resultData.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		const agentOutput = run.data.resultData.runData.Agent.at(-1)?.data?.main?.[0]?.[0]?.json;
		const [[result]] = agentOutput?.toolResults as Array<Array<Record<string, unknown>>>;
		expect(result.interactionIdentifier).toBe(ID);
		expect(String(result.text)).toContain('Hello.');
		expect(result).not.toHaveProperty('sentenceSegments');
		expect(result).not.toHaveProperty('redactionSegments');
		// The reason for detecting the tool variant by type: on this route the context says "not a tool".
		expect(contextSaid).toHaveLength(1);
		expect(contextSaid[0]).not.toBe(true);
	});

	it('control: the same node as a plain workflow node keeps the full output', async () => {
		const { runChain } = await import('../helpers/engine');
		nock(TEST_BASE_URL)
			.get(`/interactions/${ID}/transcripts/punctuated`)
			.reply(200, {
				sentenceSegments: [{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 900, phrase: 'Hello.', score: 0.9 }],
				redactionSegments: [],
			});
		const result = await runChain({
			chain: [{ name: 'Transcript', parameters: { resource: 'interaction', operation: 'getTranscript', interactionIdentifier: ID, simple: false } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Transcript')[0].json).toHaveProperty('sentenceSegments');
	});
});

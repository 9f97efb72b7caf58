import 'reflect-metadata';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	IConnections,
	INodeParameters,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { ElevateAiApi } from '../../credentials/ElevateAiApi.credentials';
import { ElevateAi } from '../../nodes/ElevateAi/ElevateAi.node';

/**
 * Runs workflows through n8n-core's own WorkflowExecute, with the real credential
 * authentication and HTTP stack, so tests see exactly what n8n would send.
 */

export const TEST_TOKEN = '5f0c8a8e-0d1b-4c1e-9d5e-7a1f2b3c4d5e';
export const TEST_BASE_URL = 'https://api.elevateai.com/v1';

/** Emits the items given in its `items` parameter (JSON, with optional base64 binaries). */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Test source of items',
		defaults: { name: 'Items Source' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' } as INodeProperties],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | INodeExecutionData[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as INodeExecutionData[];
		return [items.map((item, index) => ({ ...item, pairedItem: { item: 0 }, json: { ...item.json, sourceIndex: index } }))];
	}
}

class ManualTrigger implements INodeType {
	description = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the test workflow',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-elevateai.elevateAi': new ElevateAi(),
	'test.itemsSource': new ItemsSource(),
	'test.manualTrigger': new ManualTrigger(),
};

export const nodeTypes: INodeTypes = {
	getByName: (type: string) => NODE_TYPES[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string) => NODE_TYPES[type],
	getKnownTypes: () => ({}),
};

const credentialType = new ElevateAiApi();

/** Resolves `={{$credentials.x}}` the way n8n does for generic header authentication. */
function resolveCredentialExpression(value: string, credentials: ICredentialDataDecryptedObject): string {
	const match = /^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/.exec(value);
	return match ? String(credentials[match[1]] ?? '') : value;
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const headers = credentialType.authenticate.properties.headers ?? {};
		const resolved: IDataObject = {};
		for (const [name, value] of Object.entries(headers)) {
			resolved[name] = resolveCredentialExpression(String(value), credentials);
		}
		return { ...requestOptions, headers: { ...requestOptions.headers, ...resolved } };
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
	): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return credentialType.properties;
	}
}

export interface RunOptions {
	/** Input items for the first ElevateAI node (via a test source node). */
	items?: INodeExecutionData[];
	/** ElevateAI nodes in chain order: name → parameters (and node settings such as continueOnFail). */
	chain: Array<{ name: string; parameters: INodeParameters; continueOnFail?: boolean }>;
	credentials?: ICredentialDataDecryptedObject;
	/** Called with the running execution, e.g. to cancel it. */
	onStart?: (execution: { cancel: () => void }) => void;
}

export interface RunResult {
	run: IRun;
	/** Output items of each node by name (first run, first output). */
	output: (nodeName: string) => INodeExecutionData[];
	error: IRun['data']['resultData']['error'];
}

export async function runChain(options: RunOptions): Promise<RunResult> {
	const credentials = options.credentials ?? { apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL };
	const nodes: INode[] = [
		{
			id: 'trigger',
			name: 'Start',
			type: 'test.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'source',
			name: 'Items',
			type: 'test.itemsSource',
			typeVersion: 1,
			position: [200, 0],
			parameters: { items: JSON.stringify(options.items ?? [{ json: {} }]) },
		},
	];
	const connections: IConnections = {
		Start: { main: [[{ node: 'Items', type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	let previous = 'Items';
	options.chain.forEach((step, index) => {
		nodes.push({
			id: `elevateai-${index}`,
			name: step.name,
			type: 'n8n-nodes-elevateai.elevateAi',
			typeVersion: 1,
			position: [400 + index * 200, 0],
			parameters: step.parameters,
			credentials: { elevateAiApi: { id: 'cred-1', name: 'ElevateAI test' } },
			...(step.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		});
		connections[previous] = { main: [[{ node: step.name, type: NodeConnectionTypes.Main, index: 0 }]] };
		previous = step.name;
	});

	const workflow = new Workflow({
		id: 'test-workflow',
		nodes,
		connections,
		active: false,
		nodeTypes,
	});

	let finished: (run: IRun) => void = () => {};
	const done = new Promise<IRun>((resolve) => (finished = resolve));
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'test',
		active: false,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as never);
	hooks.addHandler('workflowExecuteAfter', (run: IRun) => finished(run));

	const url = 'http://127.0.0.1:5678';
	const additionalData = {
		hooks,
		credentialsHelper: new TestCredentialsHelper(credentials),
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${url}/rest`,
		instanceBaseUrl: url,
		webhookBaseUrl: `${url}/webhook`,
		webhookWaitingBaseUrl: `${url}/webhook-waiting`,
		webhookTestBaseUrl: `${url}/webhook-test`,
		formBaseUrl: `${url}/form`,
		formWaitingBaseUrl: `${url}/form-waiting`,
		formTestBaseUrl: `${url}/form-test`,
		mcpBaseUrl: `${url}/mcp`,
		mcpTestBaseUrl: `${url}/mcp-test`,
		executionId: 'test-execution',
		userId: 'test-user',
		setExecutionStatus: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const execution = new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: workflow.getNode('Start') ?? undefined,
	});
	options.onStart?.({ cancel: () => execution.cancel() });
	await execution.catch(() => undefined);
	const run = await done;
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName: string) => run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [],
	};
}

/** An item carrying an inline (base64) binary, as n8n's in-memory mode stores it. */
export function binaryItem(fileName: string, content: Buffer, mimeType = 'audio/wav', json: IDataObject = {}): INodeExecutionData {
	const extension = fileName.includes('.') ? fileName.split('.').pop() : undefined;
	return {
		json,
		binary: {
			data: {
				data: content.toString('base64'),
				mimeType,
				fileName,
				fileExtension: extension,
				fileSize: String(content.length),
			},
		},
	};
}

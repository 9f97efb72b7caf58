import 'reflect-metadata';

import type { Container as ContainerType } from '@n8n/di';
import type { BinaryDataConfig, ErrorReporter } from 'n8n-core';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';

import type {
	IBinaryData,
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
		// As n8n's CredentialsHelper: a function authenticates itself; a generic one is resolved.
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const headers = authenticate.properties.headers ?? {};
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
	chain: Array<{ name: string; parameters: INodeParameters; continueOnFail?: boolean; onError?: INode['onError'] }>;
	credentials?: ICredentialDataDecryptedObject;
	/** Called with the running execution, e.g. to cancel it. */
	onStart?: (execution: { cancel: () => void }) => void;
}

export interface RunResult {
	run: IRun;
	/** Output items of each node by name (first run; the first output unless `outputIndex`). */
	output: (nodeName: string, outputIndex?: number) => INodeExecutionData[];
	error: IRun['data']['resultData']['error'];
}

/**
 * The `additionalData` n8n passes to every node context: hooks, credentials helper and the
 * instance URLs (they must be valid absolute URLs, an empty one throws `Invalid URL`).
 */
export function buildAdditionalData(
	credentialsHelper: ICredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const url = 'http://127.0.0.1:5678';
	return {
		hooks,
		credentialsHelper,
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
			...(step.onError ? { onError: step.onError } : {}),
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

	const additionalData = buildAdditionalData(new TestCredentialsHelper(credentials), hooks);

	const executor = new WorkflowExecute(additionalData, 'manual');
	const startNode = workflow.getNode('Start') ?? undefined;
	// n8n-core 1.x takes run(workflow, startNode), 2.x run({ workflow, startNode }) (the engine tests
	// also run against n8n-core 1.122: scripts/engine-n8n-v1.mjs).
	const execution =
		executor.run.length > 1
			? (executor.run as unknown as (w: Workflow, s?: typeof startNode) => ReturnType<typeof executor.run>).call(executor, workflow, startNode)
			: executor.run({ workflow, startNode });
	options.onStart?.({ cancel: () => execution.cancel() });
	await execution.catch(() => undefined);
	const run = await done;
	return {
		run,
		error: run.data.resultData.error,
		output: (nodeName: string, outputIndex = 0) =>
			run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [],
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

export const TEST_WORKFLOW_ID = 'test-workflow';
export const TEST_EXECUTION_ID = 'test-execution';

/**
 * The DI container n8n-core itself reads. n8n-core 2.41.1 ships its own nested `@n8n/di`
 * (0.17.0, while the top-level one is 0.16.0), so `import { Container } from '@n8n/di'` would
 * register the service in a container n8n-core never looks at.
 */
export function n8nCoreContainer(): typeof ContainerType {
	// `n8n-core` itself, not `n8n-core/package.json`: under jest.n8n-v1.config.js only the bare name
	// is mapped to n8n-core 1.x.
	const coreEntry = require.resolve('n8n-core');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require(require.resolve('@n8n/di', { paths: [dirname(coreEntry)] })) as { Container: typeof ContainerType }).Container;
}

const quiet = () => {};
const silentLogger = { error: quiet, warn: quiet, info: quiet, debug: quiet, scoped: () => silentLogger };

/**
 * Registers n8n-core's BinaryDataService in the DI container the way n8n 2.x runs it in regular
 * mode: `filesystem` (stored as `filesystem-v2`), files under `storagePath`. Items then carry
 * `binary.<prop>.id` and nodes read them with `getBinaryStream` / `getBinaryMetadata`.
 */
export async function useFilesystemBinaryData(storagePath: string): Promise<BinaryDataService> {
	const config = {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: storagePath,
		signingSecret: 'test-signing-secret',
		dbMaxFileSize: 512,
	} as unknown as BinaryDataConfig;
	const errorReporter = { error: quiet, warn: quiet, info: quiet } as unknown as ErrorReporter;
	const service = new BinaryDataService(config, errorReporter, silentLogger as never);
	await service.init();
	n8nCoreContainer().set(BinaryDataService, service);
	return service;
}

/** Stores bytes (a buffer or a stream) with the service and returns the item's binary entry, by id. */
export async function storeBinary(
	service: BinaryDataService,
	content: Buffer | Readable,
	fileName: string,
	mimeType: string,
): Promise<IBinaryData> {
	const extension = fileName.includes('.') ? fileName.split('.').pop() : undefined;
	return await service.store(
		{ type: 'execution', workflowId: TEST_WORKFLOW_ID, executionId: TEST_EXECUTION_ID },
		content,
		{ data: '', mimeType, fileName, fileExtension: extension },
	);
}

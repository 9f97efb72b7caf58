import { Readable } from 'node:stream';

import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { NodeApiError, NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { ElevateAi } from '../../nodes/ElevateAi/ElevateAi.node';
import type { OperationExecutor } from '../../nodes/ElevateAi/helpers/interfaces';
import type { ApiRequest, ApiResponse } from '../../nodes/ElevateAi/transport/request';

/**
 * The one fake `IExecuteFunctions` of the layer-1 tests. Parameters are filled with the node
 * description's defaults exactly as n8n's Workflow does (`NodeHelpers.getNodeParameters`), so a
 * test states only what differs; `={{ … }}` expressions are evaluated against the item's JSON.
 */

export const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
export const ID2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
export const ID3 = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
export const TOKEN = '5f0c8a8e-0d1b-4c1e-9d5e-7a1f2b3c4d5e';
export const BASE_URL = 'https://api.elevateai.com/v1';

const nodeDescription = new ElevateAi().description;

export const NODE: INode = {
	id: 'b4a1f3a0-0000-4000-8000-000000000001',
	name: 'ElevateAI',
	type: 'n8n-nodes-elevateai.elevateAi',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { elevateAiApi: { id: '1', name: 'ElevateAI account' } },
};

/** The node's full parameters for these overrides, defaults filled as n8n does at load time. */
export function params(overrides: INodeParameters = {}): INodeParameters {
	const filled = NodeHelpers.getNodeParameters(
		nodeDescription.properties,
		{ resource: 'interaction', ...overrides },
		true,
		false,
		{ typeVersion: NODE.typeVersion },
		nodeDescription,
	);
	if (!filled) throw new Error('NodeHelpers.getNodeParameters returned nothing');
	return filled;
}

/** A binary property of a fake input item: inline (in-memory mode) or stored by id. */
export interface FakeBinary {
	content: Buffer | string;
	fileName?: string;
	mimeType?: string;
	fileExtension?: string;
	/** Stored in n8n's binary store (filesystem/database mode): the item has an `id`, no data. */
	stored?: boolean;
}

export interface FakeItemSpec {
	/** Parameter overrides for this item only (merged over the shared ones). */
	params?: INodeParameters;
	json?: IDataObject;
	binary?: Record<string, FakeBinary>;
}

export interface FakeContextOptions {
	/** Parameter overrides shared by every item (e.g. the operation). */
	params?: INodeParameters;
	/** Input items; one empty item when left out. */
	items?: FakeItemSpec[];
	continueOnFail?: boolean;
	/** Whether an AI agent runs the node as a tool (`isToolExecution()`). */
	asTool?: boolean;
	/** The node's "On Error" setting, e.g. 'continueErrorOutput'. */
	onError?: INode['onError'];
	credentials?: { apiToken?: string; baseUrl?: string };
}

export interface FakeHelpers {
	assertBinaryData: jest.Mock<IBinaryData, [number, string]>;
	getBinaryDataBuffer: jest.Mock<Promise<Buffer>, [number, string]>;
	getBinaryStream: jest.Mock<Promise<Readable>, [string]>;
	getBinaryMetadata: jest.Mock<Promise<{ fileName?: string; mimeType?: string; fileSize: number }>, [string]>;
	httpRequestWithAuthentication: jest.Mock<Promise<unknown>, [string, IDataObject]>;
}

export interface FakeContext {
	ctx: IExecuteFunctions;
	helpers: FakeHelpers;
	items: INodeExecutionData[];
	/** The parameters each item resolves to (defaults filled, expressions not yet evaluated). */
	itemParams: INodeParameters[];
	itemIndexes: number[];
	getNodeParameter: jest.Mock;
	/** Cancels the execution: `getExecutionCancelSignal()` reports aborted from now on. */
	abort: () => void;
	/** Calls an operation's batch executor the way the router does. */
	run: (execute: OperationExecutor) => ReturnType<OperationExecutor>;
}

type Json = IDataObject;

function evaluate(code: string, json: Json): unknown {
	// Test-only stand-in for n8n's expression engine: plain JavaScript with `$json` in scope.
	return new Function('$json', `return (${code});`)(json) as unknown;
}

function resolve(value: unknown, json: Json): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		const text = value.slice(1);
		const whole = /^\s*\{\{([\s\S]+?)\}\}\s*$/.exec(text);
		if (whole) return evaluate(whole[1], json);
		return text.replace(/\{\{([\s\S]+?)\}\}/g, (_, code: string) => String(evaluate(code, json) ?? ''));
	}
	if (Array.isArray(value)) return value.map((entry) => resolve(entry, json));
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, resolve(entry, json)]));
	}
	return value;
}

function getPath(source: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => {
		if (value === null || typeof value !== 'object') return undefined;
		return (value as Json)[key];
	}, source);
}

let storedSequence = 0;

export function fakeContext(options: FakeContextOptions = {}): FakeContext {
	const specs = options.items ?? [{}];
	const store = new Map<string, { buffer: Buffer; fileName?: string; mimeType?: string }>();

	const items: INodeExecutionData[] = specs.map((spec) => {
		const item: INodeExecutionData = { json: spec.json ?? {} };
		if (spec.binary) {
			item.binary = {};
			for (const [property, file] of Object.entries(spec.binary)) {
				const buffer = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
				const data: IBinaryData = {
					data: buffer.toString('base64'),
					mimeType: file.mimeType ?? 'audio/wav',
					fileName: file.fileName,
					fileExtension: file.fileExtension,
					fileSize: `${buffer.length} B`,
				};
				if (file.stored) {
					const id = `filesystem-v2:workflows/1/executions/1/binary_data/${++storedSequence}`;
					store.set(id, { buffer, fileName: file.fileName, mimeType: data.mimeType });
					data.id = id;
					data.data = 'filesystem-v2';
				}
				item.binary[property] = data;
			}
		}
		return item;
	});
	const itemParams = specs.map((spec) => params({ ...options.params, ...spec.params }));
	const credentials = { apiToken: TOKEN, baseUrl: BASE_URL, ...options.credentials };
	const controller = new AbortController();

	const binaryOf = (itemIndex: number, property: string): IBinaryData | undefined => items[itemIndex]?.binary?.[property];

	const helpers: FakeHelpers = {
		assertBinaryData: jest.fn((itemIndex: number, property: string) => {
			const binary = binaryOf(itemIndex, property);
			if (!binary) {
				throw new NodeOperationError(
					NODE,
					`This operation expects the node's input data to contain a binary file '${property}', but none was found [item ${itemIndex}]`,
					{ itemIndex },
				);
			}
			return binary;
		}),
		getBinaryDataBuffer: jest.fn(async (itemIndex: number, property: string) => {
			const binary = binaryOf(itemIndex, property);
			if (!binary) throw new Error(`no binary "${property}" on item ${itemIndex}`);
			if (binary.id) return (store.get(binary.id) as { buffer: Buffer }).buffer;
			return Buffer.from(binary.data, 'base64');
		}),
		getBinaryStream: jest.fn(async (id: string) => {
			const stored = store.get(id);
			if (!stored) throw new Error(`no stored binary ${id}`);
			// Several chunks, as a file store would deliver them.
			const chunks: Buffer[] = [];
			for (let at = 0; at < stored.buffer.length; at += 4) chunks.push(stored.buffer.subarray(at, at + 4));
			return Readable.from(chunks);
		}),
		getBinaryMetadata: jest.fn(async (id: string) => {
			const stored = store.get(id);
			if (!stored) throw new Error(`no stored binary ${id}`);
			return { fileName: stored.fileName, mimeType: stored.mimeType, fileSize: stored.buffer.length };
		}),
		httpRequestWithAuthentication: jest.fn(async (_type: string, _options: IDataObject): Promise<unknown> => {
			throw new Error('httpRequestWithAuthentication was not stubbed by this test');
		}),
	};

	const getNodeParameter = jest.fn((name: string, itemIndex: number, fallback?: unknown) => {
		const values = itemParams[itemIndex];
		if (values === undefined) throw new Error(`Fake context: there is no item ${itemIndex}`);
		const raw = getPath(values, name);
		// lodash.get semantics, as n8n-core uses: the fallback only replaces `undefined`.
		const value = raw === undefined ? fallback : raw;
		if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
		return resolve(value, items[itemIndex].json);
	});

	const ctx = {
		getNode: () => (options.onError ? { ...NODE, onError: options.onError } : NODE),
		getNodeParameter,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail === true,
		isToolExecution: () => options.asTool === true,
		getCredentials: jest.fn(async () => ({ ...credentials })),
		getExecutionCancelSignal: () => controller.signal,
		helpers,
	} as unknown as IExecuteFunctions;

	const itemIndexes = items.map((_, index) => index);
	return {
		ctx,
		helpers,
		items,
		itemParams,
		itemIndexes,
		getNodeParameter,
		abort: () => controller.abort(),
		run: async (execute) => await execute.call(ctx, itemIndexes, { continueOnFail: options.continueOnFail === true }),
	};
}

/** A deterministic clock: `Date.now()` moves only when a (mocked) sleep advances it. */
export function fakeClock(start = Date.UTC(2024, 0, 15, 12, 0, 0)) {
	let now = start;
	const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
	return {
		advance: (ms: number) => {
			now += ms;
		},
		elapsed: () => now - start,
		restore: () => spy.mockRestore(),
	};
}

/** The NodeApiError the transport raises for an HTTP failure. */
export function apiError(statusCode: number, errorMessage: string, itemIndex = 0): NodeApiError {
	const message = `ElevateAI error ${statusCode}: ${errorMessage}`;
	return new NodeApiError(
		NODE,
		{ message, httpCode: String(statusCode) },
		{ message, httpCode: String(statusCode), itemIndex, description: 'hint' },
	);
}

export type FakeRoute = (request: ApiRequest) => unknown;

/**
 * Answers the mocked `elevateAiApiRequest` by route, e.g. `'GET /interactions/:id/status'`
 * (`:id` matches a GUID). A route returns the body (or `undefined` for an empty answer) or throws.
 * Unmatched requests fail the test loudly.
 */
export function fakeApi(
	mock: jest.Mock | jest.MockedFunction<(...args: never[]) => unknown>,
	routes: Record<string, FakeRoute>,
): void {
	const table = Object.entries(routes).map(([key, route]) => {
		const [method, path] = key.split(' ');
		const pattern = new RegExp(
			`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:id/g, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}')}$`,
			'i',
		);
		return { method, pattern, route };
	});
	(mock as jest.Mock).mockImplementation(async (_ctx: unknown, request: ApiRequest): Promise<ApiResponse<unknown>> => {
		const match = table.find((entry) => entry.method === request.method && entry.pattern.test(request.path));
		if (!match) throw new Error(`Unexpected request ${request.method} ${request.path}`);
		const body = await match.route(request);
		return { statusCode: body === undefined ? 204 : 200, body };
	});
}

/** The requests the mocked transport received, as `METHOD path`. */
export function requestLines(mock: jest.Mock | jest.MockedFunction<(...args: never[]) => unknown>): string[] {
	return (mock as jest.Mock).mock.calls.map(([, request]: [unknown, ApiRequest]) => `${request.method} ${request.path}`);
}

/**
 * Counts calls that run at the same time: `track(result)` counts itself in flight for one turn of
 * the event loop (or until `pause` resolves) and then gives `result`; `most` is the highest count.
 */
export function concurrencyProbe() {
	let inFlight = 0;
	const probe = {
		most: 0,
		async track<T>(result: T, pause: () => Promise<unknown> = nextTurn): Promise<T> {
			inFlight++;
			probe.most = Math.max(probe.most, inFlight);
			try {
				await pause();
				return result;
			} finally {
				inFlight--;
			}
		},
	};
	return probe;
}

const nextTurn = async () => await new Promise((resolve) => setImmediate(resolve));

/** Get Status answers `processed` for every item but `failing`, which gets ElevateAI's 404. */
export function fakeStatusFailingFor(
	mock: jest.Mock | jest.MockedFunction<(...args: never[]) => unknown>,
	failing: number,
	message = 'Interaction not found',
): void {
	fakeApi(mock, {
		'GET /interactions/:id/status': (req) => {
			if (req.itemIndex === failing) throw apiError(404, message, failing);
			return { status: 'processed' };
		},
	});
}

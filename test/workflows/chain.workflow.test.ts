import nock from 'nock';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TEST_BASE_URL, TEST_TOKEN, binaryItem, runChain } from '../helpers/engine';
import type { WireRequest } from './wire';
import { captureLogs, expectNoToken, ids, parseMultipart, recordRequests } from './wire';

/**
 * Layer 2: Items (3 recordings) → Declare → Upload → Get Status → Delete, run by n8n-core's own
 * WorkflowExecute with n8n's credential authentication and HTTP stack; nock plays ElevateAI.
 */

const API_PATH = new URL(TEST_BASE_URL).pathname; // "/v1"
const HOST = new URL(TEST_BASE_URL).origin;

/** Not valid UTF-8 (so it travels as raw bytes), with every byte value in it. */
const wavBytes = Buffer.concat([Buffer.from('RIFF\x24\x08\x00\x00WAVEfmt ', 'latin1'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256))]);
const mp3Bytes = Buffer.from('ID3\u0004 plain text mp3 stand-in, with a "quote" and a CRLF\r\n inside\r\n--not-a-boundary');
const m4aBytes = Buffer.from([0x00, 0x00, 0x00, 0x20, 0x66, 0x74, 0x79, 0x70, 0x4d, 0x34, 0x41, 0x20, 0xff, 0xfe, 0x0d, 0x0a, 0x2d, 0x2d]);

interface Recording {
	fileName: string;
	mimeType: string;
	bytes: Buffer;
	crmId: string;
	agentId: string;
	id: string;
}

const recordings: Recording[] = [
	{ fileName: 'call-0042.wav', mimeType: 'audio/wav', bytes: wavBytes, crmId: 'CRM-1', agentId: 'A-7', id: ids.a },
	{ fileName: 'support call 7.mp3', mimeType: 'audio/mpeg', bytes: mp3Bytes, crmId: 'CRM-2', agentId: 'A-8', id: ids.b },
	{ fileName: 'interview.m4a', mimeType: 'audio/mp4', bytes: m4aBytes, crmId: 'CRM-3', agentId: 'A-9', id: ids.c },
];

const items: INodeExecutionData[] = recordings.map((r) =>
	binaryItem(r.fileName, r.bytes, r.mimeType, { crmId: r.crmId, agentId: r.agentId }),
);

const declareParameters: INodeParameters = {
	resource: 'interaction',
	operation: 'declare',
	interactionType: 'audio',
	languageTag: 'es-419',
	vertical: 'default',
	includeAiResults: true,
	additionalFields: {
		externalIdentifier: '={{ $json.crmId }}',
		originalFilename: '={{ $binary.data.fileName }}',
		model: 'echo',
		audioTranscriptionMode: 'highSpeed',
		metadata:
			'={ "direction": "inbound", "recorded": "2023-08-03T15:27:09Z", "agent": { "id": "{{ $json.agentId }}", "name": "Ana", "group": { "id": "G1", "name": "Billing" } }, "audio": { "extension": "{{ $binary.data.fileExtension }}" }, "custom": { "integers": { "integer8": "42" }, "texts": { "text1": "vip" } } }',
	},
};

function expectedDeclareBody(r: Recording) {
	return {
		type: 'audio',
		languageTag: 'es-419',
		vertical: 'default',
		includeAiResults: true,
		model: 'echo',
		audioTranscriptionMode: 'highSpeed',
		originalFilename: r.fileName,
		externalIdentifier: r.crmId,
		metadata: {
			direction: 'inbound',
			recorded: '2023-08-03T15:27:09Z',
			agent: { id: r.agentId, name: 'Ana', group: { id: 'G1', name: 'Billing' } },
			audio: { extension: r.fileName.split('.').pop() },
			custom: { integers: { integer8: '42' }, texts: { text1: 'vip' } },
		},
	};
}

const step = (name: string, parameters: INodeParameters, continueOnFail = false) => ({
	name,
	parameters: { resource: 'interaction', ...parameters },
	continueOnFail,
});

const CHAIN = [
	step('Declare', declareParameters),
	step('Upload', { operation: 'upload' }),
	step('Get Status', { operation: 'getStatus' }),
	step('Delete', { operation: 'delete' }),
];

const api = () => nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } });

/** ElevateAI answering a declare with the interaction that belongs to the item's CRM id. */
function declareReply(_uri: string, body: nock.Body): [number, object] {
	const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;
	const recording = recordings.find((r) => r.crmId === parsed.externalIdentifier);
	return recording ? [201, { interactionIdentifier: recording.id }] : [400, { errorMessage: 'unknown item' }];
}

function statusBody(id: string, status = 'fileUploaded') {
	return {
		identifier: id,
		status,
		declared: '2024-05-01T10:00:00Z',
		uploaded: '2024-05-01T10:00:02Z',
		downloaded: null,
		processed: null,
		errorMessage: null,
	};
}

function byPath(requests: WireRequest[], method: string, pattern: RegExp) {
	return requests.filter((r) => r.method === method && pattern.test(r.path));
}

afterEach(() => nock.cleanAll());

describe('chain: Items → Declare → Upload → Get Status → Delete', () => {
	it('should send the exact wire format and keep one paired output item per input', async () => {
		const scope = api()
			.post(`${API_PATH}/interactions`)
			.times(3)
			.reply(declareReply)
			.post(new RegExp(`^${API_PATH}/interactions/[0-9a-f-]{36}/upload$`))
			.times(3)
			.reply(201, '')
			.get(new RegExp(`^${API_PATH}/interactions/[0-9a-f-]{36}/status$`))
			.times(3)
			.reply((uri) => [200, statusBody(uri.split('/')[3])])
			.delete(new RegExp(`^${API_PATH}/interactions/[0-9a-f-]{36}$`))
			.times(3)
			.reply(200, '');
		const requests = recordRequests(scope);

		const { run, error, output } = await runChain({ items, chain: CHAIN });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(requests).toHaveLength(12);
		for (const request of requests) {
			expect(request.headers['x-api-token']).toBe(TEST_TOKEN);
			expect(request.headers.accept).toBe('application/json');
		}

		// Declares: JSON bodies with every additional field, per item.
		const declares = byPath(requests, 'POST', /\/interactions$/);
		expect(declares).toHaveLength(3);
		for (const declare of declares) expect(declare.headers['content-type']).toMatch(/^application\/json/);
		const declared = declares.map((d) => JSON.parse(d.body.toString('utf8')));
		expect(declared.sort((x, y) => x.externalIdentifier.localeCompare(y.externalIdentifier))).toEqual(
			recordings.map(expectedDeclareBody),
		);

		// Uploads: one part per request, part name == filename == original name, exact bytes.
		for (const r of recordings) {
			const [upload] = byPath(requests, 'POST', new RegExp(`/interactions/${r.id}/upload$`));
			expect(upload).toBeDefined();
			const contentType = String(upload.headers['content-type']);
			expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
			expect(Number(upload.headers['content-length'])).toBe(upload.body.length);
			const parts = parseMultipart(upload.body, contentType);
			expect(parts).toHaveLength(1);
			expect(parts[0].name).toBe(r.fileName);
			expect(parts[0].filename).toBe(r.fileName);
			expect(parts[0].headers['content-type']).toBe(r.mimeType);
			expect(parts[0].content.equals(r.bytes)).toBe(true);
		}
		for (const r of recordings) {
			expect(byPath(requests, 'GET', new RegExp(`/interactions/${r.id}/status$`))).toHaveLength(1);
			expect(byPath(requests, 'DELETE', new RegExp(`/interactions/${r.id}$`))).toHaveLength(1);
		}

		// Outputs and their pairing, node by node.
		const declareOut = output('Declare');
		expect(declareOut.map((item) => item.json)).toEqual(
			recordings.map((r) => ({ interactionIdentifier: r.id, ...expectedDeclareBody(r) })),
		);
		declareOut.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			// The recording rides along for the Upload.
			expect(item.binary?.data?.fileName).toBe(recordings[i].fileName);
			expect(item.binary?.data?.data).toBe(recordings[i].bytes.toString('base64'));
		});

		// The CRM ID declared travels down the chain, right after the interaction ID, with no request for it.
		const crmId = (r: (typeof recordings)[number]) => expectedDeclareBody(r).externalIdentifier;
		expect(output('Upload').map((item) => item.json)).toEqual(
			recordings.map((r) => ({
				interactionIdentifier: r.id,
				externalIdentifier: crmId(r),
				uploaded: true,
				fileName: r.fileName,
				fileSize: r.bytes.length,
			})),
		);
		expect(output('Get Status').map((item) => item.json)).toEqual(
			recordings.map((r) => ({ interactionIdentifier: r.id, externalIdentifier: crmId(r), ...statusBody(r.id) })),
		);
		expect(output('Delete').map((item) => item.json)).toEqual(
			recordings.map((r) => ({ interactionIdentifier: r.id, externalIdentifier: crmId(r), deleted: true })),
		);
		for (const node of ['Upload', 'Get Status', 'Delete']) {
			for (const item of output(node)) {
				expect(Object.keys(item.json).slice(0, 2)).toEqual(['interactionIdentifier', 'externalIdentifier']);
			}
		}
		for (const node of ['Upload', 'Get Status', 'Delete']) {
			expect(output(node).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			for (const item of output(node)) expect(item.binary).toBeUndefined();
		}
		expect(run.status).toBe('success');
		expectNoToken(run);
	});

	it('should show ElevateAI\'s errorMessage and the HTTP code on a 401, without the token even when echoed', async () => {
		const scope = api()
			.post(`${API_PATH}/interactions`)
			.times(3)
			.reply(401, { errorMessage: `API token ${TEST_TOKEN} is not valid` });

		const { result, logs: logged } = await captureLogs(async () => await runChain({ items, chain: CHAIN }));
		const { run, error } = result;

		expect(scope.isDone()).toBe(true);
		expect(error).toBeDefined();
		expect(error?.message).toBe('ElevateAI error 401: API token [redacted] is not valid');
		expect((error as unknown as { httpCode?: string }).httpCode).toBe('401');
		expect(error?.description).toMatch(/Check the API token in the ElevateAI credential/);
		expect(run.data.resultData.lastNodeExecuted).toBe('Declare');
		expect(run.data.resultData.runData.Declare[0].error?.message).toBe(error?.message);
		expect(run.data.resultData.runData.Upload).toBeUndefined();
		expect(run.status).toBe('error');
		expectNoToken(run);
		// n8n's own log lines about the failed node carry the redacted message, not the token.
		expect(logged).toContain('ElevateAI error 401: API token [redacted] is not valid');
		expectNoToken(logged);
	});

	it.each([
		[404, 'Get Status', 'Interaction not found.', /does not exist, was deleted, or its results are not ready/],
		[409, 'Upload', 'Interaction is not awaiting an upload.', /not waiting for an upload/],
		[413, 'Upload', 'Request entity too large.', /too large for ElevateAI/],
	])('should turn a %i on %s into an error with the API message, the code and a hint', async (code, failingNode, apiMessage, hint) => {
		const first = recordings[0];
		const scope = api()
			.post(`${API_PATH}/interactions`)
			.reply(declareReply)
			.post(`${API_PATH}/interactions/${first.id}/upload`)
			.reply(...((failingNode === 'Upload' ? [code, { errorMessage: apiMessage }] : [201, '']) as [number, object]));
		if (failingNode === 'Get Status') {
			scope.get(`${API_PATH}/interactions/${first.id}/status`).reply(code, { errorMessage: apiMessage });
		}

		const { run, error, output } = await runChain({ items: [items[0]], chain: CHAIN });

		expect(scope.isDone()).toBe(true);
		expect(error?.message).toBe(`ElevateAI error ${code}: ${apiMessage}`);
		expect((error as unknown as { httpCode?: string }).httpCode).toBe(String(code));
		expect(error?.description).toMatch(hint);
		expect(run.data.resultData.lastNodeExecuted).toBe(failingNode);
		expect(output('Delete')).toEqual([]);
		expectNoToken(run);
	});

	it('should keep going with Continue On Fail: the failing item gets json.error and its interaction ID', async () => {
		const [a, b, c] = recordings;
		const scope = api()
			.post(`${API_PATH}/interactions`)
			.times(3)
			.reply(declareReply)
			.post(`${API_PATH}/interactions/${a.id}/upload`)
			.reply(201, '')
			.post(`${API_PATH}/interactions/${b.id}/upload`)
			.reply(409, { errorMessage: `Interaction is not awaiting an upload (token ${TEST_TOKEN}).` })
			.post(`${API_PATH}/interactions/${c.id}/upload`)
			.reply(201, '');
		for (const r of recordings) {
			scope.get(`${API_PATH}/interactions/${r.id}/status`).reply(200, statusBody(r.id, r === b ? 'processing' : 'fileUploaded'));
		}
		const requests = recordRequests(scope);

		const { run, error, output } = await runChain({
			items,
			chain: [
				step('Declare', declareParameters),
				step('Upload', { operation: 'upload' }, true),
				step('Get Status', { operation: 'getStatus' }),
			],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(requests.every((r) => r.headers['x-api-token'] === TEST_TOKEN)).toBe(true);
		const upload = output('Upload');
		expect(upload.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(upload[0].json).toEqual({
			interactionIdentifier: a.id,
			externalIdentifier: 'CRM-1',
			uploaded: true,
			fileName: a.fileName,
			fileSize: a.bytes.length,
		});
		expect(upload[1].json).toEqual({
			error: 'ElevateAI error 409: Interaction is not awaiting an upload (token [redacted]).',
			errorDescription: expect.stringMatching(/not waiting for an upload/),
			interactionIdentifier: b.id,
		});
		expect(upload[2].json).toMatchObject({ interactionIdentifier: c.id, uploaded: true });
		// The run went on, for every item, including the failed one (it still names its interaction).
		expect(output('Get Status').map((item) => [item.json.interactionIdentifier, item.json.status])).toEqual([
			[a.id, 'fileUploaded'],
			[b.id, 'processing'],
			[c.id, 'fileUploaded'],
		]);
		expect(run.status).toBe('success');
		expectNoToken(run);
	});

	it('should keep the token out of a network error, even when the error text carries it', async () => {
		const scope = api()
			.get(`${API_PATH}/interactions/${ids.a}/status`)
			// An Error instance: nock 14 never settles a request whose replyWithError is a plain object.
			.replyWithError(Object.assign(new Error(`socket hang up (x-api-token: ${TEST_TOKEN})`), { code: 'ECONNRESET' }));

		const { result, logs: logged } = await captureLogs(
			async () =>
				await runChain({
					items: [{ json: { interactionIdentifier: ids.a } }],
					chain: [step('Get Status', { operation: 'getStatus', options: { maxRetries: 0 } })],
				}),
		);

		expect(scope.isDone()).toBe(true);
		expect(result.error?.message).toBe('The connection to ElevateAI (api.elevateai.com) broke before an answer arrived (ECONNRESET)');
		expectNoToken(result.run);
		expect(logged).toContain('broke before an answer arrived');
		expectNoToken(logged);
	});

	it('should keep going with Continue On Fail on a 401 declare, with no interaction ID to report', async () => {
		const scope = api()
			.post(`${API_PATH}/interactions`)
			.reply(401, { errorMessage: 'Unauthorized' });

		const { run, error, output } = await runChain({ items: [items[0]], chain: [step('Declare', declareParameters, true)] });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Declare')).toEqual([
			{
				json: { error: 'ElevateAI error 401: Unauthorized', errorDescription: expect.stringMatching(/API token/) },
				pairedItem: { item: 0 },
			},
		]);
		expectNoToken(run);
	});
});

/**
 * The holes an adversarial review found (issue 10), each closed by a rule and proven here where a
 * user meets it: a workflow run by n8n-core's WorkflowExecute with n8n's credential
 * authentication and HTTP stack, nock (or a real HTTPS server on loopback) playing ElevateAI.
 * Each describe block is named after the rule it proves.
 *
 * `sleep` is a virtual clock: it moves `Date.now()` forward instead of waiting, so polls and
 * backoffs cost nothing and every delay the node asked for is recorded.
 */
const mockClock = { offset: 0, sleeps: [] as number[] };

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		__esModule: true,
		sleep: jest.fn(async (ms: number) => {
			mockClock.sleeps.push(ms);
			mockClock.offset += ms;
			await new Promise((resolve) => setImmediate(resolve));
		}),
	};
});

import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import nock from 'nock';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TEST_TOKEN, binaryItem } from '../helpers/engine';
import { parseMultipart, recordRequests } from '../workflows/wire';
import { BASE, chatJson, countUnmatchedRequests, netError, recording, runOne, textsOf } from './helpers';

const realNow = Date.now.bind(Date);
beforeEach(() => {
	mockClock.offset = 0;
	mockClock.sleeps = [];
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + mockClock.offset);
});
afterEach(() => {
	jest.restoreAllMocks();
	nock.cleanAll();
});

const A = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const B = '8d2e1c4b-90a7-4f3e-b1d2-5c6e7f8a9b0c';
const C = 'c0ffee00-1234-4abc-9def-0123456789ab';
const IDS = [A, B, C];

const statusBody = (id: string, status = 'processed') => ({
	identifier: id,
	status,
	declared: '2024-01-01T10:00:00Z',
	uploaded: null,
	downloaded: null,
	processed: status === 'processed' ? '2024-01-01T10:03:00Z' : null,
	errorMessage: null,
});
const punctuated = {
	sentenceSegments: [{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 900, phrase: 'Hello.', score: 0.9 }],
	redactionSegments: [],
};

/** n8n's error text for a failed run: message plus description. */
const failure = (result: { error?: { message: string; description?: string | null } | undefined }) =>
	`${result.error?.message ?? ''} | ${result.error?.description ?? ''}`;

/** Chat items whose declares nock answers with A, B, C… in item order (by the chat's text). */
function chatItems(count: number, extra: (index: number) => IDataObject = () => ({})): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({ json: { chat: chatJson(i), ...extra(i) } }));
}
const chatTranscribe = (parameters: INodeParameters = {}): INodeParameters => ({
	interactionType: 'chat',
	chat: '={{ JSON.stringify($json.chat) }}',
	pollInterval: 5,
	timeout: 1,
	...parameters,
});
function declareByChat(scope: nock.Scope, count: number): nock.Scope {
	return scope
		.post('/interactions')
		.times(count)
		.reply((_uri, body) => {
			const text = JSON.stringify(body);
			const index = IDS.findIndex((_, i) => text.includes(`this is chat ${i}`));
			return index >= 0 ? [201, { interactionIdentifier: IDS[index] }] : [400, { errorMessage: 'unknown chat' }];
		});
}

/** Records DELETE requests without failing on them (nock answers 200). */
function watchDeletes(scope: nock.Scope): string[] {
	const deleted: string[] = [];
	scope
		.delete(/\/interactions\/[0-9a-f-]+$/)
		.optionally()
		.times(10)
		.reply((uri) => {
			deleted.push(uri.split('/').pop() as string);
			return [200, ''];
		});
	return deleted;
}

// -------------------------------------------------------------------------------------------
describe('rule: a result is deleted only once it is certain to reach an output (issue 10.1)', () => {
	function scriptTwoChats(secondTranscript: [number, object]) {
		const scope = declareByChat(nock(BASE), 2);
		for (const id of [A, B]) scope.get(`/interactions/${id}/status`).reply(200, statusBody(id));
		scope.get(`/interactions/${A}/transcripts/punctuated`).reply(200, punctuated);
		scope.get(`/interactions/${B}/transcripts/punctuated`).reply(...secondTranscript);
		return { scope, deleted: watchDeletes(scope) };
	}

	it.each([1, 5])(
		'with On Error = Stop, deletes nothing when a later item fails, and names the interactions that still hold results (concurrency %i)',
		async (concurrency) => {
			const { deleted } = scriptTwoChats([500, { errorMessage: 'transcript store down' }]);
			const result = await runOne('transcribe', chatTranscribe({ options: { deleteAfterReading: true, concurrency } }), {
				items: chatItems(2),
			});
			expect(result.error?.message).toBe('ElevateAI error 500: transcript store down');
			expect(deleted).toEqual([]);
			expect(result.error?.description).toContain(`Not deleted, so their results are still at ElevateAI: ${A}.`);
		},
	);

	it('with On Error = Stop, deletes every interaction once every item of the batch succeeded', async () => {
		const { deleted } = scriptTwoChats([200, punctuated]);
		const result = await runOne('transcribe', chatTranscribe({ options: { deleteAfterReading: true } }), { items: chatItems(2) });
		expect(result.error).toBeUndefined();
		expect(deleted.sort()).toEqual([A, B].sort());
		expect(result.items.map((item) => [item.json.interactionIdentifier, item.json.deleted])).toEqual([
			[A, true],
			[B, true],
		]);
	});

	it('with Continue On Fail, deletes the items whose results reach the output and keeps the failed one', async () => {
		const { deleted } = scriptTwoChats([500, { errorMessage: 'transcript store down' }]);
		const result = await runOne('transcribe', chatTranscribe({ options: { deleteAfterReading: true } }), {
			items: chatItems(2),
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(deleted).toEqual([A]);
		expect(result.items[0].json).toMatchObject({ interactionIdentifier: A, deleted: true });
		expect(result.items[1].json).toMatchObject({ interactionIdentifier: B, error: 'ElevateAI error 500: transcript store down' });
	});

	it('a delete that fails after the results were read keeps the results in the output (deleted: false, deleteError)', async () => {
		const scope = declareByChat(nock(BASE), 2);
		for (const id of [A, B]) {
			scope.get(`/interactions/${id}/status`).reply(200, statusBody(id));
			scope.get(`/interactions/${id}/transcripts/punctuated`).reply(200, punctuated);
		}
		scope.delete(`/interactions/${A}`).reply(500, { errorMessage: 'delete failed' });
		scope.delete(`/interactions/${B}`).reply(200, '');
		const result = await runOne('transcribe', chatTranscribe({ options: { deleteAfterReading: true } }), { items: chatItems(2) });
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.items[0].json).toMatchObject({ interactionIdentifier: A, deleted: false, deleteError: 'ElevateAI error 500: delete failed' });
		expect(result.items[0].json.text).toEqual(expect.any(String));
		expect(result.items[1].json).toMatchObject({ interactionIdentifier: B, deleted: true });
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: the token is redacted before a server text is shortened (issue 10.4)', () => {
	const ID = A;
	const STATUS = `/interactions/${ID}/status`;
	/** No piece of the token of 8 characters or more, in any letter case. */
	function expectNoTokenPiece(texts: string[]): void {
		for (const text of texts.map((t) => t.toLowerCase())) {
			for (let start = 0; start + 8 <= TEST_TOKEN.length; start++) {
				expect(text).not.toContain(TEST_TOKEN.slice(start, start + 8).toLowerCase());
			}
		}
	}

	it.each([150, 180, 185, 190, 195])('a long text error page with the token at character %i', async (at) => {
		const page = `${'x'.repeat(at)}${TEST_TOKEN} and more text after it ${'y'.repeat(300)}`;
		nock(BASE).get(STATUS).reply(500, page, { 'Content-Type': 'text/plain' });
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toMatch(/^ElevateAI error 500: x+/);
		expectNoTokenPiece(textsOf(result, ['Node']));
	});

	it.each([100, 110, 115])('a 2xx answer that is not JSON, with the token at character %i', async (at) => {
		nock(BASE).get(STATUS).reply(200, `${'y'.repeat(at)}${TEST_TOKEN.toUpperCase()} tail`, { 'Content-Type': 'text/plain' });
		const result = await runOne('getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } });
		expect(result.error?.message).toMatch(/not valid JSON/);
		expectNoTokenPiece(textsOf(result, ['Node']));
	});

	it('a server that itself cut the token short (a prefix at the end of its text)', async () => {
		nock(BASE).get(STATUS).reply(401, { errorMessage: `Unknown token ${TEST_TOKEN.slice(0, 20)}` });
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI error 401: Unknown token [redacted]');
		expectNoTokenPiece(textsOf(result, ['Node']));
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: Transcribe checks every parameter of every item before the first declare (issue 10.5)', () => {
	async function expectNothingSent(parameters: INodeParameters, items: INodeExecutionData[], message: RegExp) {
		const requests = countUnmatchedRequests();
		try {
			const result = await runOne('transcribe', chatTranscribe(parameters), { items });
			expect(result.error?.message).toMatch(message);
			expect(requests.count()).toBe(0);
		} finally {
			requests.stop();
		}
	}

	it('an invalid Max Retries (an expression giving 11) in item 2', async () => {
		await expectNothingSent(
			{ options: { maxRetries: '={{ $json.retries }}' } },
			chatItems(2, (i) => ({ retries: i === 0 ? 3 : 11 })),
			/^Invalid Max Retries: .* \[item 1\]$/,
		);
	});

	it('an invalid boolean option in item 2', async () => {
		await expectNothingSent(
			{ options: { deleteAfterReading: '={{ $json.del }}' } },
			chatItems(2, (i) => ({ del: i === 0 ? 'true' : 'perhaps' })),
			/^Invalid Delete After Reading: .* \[item 1\]$/,
		);
	});

	it('an invalid Summary Language in item 2', async () => {
		await expectNothingSent(
			{ options: { includeSummary: true, summaryLanguage: '={{ $json.lang }}' } },
			chatItems(2, (i) => ({ lang: i === 0 ? 'en-US' : 'en-US\r\nX-Evil: 1' })),
			/^Invalid Summary Language: .* \[item 1\]$/,
		);
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: booleans from expressions mean what they say, or fail naming the field (issue 10.6)', () => {
	const NEW_ID = A;
	function captureDeclare(): IDataObject[] {
		const bodies: IDataObject[] = [];
		nock(BASE)
			.post('/interactions', (body: IDataObject) => {
				bodies.push(body);
				return true;
			})
			.reply(201, { interactionIdentifier: NEW_ID });
		return bodies;
	}
	const declare = (): INodeParameters => ({
		interactionType: 'chat',
		chat: JSON.stringify(chatJson()),
		includeAiResults: '={{ $json.ai }}',
	});

	it.each([
		['"true"', 'true', true],
		['"TRUE"', 'TRUE', true],
		['" true "', ' true ', true],
		['"false"', 'false', false],
		['true', true, true],
		['false', false, false],
		['1', 1, true],
		['0', 0, false],
		['"1"', '1', true],
		['"0"', '0', false],
	])('includeAiResults = %s is sent as %s', async (_label, ai, expected) => {
		const bodies = captureDeclare();
		const result = await runOne('declare', declare(), { items: [{ json: { ai } }] });
		expect(result.error).toBeUndefined();
		expect(bodies[0].includeAiResults).toBe(expected);
	});

	it.each([['"yes please"', 'yes please'], ['2', 2], ['""', ''], ['an object', { on: true }]])(
		'includeAiResults = %s fails naming the field and sends nothing',
		async (_label, ai) => {
			const requests = countUnmatchedRequests();
			const result = await runOne('declare', declare(), { items: [{ json: { ai } }] });
			requests.stop();
			expect(result.error?.message).toMatch(/^Invalid Include CX AI Results: must be true or false \[item 0\]$/);
			expect(requests.count()).toBe(0);
		},
	);

	it('Delete After Reading = "true" from an expression deletes', async () => {
		const scope = declareByChat(nock(BASE), 1);
		scope.get(`/interactions/${A}/status`).reply(200, statusBody(A));
		scope.get(`/interactions/${A}/transcripts/punctuated`).reply(200, punctuated);
		const deleted = watchDeletes(scope);
		const result = await runOne('transcribe', chatTranscribe({ options: { deleteAfterReading: '={{ $json.del }}' } }), {
			items: chatItems(1, () => ({ del: 'true' })),
		});
		expect(result.error).toBeUndefined();
		expect(deleted).toEqual([A]);
		expect(result.items[0].json.deleted).toBe(true);
	});

	it('Include Summary and Include Details = "true" from expressions read the summary and its details', async () => {
		const scope = nock(BASE)
			.get(`/interactions/${A}/gen-ai/cx/summary`)
			.reply(200, { summary: 'Billing question.' })
			.get(`/interactions/${A}/gen-ai/cx/summary/details`)
			.reply(200, { isResolved: true });
		const result = await runOne(
			'getSummary',
			{ interactionIdentifier: A, options: { includeDetails: '={{ $json.details }}' } },
			{ items: [{ json: { details: 'true' } }] },
		);
		expect(result.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(result.items[0].json).toEqual({ interactionIdentifier: A, summary: 'Billing question.', isResolved: true });

		const transcribeScope = declareByChat(nock(BASE), 1)
			.get(`/interactions/${A}/status`)
			.reply(200, statusBody(A))
			.get(`/interactions/${A}/transcripts/punctuated`)
			.reply(200, punctuated)
			.get(`/interactions/${A}/gen-ai/cx/summary`)
			.reply(200, { summary: 'Billing question.' });
		const transcribed = await runOne('transcribe', chatTranscribe({ options: { includeSummary: '={{ $json.summary }}' } }), {
			items: chatItems(1, () => ({ summary: 'True' })),
		});
		expect(transcribed.error).toBeUndefined();
		expect(transcribeScope.isDone()).toBe(true);
		expect(transcribed.items[0].json.summary).toBe('Billing question.');
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: a rejected TLS certificate is "not sent", not retried, and named (issue 10.7)', () => {
	let server: Server;
	let baseUrl: string;
	let handshakes = 0;
	let requests = 0;
	beforeAll(async () => {
		const dir = join(__dirname, '..', 'fixtures', 'tls');
		server = createServer({ key: readFileSync(join(dir, 'self-signed.key')), cert: readFileSync(join(dir, 'self-signed.crt')) }, (_req, res) => {
			requests += 1;
			res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ interactionIdentifier: A }));
		});
		server.on('connection', () => (handshakes += 1));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));
	beforeEach(() => {
		handshakes = 0;
		requests = 0;
	});
	const credentials = () => ({ apiToken: TEST_TOKEN, baseUrl });

	it('a read against a self-signed certificate: one attempt, no retry, the certificate problem in the message', async () => {
		const result = await runOne('getStatus', { interactionIdentifier: A }, { credentials: credentials() });
		expect(result.error?.message).toMatch(/certificate/i);
		expect(result.error?.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT/);
		expect(result.error?.message).not.toMatch(/after \d+ attempts/);
		expect(handshakes).toBe(1);
		expect(requests).toBe(0);
		expect(mockClock.sleeps).toEqual([]);
	});

	it('a declare against a self-signed certificate says nothing was sent (no "may have been created")', async () => {
		const result = await runOne('declare', { interactionType: 'chat', chat: JSON.stringify(chatJson()) }, { credentials: credentials() });
		expect(failure(result)).toMatch(/certificate/i);
		expect(failure(result)).toMatch(/nothing was sent/i);
		expect(failure(result)).not.toMatch(/may have been created/);
		expect(handshakes).toBe(1);
		expect(requests).toBe(0);
	});

	it.each(['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN'])(
		'%s on a declare is not retried and is reported as a certificate problem',
		async (code) => {
			const api = nock(BASE).post('/interactions').replyWithError(netError(code, `${code}: certificate rejected`));
			const result = await runOne('declare', { interactionType: 'chat', chat: JSON.stringify(chatJson()) });
			expect(api.isDone()).toBe(true);
			expect(nock.pendingMocks()).toEqual([]);
			expect(failure(result)).toMatch(new RegExp(`certificate.*${code}|${code}.*certificate`, 'i'));
			expect(failure(result)).not.toMatch(/may have been created/);
			expect(mockClock.sleeps).toEqual([]);
		},
	);
});

// -------------------------------------------------------------------------------------------
describe('rule: no sleep of Wait For Completion runs past its deadline (issue 10.8)', () => {
	it('poll interval 3600 s with a 1-minute timeout checks at 0 s and at the deadline, not at 60 minutes', async () => {
		const times: number[] = [];
		nock(BASE)
			.get(`/interactions/${A}/status`)
			.times(5)
			.reply(() => {
				times.push(Date.now());
				return [200, statusBody(A, 'processing')];
			});
		const started = Date.now();
		const result = await runOne('waitForCompletion', { interactionIdentifier: A, pollInterval: 3600, timeout: 1 });
		expect(result.error?.message).toBe(`Interaction ${A} did not finish within 1 minutes`);
		expect(times).toHaveLength(2);
		expect(times[0] - started).toBeLessThan(1_000);
		expect(times[1] - started).toBeGreaterThanOrEqual(59_000);
		expect(times[1] - started).toBeLessThanOrEqual(61_000);
		expect(Date.now() - started).toBeLessThanOrEqual(61_000);
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: a 404 on a retried delete is success only after an attempt whose outcome is unknown (issue 10.9)', () => {
	const DELETE = `/interactions/${A}`;

	it('first attempt 503 with an error body (nothing happened), retry 404: the interaction is unknown, an error', async () => {
		nock(BASE).delete(DELETE).reply(503, { errorMessage: 'busy' }).delete(DELETE).reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('delete', { interactionIdentifier: A });
		expect(result.error?.message).toBe('ElevateAI error 404: Interaction not found (after 2 attempts)');
	});

	it('first attempt 429 (nothing happened), retry 404: an error', async () => {
		nock(BASE).delete(DELETE).reply(429, { errorMessage: 'slow down' }).delete(DELETE).reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('delete', { interactionIdentifier: A });
		expect(result.error?.message).toMatch(/^ElevateAI error 404: Interaction not found/);
	});

	it.each([
		['a 504 from a gateway', (scope: nock.Interceptor) => scope.reply(504, '')],
		['an empty 503', (scope: nock.Interceptor) => scope.reply(503, '')],
		['a broken connection', (scope: nock.Interceptor) => scope.replyWithError(netError('ECONNRESET', 'socket hang up'))],
	])('first attempt %s (outcome unknown), retry 404: deleted', async (_label, first) => {
		first(nock(BASE).delete(DELETE)).delete(DELETE).reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('delete', { interactionIdentifier: A });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ interactionIdentifier: A, deleted: true });
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: an unreadable Retry-After falls back to the normal backoff (issue 10.10)', () => {
	it.each(['-1', 'foo 2', '2 foo', '-0.5', '1e3', 'Infinity', 'NaN', '0x10', ' ', 'Sun, 99 Foo 2024 99:99:99 GMT'])(
		'Retry-After: %j',
		async (value) => {
			const STATUS = `/interactions/${A}/status`;
			nock(BASE).get(STATUS).times(3).reply(429, { errorMessage: 'slow down' }, { 'Retry-After': value }).get(STATUS).reply(200, statusBody(A));
			const result = await runOne('getStatus', { interactionIdentifier: A });
			expect(result.error).toBeUndefined();
			const retries = mockClock.sleeps;
			expect(retries).toHaveLength(3);
			retries.forEach((ms, attempt) => {
				expect(ms).toBeGreaterThanOrEqual(500 * 2 ** attempt);
				expect(ms).toBeLessThanOrEqual(1_000 * 2 ** attempt);
			});
		},
	);
});

// -------------------------------------------------------------------------------------------
describe('rule: any 2xx answer to an upload is success; its body is optional (issue 10.11)', () => {
	it.each([
		['201 with a text body', 201, 'Created', 'text/plain'],
		['201 with an HTML body', 201, '<html><body>ok</body></html>', 'text/html'],
		['200 with broken JSON', 200, '{"ok": tr', 'application/json'],
		['204 without a body', 204, '', 'text/plain'],
	])('%s: uploaded once, no retry', async (_label, code, body, type) => {
		const api = nock(BASE).post(`/interactions/${A}/upload`).reply(code, body, { 'Content-Type': type });
		const result = await runOne('upload', { interactionIdentifier: A }, { items: [binaryItem('call.wav', recording(1000))] });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(result.items[0].json).toMatchObject({ interactionIdentifier: A, uploaded: true });
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: a stopped batch lists every side effect already done (issue 10.12)', () => {
	const byId = (ids: string[]) => ids.map((id) => ({ json: { id }, binary: binaryItem('call.wav', recording(100)).binary }));

	it('Upload: the error names the recordings already uploaded', async () => {
		nock(BASE)
			.post(`/interactions/${A}/upload`)
			.reply(201, '')
			.post(`/interactions/${B}/upload`)
			.reply(400, { errorMessage: 'unsupported file' });
		const result = await runOne('upload', { interactionIdentifier: '={{ $json.id }}', options: { concurrency: 1 } }, { items: byId([A, B, C]) });
		expect(result.error?.message).toBe('ElevateAI error 400: unsupported file');
		expect(result.error?.description).toContain(`Recordings uploaded before the node stopped: ${A}.`);
	});

	it('Delete: the error names the interactions already deleted', async () => {
		nock(BASE).delete(`/interactions/${A}`).reply(200, '').delete(`/interactions/${B}`).reply(400, { errorMessage: 'locked' });
		const result = await runOne('delete', { interactionIdentifier: '={{ $json.id }}', options: { concurrency: 1 } }, { items: byId([A, B, C]) });
		expect(result.error?.message).toBe('ElevateAI error 400: locked');
		expect(result.error?.description).toContain(`Interactions deleted before the node stopped: ${A}.`);
	});

	it('Declare: the error names the interactions already created', async () => {
		declareByChat(nock(BASE), 1);
		nock(BASE).post('/interactions').reply(400, { errorMessage: 'bad chat' });
		const result = await runOne(
			'declare',
			{ interactionType: 'chat', chat: '={{ JSON.stringify($json.chat) }}', options: { concurrency: 1 } },
			{ items: chatItems(2) },
		);
		expect(result.error?.message).toBe('ElevateAI error 400: bad chat');
		expect(result.error?.description).toContain(`Interactions created before the node stopped: ${A}.`);
	});

	it('Transcribe: the error names what was declared and what was uploaded', async () => {
		const declares = [A, B];
		nock(BASE)
			.post('/interactions')
			.times(2)
			.reply(() => [201, { interactionIdentifier: declares.shift() }])
			.post(`/interactions/${A}/upload`)
			.reply(201, '')
			.post(`/interactions/${B}/upload`)
			.reply(400, { errorMessage: 'unsupported file' });
		const items = [binaryItem('a.wav', recording(100)), binaryItem('b.wav', recording(100))];
		const result = await runOne('transcribe', { interactionType: 'audio', options: { concurrency: 1 } }, { items });
		expect(result.error?.message).toBe('ElevateAI error 400: unsupported file');
		expect(result.error?.description).toContain(`Interactions created before the node stopped: ${A}, ${B}.`);
		expect(result.error?.description).toContain(`Recordings uploaded before the node stopped: ${A}.`);
	});
});

// -------------------------------------------------------------------------------------------
describe('rule: file names, MIME types and languages are made safe before they reach a header (issue 10.13)', () => {
	async function uploadedPart(fileName: string, mimeType = 'audio/wav') {
		const scope = nock(BASE).post(`/interactions/${A}/upload`).reply(201, '');
		const requests = recordRequests(scope);
		const result = await runOne('upload', { interactionIdentifier: A }, { items: [binaryItem(fileName, recording(64), mimeType)] });
		expect(result.error).toBeUndefined();
		const [request] = requests;
		const raw = request.body.toString('latin1');
		const [part] = parseMultipart(request.body, String(request.headers['content-type']));
		return { part, raw, output: result.items[0].json };
	}

	it('sends the base name of a path, never the path', async () => {
		const { part, raw, output } = await uploadedPart('../../etc/call one.wav');
		expect(part.filename).toBe('call one.wav');
		expect(part.name).toBe('call one.wav');
		expect(raw).not.toContain('../');
		expect(output.fileName).toBe('call one.wav');
		const windows = await uploadedPart('C:\\Users\\ana\\calls\\call-7.mp3', 'audio/mpeg');
		expect(windows.part.filename).toBe('call-7.mp3');
	});

	it('percent-encodes a non-ASCII name (RFC 7578 §4.2) so the part headers stay ASCII', async () => {
		const { part, raw } = await uploadedPart('Anruf Müller 東京.wav');
		expect(part.filename).toBe('Anruf M%C3%BCller %E6%9D%B1%E4%BA%AC.wav');
		expect(decodeURIComponent(part.filename as string)).toBe('Anruf Müller 東京.wav');
		const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
		expect(headerBlock).toMatch(/^[\x20-\x7e\r\n]*$/);
	});

	it('caps a long name and keeps its extension', async () => {
		const { part } = await uploadedPart(`${'long-name-'.repeat(60)}.flac`, 'audio/flac');
		expect((part.filename as string).length).toBeLessThanOrEqual(200);
		expect(part.filename).toMatch(/^long-name-.*\.flac$/);
	});

	it('drops quotes and control characters from a name', async () => {
		const { part, raw } = await uploadedPart('a"b\r\nX-Evil: 1\u0000.wav');
		expect(part.filename).toBe('abX-Evil: 1.wav');
		expect(raw).not.toMatch(/\r\nX-Evil/);
	});

	it.each(['audio/wav\r\nX-Evil: 1', 'audio wav', 'audio/', '"audio/wav"', 'audio/wav; charset="a\r\nb"'])(
		'rejects the MIME type %j before anything is sent',
		async (mimeType) => {
			const requests = countUnmatchedRequests();
			const result = await runOne('upload', { interactionIdentifier: A }, { items: [binaryItem('call.wav', recording(64), mimeType)] });
			requests.stop();
			expect(result.error?.message).toMatch(/^Invalid MIME type: .* \[item 0\]$/);
			expect(requests.count()).toBe(0);
		},
	);

	it.each(['audio/wav', 'audio/mpeg', 'audio/x-ms-wma', 'audio/ogg; codecs=opus', 'application/octet-stream'])(
		'accepts the MIME type %j',
		async (mimeType) => {
			const { part } = await uploadedPart('call.wav', mimeType);
			expect(part.headers['content-type']).toBe(mimeType);
		},
	);

	it.each(['en-US\r\nX-Evil: 1', 'en US', 'en_US', 'en-', '-en', 'e', 'en-US-', 'x'.repeat(40)])(
		'rejects the Summary Language %j before anything is sent',
		async (language) => {
			const requests = countUnmatchedRequests();
			const result = await runOne('getSummary', { interactionIdentifier: A, options: { summaryLanguage: language } });
			requests.stop();
			expect(result.error?.message).toMatch(/^Invalid Summary Language: must be a BCP 47 language tag such as en-US \[item 0\]$/);
			expect(requests.count()).toBe(0);
		},
	);

	it.each(['en-US', 'es-419', 'pt-BR', 'zh-Hant-TW', 'de', 'ja-JP', 'sr-Latn-RS', 'en-GB-oxendict', 'x-private'])(
		'sends the Summary Language %j as Accept-Language',
		async (language) => {
			const scope = nock(BASE, { reqheaders: { 'accept-language': language } })
				.get(`/interactions/${A}/gen-ai/cx/summary`)
				.reply(200, { summary: 'ok' });
			const result = await runOne('getSummary', { interactionIdentifier: A, options: { summaryLanguage: language } });
			expect(result.error).toBeUndefined();
			expect(scope.isDone()).toBe(true);
		},
	);
});

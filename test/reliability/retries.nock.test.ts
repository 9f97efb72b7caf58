/**
 * The retry policy at the HTTP level, with nock answering exactly what each case needs:
 * 429 storms (with and without Retry-After), 5xx bursts, 408/502/504, malformed and empty
 * bodies, 204 transcripts, connection failures before and after sending, slow answers, upload
 * and delete retries. `sleep` is mocked, so waits cost nothing, but every delay the node asked
 * for is recorded and asserted.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));

import nock from 'nock';
import { sleep } from 'n8n-workflow';

import { binaryItem } from '../helpers/engine';
import { BASE, ID, capRequestTimeouts, netError, recording, runOne } from './helpers';

const sleepMock = jest.mocked(sleep);
const delays = () => sleepMock.mock.calls.map(([ms]) => ms);

const STATUS = `/interactions/${ID}/status`;
const statusBody = (status = 'processing') => ({
	identifier: ID,
	status,
	declared: '2024-01-01T10:00:00Z',
	uploaded: null,
	downloaded: null,
	processed: null,
	errorMessage: null,
});
const NEW_ID = '0b8e6f2c-8a53-4d1e-9f57-3c0a2e1b9d11';
const EXTERNAL = { additionalFields: { externalIdentifier: 'crm-0042' } };
const chatDeclare = {
	interactionType: 'chat',
	chat: JSON.stringify({
		participants: [
			{ participant_id: '1', name: 'Agent', role: 'agent' },
			{ participant_id: '2', name: 'Customer', role: 'customer' },
		],
		messages: [{ participant_id: '2', timestamp: '2024-01-01T10:00:00Z', content: 'Hello' }],
	}),
	...EXTERNAL,
};

/** n8n's error text for a failed run: message plus description. */
const failure = (result: { error?: { message: string; description?: string | null } | undefined }) =>
	`${result.error?.message ?? ''} | ${result.error?.description ?? ''}`;

beforeEach(() => {
	sleepMock.mockReset();
	sleepMock.mockResolvedValue(undefined);
});
afterEach(() => {
	nock.cleanAll();
	jest.restoreAllMocks();
});

describe('429 storms', () => {
	it('honours Retry-After in seconds on every 429 and then succeeds', async () => {
		const api = nock(BASE)
			.get(STATUS)
			.times(3)
			.reply(429, { errorMessage: 'Too many requests' }, { 'Retry-After': '2' })
			.get(STATUS)
			.reply(200, statusBody());
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ interactionIdentifier: ID, status: 'processing' });
		expect(delays()).toEqual([2000, 2000, 2000]);
		expect(api.isDone()).toBe(true);
	});

	it('honours Retry-After given as an HTTP date', async () => {
		const at = new Date(Date.now() + 7_000).toUTCString();
		nock(BASE).get(STATUS).reply(429, { errorMessage: 'slow down' }, { 'Retry-After': at }).get(STATUS).reply(200, statusBody());
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(delays()).toHaveLength(1);
		// An HTTP date has whole seconds, so the wait is between 5 and 7 seconds.
		expect(delays()[0]).toBeGreaterThanOrEqual(5_000);
		expect(delays()[0]).toBeLessThanOrEqual(7_000);
	});

	it('honours Retry-After: 0 (retry at once)', async () => {
		nock(BASE).get(STATUS).reply(429, {}, { 'Retry-After': '0' }).get(STATUS).reply(200, statusBody());
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(delays()).toEqual([0]);
	});

	it('backs off exponentially with jitter when there is no Retry-After', async () => {
		nock(BASE).get(STATUS).times(5).reply(429, { errorMessage: 'rate limited' }).get(STATUS).reply(200, statusBody());
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		const asked = delays();
		expect(asked).toHaveLength(5);
		asked.forEach((ms, attempt) => {
			// Step n is 1 s × 2^n; jitter keeps 50–100 % of it.
			expect(ms).toBeGreaterThanOrEqual(500 * 2 ** attempt);
			expect(ms).toBeLessThanOrEqual(1_000 * 2 ** attempt);
		});
	});

	it('falls back to backoff when Retry-After cannot be read', async () => {
		nock(BASE).get(STATUS).reply(429, {}, { 'Retry-After': 'soon' }).get(STATUS).reply(200, statusBody());
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(delays()[0]).toBeGreaterThanOrEqual(500);
		expect(delays()[0]).toBeLessThanOrEqual(1_000);
	});

	it('gives up after Max Retries (default 5) with the API message, the status and the attempt count', async () => {
		const api = nock(BASE).get(STATUS).times(6).reply(429, { errorMessage: 'Monthly quota reached' });
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI error 429: Monthly quota reached (after 6 attempts)');
		expect(result.error?.description).toMatch(/rate limit or monthly quota/);
		expect(api.isDone()).toBe(true);
		expect(delays()).toHaveLength(5);
	});

	it('uses the Max Retries option: 2 means three attempts, 0 means one', async () => {
		nock(BASE).get(STATUS).times(3).reply(429, { errorMessage: 'busy' });
		const two = await runOne('getStatus', { interactionIdentifier: ID, options: { maxRetries: 2 } });
		expect(two.error?.message).toBe('ElevateAI error 429: busy (after 3 attempts)');
		expect(nock.pendingMocks()).toEqual([]);

		sleepMock.mockClear();
		nock(BASE).get(STATUS).reply(429, { errorMessage: 'busy' });
		const zero = await runOne('getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } });
		expect(zero.error?.message).toBe('ElevateAI error 429: busy');
		expect(delays()).toEqual([]);
	});

	it('caps each backoff step at 60 s', async () => {
		nock(BASE).get(STATUS).times(11).reply(503, { errorMessage: 'busy' });
		const result = await runOne('getStatus', { interactionIdentifier: ID, options: { maxRetries: 10 } });
		expect(result.error?.message).toBe('ElevateAI error 503: busy (after 11 attempts)');
		const asked = delays();
		expect(asked).toHaveLength(10);
		expect(Math.max(...asked)).toBeLessThanOrEqual(60_000);
		// Steps 6 to 9 would be 64–512 s uncapped; capped they are 30–60 s.
		asked.slice(6).forEach((ms) => expect(ms).toBeGreaterThanOrEqual(30_000));
	});

	it('stops retrying once the next wait would pass the 5-minute budget', async () => {
		// A clock that moves on by every sleep the node asks for.
		let offset = 0;
		const realNow = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
		sleepMock.mockImplementation(async (ms: number) => {
			offset += ms;
		});
		const api = nock(BASE).get(STATUS).times(4).reply(503, { errorMessage: 'busy' }, { 'Retry-After': '99' });
		const result = await runOne('getStatus', { interactionIdentifier: ID, options: { maxRetries: 10 } });
		// Three waits of 99 s fit in 5 minutes; a fourth would not.
		expect(result.error?.message).toBe('ElevateAI error 503: busy (after 4 attempts)');
		expect(delays()).toEqual([99_000, 99_000, 99_000]);
		expect(api.isDone()).toBe(true);
	});

	it('does not wait for a Retry-After beyond the budget: it fails at once instead', async () => {
		const api = nock(BASE).get(STATUS).reply(429, { errorMessage: 'quota' }, { 'Retry-After': '3600' });
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI error 429: quota');
		expect(delays()).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('retries a declare answered 429 (nothing was created) and declares once', async () => {
		const api = nock(BASE)
			.post('/interactions')
			.times(2)
			.reply(429, { errorMessage: 'rate limited' }, { 'Retry-After': '1' })
			.post('/interactions')
			.reply(201, { interactionIdentifier: NEW_ID });
		const result = await runOne('declare', chatDeclare);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ interactionIdentifier: NEW_ID, type: 'chat', externalIdentifier: 'crm-0042' });
		expect(delays()).toEqual([1000, 1000]);
		expect(api.isDone()).toBe(true);
	});

	it('retries a declare answered 429 even when a gateway sends the 429 as plain text', async () => {
		const api = nock(BASE)
			.post('/interactions')
			.reply(429, 'Too Many Requests', { 'Content-Type': 'text/plain', 'Retry-After': '1' })
			.post('/interactions')
			.reply(201, { interactionIdentifier: NEW_ID });
		const result = await runOne('declare', chatDeclare);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.interactionIdentifier).toBe(NEW_ID);
		expect(api.isDone()).toBe(true);
	});
});

describe('5xx bursts, 408, 502, 504', () => {
	it('retries reads through 502, 503, 504 and 408 (with a gateway HTML page among them) and then succeeds', async () => {
		const api = nock(BASE)
			.get(STATUS)
			.reply(502, '<html><body>Bad Gateway</body></html>', { 'Content-Type': 'text/html' })
			.get(STATUS)
			.reply(503, { errorMessage: 'unavailable' })
			.get(STATUS)
			.reply(504, { errorMessage: 'gateway timeout' })
			.get(STATUS)
			.reply(408, { errorMessage: 'request timeout' })
			.get(STATUS)
			.reply(200, statusBody('processed'));
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('processed');
		expect(api.isDone()).toBe(true);
		expect(delays()).toHaveLength(4);
	});

	it('does not retry a 500 (the documented transient codes are 408, 429, 502, 503, 504)', async () => {
		const api = nock(BASE).get(STATUS).reply(500, { errorMessage: 'internal' });
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI error 500: internal');
		expect(result.error?.description).toMatch(/temporary problem/);
		expect(api.isDone()).toBe(true);
		expect(delays()).toEqual([]);
	});

	it('reports a gateway error page by its status, not as bad JSON', async () => {
		nock(BASE)
			.get(`/interactions/${ID}/transcripts/punctuated`)
			.times(6)
			.reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' });
		const result = await runOne('getTranscript', { interactionIdentifier: ID });
		expect(result.error?.message).toMatch(/^ElevateAI error 502: .*Bad Gateway.* \(after 6 attempts\)$/);
		expect(result.error?.description).toMatch(/temporary problem/);
	});

	it('keeps the message short when a gateway answers with a large HTML page', async () => {
		const page = `<html><head><title>502 Bad Gateway</title></head><body>${'<p>upstream error</p>'.repeat(300)}</body></html>`;
		nock(BASE).get(STATUS).times(2).reply(502, page, { 'Content-Type': 'text/html' });
		const result = await runOne('getStatus', { interactionIdentifier: ID, options: { maxRetries: 1 } });
		expect(result.error?.message).toMatch(/^ElevateAI error 502: .*502 Bad Gateway/);
		expect(result.error?.message).not.toContain('<');
		expect(result.error?.message.length).toBeLessThanOrEqual(300);
	});

	it('does not retry a 404 whose body is an HTML page', async () => {
		const api = nock(BASE)
			.get(`/interactions/${ID}`)
			.reply(404, '<html>Not Found</html>', { 'Content-Type': 'text/html' })
			.get(STATUS)
			.reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('get', { interactionIdentifier: ID });
		expect(result.error?.message).toMatch(/^ElevateAI error 404: /);
		expect(result.error?.message).not.toMatch(/attempts/);
		expect(delays()).toEqual([]);
		expect(api.isDone()).toBe(true);
	});

	it('does not retry client errors (400, 401, 409)', async () => {
		for (const code of [400, 401, 409]) {
			nock(BASE).get(STATUS).reply(code, { errorMessage: `error ${code}` });
			const result = await runOne('getStatus', { interactionIdentifier: ID });
			expect(result.error?.message).toBe(`ElevateAI error ${code}: error ${code}`);
			expect(nock.pendingMocks()).toEqual([]);
		}
		expect(delays()).toEqual([]);
	});

	it('retries a declare answered 503 with an error body (the service refused it)', async () => {
		const api = nock(BASE)
			.post('/interactions')
			.reply(503, { errorMessage: 'Service unavailable' })
			.post('/interactions')
			.reply(201, { interactionIdentifier: NEW_ID });
		const result = await runOne('declare', chatDeclare);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.interactionIdentifier).toBe(NEW_ID);
		expect(api.isDone()).toBe(true);
	});

	it.each([
		[500, { errorMessage: 'internal error' }],
		[502, { errorMessage: 'bad gateway' }],
		[504, { errorMessage: 'gateway timeout' }],
		[503, ''],
	])('does not resend a declare answered %s %j: it may have been created', async (code, body) => {
		const api = nock(BASE).post('/interactions').reply(code, body);
		const result = await runOne('declare', chatDeclare);
		expect(api.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(delays()).toEqual([]);
		expect(result.error?.message).toMatch(new RegExp(`^ElevateAI error ${code}: `));
		expect(result.error?.description).toMatch(/search by its External Identifier/);
	});

	it('does not resend a declare answered 408', async () => {
		nock(BASE).post('/interactions').reply(408, { errorMessage: 'request timeout' });
		const result = await runOne('declare', chatDeclare);
		expect(result.error?.message).toBe('ElevateAI error 408: request timeout');
		expect(delays()).toEqual([]);
	});
});

describe('malformed and empty answers', () => {
	it('retries a read whose answer is not JSON, then uses the good answer', async () => {
		const api = nock(BASE)
			.get(STATUS)
			.reply(200, '{"status": "proc', { 'Content-Type': 'application/json' })
			.get(STATUS)
			.reply(200, statusBody('processed'));
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('processed');
		expect(api.isDone()).toBe(true);
	});

	it('fails a read that never answers valid JSON, saying so', async () => {
		nock(BASE).get(STATUS).times(6).reply(200, 'not json at all', { 'Content-Type': 'application/json' });
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI sent an answer that is not valid JSON (HTTP 200) (after 6 attempts)');
		expect(result.error?.description).toContain('It began with: not json at all');
	});

	it('does not resend a declare whose 201 answer is not JSON, and says the interaction may exist', async () => {
		const api = nock(BASE).post('/interactions').reply(201, '{"interactionIdent', { 'Content-Type': 'application/json' });
		const result = await runOne('declare', chatDeclare);
		expect(api.isDone()).toBe(true);
		expect(result.error?.message).toBe('ElevateAI sent an answer that is not valid JSON (HTTP 201)');
		expect(result.error?.description).toMatch(/search by its External Identifier/);
	});

	it.each([
		['an empty body', ''],
		['an empty object', {}],
		['no GUID', { interactionIdentifier: '../x' }],
	])('does not resend a declare answered 201 with %s, and says the interaction may exist', async (_label, body) => {
		const api = nock(BASE).post('/interactions').reply(201, body);
		const result = await runOne('declare', chatDeclare);
		expect(api.isDone()).toBe(true);
		expect(result.error?.message).toBe('ElevateAI accepted the declare but returned no interactionIdentifier');
		expect(result.error?.description).toMatch(/External Identifier/);
	});

	it('fails clearly on a status answer with an empty body', async () => {
		nock(BASE).get(STATUS).reply(200, '');
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI returned a status answer without a status');
	});

	it.each([
		['punctuated', '/transcripts/punctuated'],
		['phraseByPhrase', '/transcript'],
	])('turns a 204 %s transcript into empty text', async (format, path) => {
		nock(BASE).get(`/interactions/${ID}${path}`).reply(204);
		const result = await runOne('getTranscript', { interactionIdentifier: ID, transcriptFormat: format, simple: false });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ interactionIdentifier: ID, text: '' });
	});

	it('turns a 204 summary into an empty summary', async () => {
		nock(BASE).get(`/interactions/${ID}/gen-ai/cx/summary`).reply(204);
		const result = await runOne('getSummary', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ interactionIdentifier: ID, summary: '' });
	});
});

describe('connection failures', () => {
	it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])(
		'retries a declare whose connection failed before sending (%s) and declares once',
		async (code) => {
			const api = nock(BASE)
				.post('/interactions')
				.replyWithError(netError(code, `connect ${code} api.elevateai.com`))
				.post('/interactions')
				.reply(201, { interactionIdentifier: NEW_ID });
			const result = await runOne('declare', chatDeclare);
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.interactionIdentifier).toBe(NEW_ID);
			expect(api.isDone()).toBe(true);
			expect(delays()).toHaveLength(1);
		},
	);

	it('reports a connection that is refused every time as "could not connect"', async () => {
		nock(BASE).post('/interactions').times(3).replyWithError(netError('ECONNREFUSED', 'connect ECONNREFUSED'));
		const result = await runOne('declare', { ...chatDeclare, options: { maxRetries: 2 } });
		expect(result.error?.message).toBe('Could not connect to ElevateAI at api.elevateai.com (ECONNREFUSED) (after 3 attempts)');
		expect(result.error?.description).toMatch(/Base URL/);
	});

	it.each(['ECONNRESET', 'EPIPE'])(
		'does not resend a declare whose connection broke after sending (%s)',
		async (code) => {
			const api = nock(BASE).post('/interactions').replyWithError(netError(code, 'socket hang up'));
			const result = await runOne('declare', chatDeclare);
			expect(api.isDone()).toBe(true);
			expect(nock.pendingMocks()).toEqual([]);
			expect(delays()).toEqual([]);
			expect(failure(result)).toMatch(/may have been created/);
			expect(failure(result)).toMatch(/search by its External Identifier/);
		},
	);

	it('retries a read whose connection broke', async () => {
		const api = nock(BASE)
			.get(STATUS)
			.replyWithError(netError('ECONNRESET', 'socket hang up'))
			.get(STATUS)
			.reply(200, statusBody());
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});
});

describe('slow answers past the request timeout', () => {
	it('retries a read that timed out', async () => {
		const timeouts = capRequestTimeouts(100);
		const api = nock(BASE).get(STATUS).delay(1_000).reply(200, statusBody()).get(STATUS).reply(200, statusBody('processed'));
		const result = await runOne('getStatus', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('processed');
		expect(api.isDone()).toBe(true);
		// The node asks n8n for its 2-minute request timeout.
		expect(timeouts.asked[0]).toBe(120_000);
	});

	it('does not resend a declare that timed out: it may have been created', async () => {
		capRequestTimeouts(100);
		const api = nock(BASE).post('/interactions').delay(1_000).reply(201, { interactionIdentifier: NEW_ID });
		const result = await runOne('declare', chatDeclare);
		expect(api.isDone()).toBe(true);
		expect(delays()).toEqual([]);
		expect(failure(result)).toMatch(/may have been created/);
		expect(failure(result)).toMatch(/External Identifier/);
	});
});

describe('uploads', () => {
	const UPLOAD = `/interactions/${ID}/upload`;
	const file = recording(200_000);
	const item = () => [binaryItem('call-0042.wav', file)];

	it('re-sends the whole file with a fresh stream only after the status says filePendingUpload', async () => {
		const order: string[] = [];
		const bodies: string[] = [];
		const api = nock(BASE)
			.post(UPLOAD)
			.replyWithError(netError('ECONNRESET', 'socket hang up'))
			.get(STATUS)
			.reply(() => {
				order.push('status');
				return [200, statusBody('filePendingUpload')];
			})
			.post(UPLOAD, (body: string) => {
				bodies.push(body);
				return true;
			})
			.reply(() => {
				order.push('upload');
				return [201, ''];
			});
		const result = await runOne('upload', { interactionIdentifier: ID }, { items: item() });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ interactionIdentifier: ID, uploaded: true, fileName: 'call-0042.wav', fileSize: file.length });
		expect(order).toEqual(['status', 'upload']);
		expect(api.isDone()).toBe(true);
		// The second attempt carries every byte of the file.
		expect(bodies[0]).toContain(file.toString('latin1'));
	});

	it('retries an upload answered 503 after the status check', async () => {
		const api = nock(BASE)
			.post(UPLOAD)
			.reply(503, { errorMessage: 'busy' })
			.get(STATUS)
			.reply(200, statusBody('filePendingUpload'))
			.post(UPLOAD)
			.reply(201, '');
		const result = await runOne('upload', { interactionIdentifier: ID }, { items: item() });
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
	});

	it('does not re-send when the status shows the file arrived: the upload counts as done', async () => {
		const api = nock(BASE)
			.post(UPLOAD)
			.replyWithError(netError('ECONNRESET', 'socket hang up'))
			.get(STATUS)
			.reply(200, statusBody('fileUploaded'));
		const result = await runOne('upload', { interactionIdentifier: ID }, { items: item() });
		expect(api.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ interactionIdentifier: ID, uploaded: true });
	});

	it('does not re-send when the status shows the upload failed at ElevateAI', async () => {
		nock(BASE)
			.post(UPLOAD)
			.replyWithError(netError('ECONNRESET', 'socket hang up'))
			.get(STATUS)
			.reply(200, statusBody('fileUploadFailed'));
		const result = await runOne('upload', { interactionIdentifier: ID }, { items: item() });
		expect(nock.pendingMocks()).toEqual([]);
		expect(result.error?.message).toMatch(/broke before an answer arrived \(ECONNRESET\)/);
	});

	it('does not retry an upload answered 409 and does not check the status', async () => {
		const api = nock(BASE).post(UPLOAD).reply(409, { errorMessage: 'not waiting for an upload' });
		const result = await runOne('upload', { interactionIdentifier: ID }, { items: item() });
		expect(api.isDone()).toBe(true);
		expect(result.error?.message).toBe('ElevateAI error 409: not waiting for an upload');
		expect(delays()).toEqual([]);
	});

	it('asks for a long request timeout for uploads (large files take time to send)', async () => {
		const timeouts = capRequestTimeouts(60_000);
		nock(BASE).post(UPLOAD).reply(201, '');
		const result = await runOne('upload', { interactionIdentifier: ID }, { items: item() });
		expect(result.error).toBeUndefined();
		expect(timeouts.asked).toEqual([600_000]);
	});
});

describe('delete', () => {
	it('treats a 404 on a retried delete as success (the first attempt got through)', async () => {
		// A gateway's 504 does not say whether ElevateAI acted; a 503 with an error body would (issue 10.9).
		const api = nock(BASE)
			.delete(`/interactions/${ID}`)
			.reply(504, '')
			.delete(`/interactions/${ID}`)
			.reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('delete', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ interactionIdentifier: ID, deleted: true });
		expect(api.isDone()).toBe(true);
	});

	it('treats a 404 after a broken connection as success', async () => {
		nock(BASE)
			.delete(`/interactions/${ID}`)
			.replyWithError(netError('ECONNRESET', 'socket hang up'))
			.delete(`/interactions/${ID}`)
			.reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('delete', { interactionIdentifier: ID });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.deleted).toBe(true);
	});

	it('reports a 404 on the first attempt as an error', async () => {
		nock(BASE).delete(`/interactions/${ID}`).reply(404, { errorMessage: 'Interaction not found' });
		const result = await runOne('delete', { interactionIdentifier: ID });
		expect(result.error?.message).toBe('ElevateAI error 404: Interaction not found');
	});
});

describe('processing failures and waits', () => {
	it('fails the item with ElevateAI\'s reason when processing fails', async () => {
		nock(BASE)
			.get(STATUS)
			.reply(200, { ...statusBody('processingFailed'), errorMessage: 'Audio is corrupt' });
		const result = await runOne('waitForCompletion', { interactionIdentifier: ID, pollInterval: 1, timeout: 1 });
		expect(result.error?.message).toBe(`ElevateAI could not process interaction ${ID}: processingFailed`);
		expect(result.error?.description).toBe('ElevateAI says: Audio is corrupt');
	});

	it('keeps waiting through 429 and 503 answers to status polls', async () => {
		const api = nock(BASE)
			.get(STATUS)
			.reply(200, statusBody('processing'))
			.get(STATUS)
			.reply(429, {}, { 'Retry-After': '3' })
			.get(STATUS)
			.reply(503, { errorMessage: 'busy' })
			.get(STATUS)
			.reply(200, statusBody('processed'));
		let offset = 0;
		const realNow = Date.now.bind(Date);
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
		sleepMock.mockImplementation(async (ms: number) => {
			offset += ms;
		});
		const result = await runOne('waitForCompletion', { interactionIdentifier: ID, pollInterval: 5, timeout: 1 });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.status).toBe('processed');
		expect(api.isDone()).toBe(true);
		expect(delays()).toContain(3000);
	});
});

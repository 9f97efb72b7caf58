/**
 * The same faults against the ElevateAI emulator, through n8n's real HTTP stack: the emulator's
 * stats prove what reached the "service" (how many interactions were declared, how many bytes
 * each upload carried), which nock cannot show for dropped connections.
 *
 * `sleep` is mocked to wait at most a few milliseconds, and every delay asked for is recorded.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));

import { createHash } from 'node:crypto';
import type { INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { binaryItem, runChain } from '../helpers/engine';
import type { Emulator } from './helpers';
import { capRequestTimeouts, chatJson, emulatorCredentials, recording, runOne, startEmulator, step } from './helpers';

const sleepMock = jest.mocked(sleep);
const delays = () => sleepMock.mock.calls.map(([ms]) => ms);
const fastSleep = async (ms: number) => await new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 5)));

let emulator: Emulator;
const credentials = () => emulatorCredentials(emulator);
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const routes = () => emulator.requests.map((r) => `${r.route} → ${r.dropped ? 'dropped' : r.status}`);

const chat = (externalIdentifier = 'crm-0042') => ({
	interactionType: 'chat',
	chat: JSON.stringify(chatJson()),
	additionalFields: { externalIdentifier },
});
const audio = (externalIdentifier = 'call-0042') => ({
	interactionType: 'audio',
	additionalFields: { externalIdentifier },
});

async function declared(parameters: INodeParameters = chat()): Promise<string> {
	const result = await runOne('declare', parameters, { credentials: credentials() });
	expect(result.error).toBeUndefined();
	return String(result.items[0].json.interactionIdentifier);
}

beforeAll(async () => {
	// Uploads are accepted straight away (no "declared" stage), processing takes 4 × 20 ms.
	emulator = await startEmulator({ timing: { stageMs: 20, stages: { declared: 0 } }, seed: 7 });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.reset();
	sleepMock.mockReset();
	sleepMock.mockImplementation(fastSleep);
});
afterEach(() => jest.restoreAllMocks());

describe('429 storms and 5xx bursts', () => {
	it('retries a declare through a 429 storm with Retry-After and creates exactly one interaction', async () => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', times: 3, status: 429, headers: { 'Retry-After': '2' } });
		const result = await runOne('declare', chat(), { credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(delays()).toEqual([2000, 2000, 2000]);
		const stats = emulator.stats();
		expect(stats.declares).toBe(1);
		expect(stats.byRoute['POST /interactions']).toBe(4);
		expect(stats.byStatus['429']).toBe(3);
		expect(emulator.interaction(String(result.items[0].json.interactionIdentifier))?.declared.externalIdentifier).toBe('crm-0042');
	});

	it('honours a Retry-After HTTP date on a status poll', async () => {
		const id = await declared();
		emulator.addFault({ method: 'GET', path: '/status$', status: 429, headers: { 'Retry-After': new Date(Date.now() + 4_000).toUTCString() } });
		const result = await runOne('getStatus', { interactionIdentifier: id }, { credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(delays()).toHaveLength(1);
		expect(delays()[0]).toBeGreaterThanOrEqual(2_000);
		expect(delays()[0]).toBeLessThanOrEqual(4_000);
	});

	it('backs off exponentially through a 429 storm without Retry-After', async () => {
		const id = await declared();
		emulator.addFault({ method: 'GET', path: '/status$', times: 4, status: 429 });
		const result = await runOne('getStatus', { interactionIdentifier: id }, { credentials: credentials() });
		expect(result.error).toBeUndefined();
		delays().forEach((ms, attempt) => {
			expect(ms).toBeGreaterThanOrEqual(500 * 2 ** attempt);
			expect(ms).toBeLessThanOrEqual(1_000 * 2 ** attempt);
		});
		expect(delays()).toHaveLength(4);
	});

	it('retries a read through 502, 503, 504 and 408', async () => {
		const id = await declared();
		for (const status of [502, 503, 504, 408]) emulator.addFault({ method: 'GET', path: '/status$', status });
		const result = await runOne('getStatus', { interactionIdentifier: id }, { credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.interactionIdentifier).toBe(id);
		expect(emulator.stats().byRoute['GET /interactions/:id/status']).toBe(5);
	});

	it('gives up on a read after Max Retries and names the status', async () => {
		const id = await declared();
		emulator.addFault({ method: 'GET', path: '/status$', times: -1, status: 503, body: { errorMessage: 'Down for maintenance' } });
		const result = await runOne('getStatus', { interactionIdentifier: id, options: { maxRetries: 3 } }, { credentials: credentials() });
		expect(result.error?.message).toBe('ElevateAI error 503: Down for maintenance (after 4 attempts)');
		expect(emulator.stats().byRoute['GET /interactions/:id/status']).toBe(4);
	});

	it.each([502, 504, 500])('does not resend a declare answered %s, and warns that it may exist', async (status) => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', status });
		const result = await runOne('declare', chat(), { credentials: credentials() });
		expect(result.error?.message).toBe(`ElevateAI error ${status}: Emulated fault: HTTP ${status}.`);
		expect(result.error?.description).toMatch(/search by its External Identifier/);
		expect(emulator.stats().byRoute['POST /interactions']).toBe(1);
	});
});

describe('dropped connections', () => {
	it('re-uploads the whole file with a fresh stream after a drop mid-upload, once the status says filePendingUpload', async () => {
		const file = recording(300_000);
		emulator.addFault({ action: 'drop-mid-upload', afterBytes: 64 * 1024 });
		const result = await runChain({
			items: [binaryItem('call-0042.wav', file)],
			credentials: credentials(),
			chain: [step('Declare', 'declare', audio()), step('Upload', 'upload')],
		});
		expect(result.error).toBeUndefined();
		const id = String(result.output('Declare')[0].json.interactionIdentifier);
		expect(result.output('Upload')[0].json).toEqual({ interactionIdentifier: id, externalIdentifier: 'call-0042', uploaded: true, fileName: 'call-0042.wav', fileSize: file.length });

		const stats = emulator.stats();
		expect(stats.declares).toBe(1);
		// The first attempt broke part-way; the second carried every byte.
		expect(stats.failedUploads).toHaveLength(1);
		expect(stats.failedUploads[0].bytesReceived).toBeGreaterThanOrEqual(64 * 1024);
		expect(stats.failedUploads[0].bytesReceived).toBeLessThan(file.length);
		expect(stats.uploads).toHaveLength(1);
		expect(stats.uploads[0]).toMatchObject({ interactionIdentifier: id, size: file.length, sha256: sha256(file), filename: 'call-0042.wav' });
		// The retry came only after a status check.
		expect(routes()).toEqual([
			'POST /interactions → 201',
			'POST /interactions/:id/upload → dropped',
			'GET /interactions/:id/status → 200',
			'POST /interactions/:id/upload → 201',
		]);
	});

	it('does not re-upload when the connection broke after ElevateAI stored the file', async () => {
		const file = recording(100_000);
		emulator.addFault({ method: 'POST', path: '/upload$', action: 'drop-after-body' });
		const result = await runChain({
			items: [binaryItem('call-0042.wav', file)],
			credentials: credentials(),
			chain: [step('Declare', 'declare', audio()), step('Upload', 'upload')],
		});
		expect(result.error).toBeUndefined();
		expect(result.output('Upload')[0].json).toMatchObject({ uploaded: true, fileSize: file.length });
		const stats = emulator.stats();
		expect(stats.uploads).toHaveLength(1);
		expect(stats.byRoute['POST /interactions/:id/upload']).toBe(1);
		expect(routes()).toEqual([
			'POST /interactions → 201',
			'POST /interactions/:id/upload → dropped',
			'GET /interactions/:id/status → 200',
		]);
	});

	it('does not resend a declare whose answer was lost: one interaction, and an item error saying to search by External Identifier', async () => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', action: 'drop-after-body' });
		const result = await runChain({
			items: [{ json: { call: 1 } }],
			credentials: credentials(),
			chain: [step('Declare', 'declare', chat('crm-lost-answer'), true)],
		});
		expect(result.error).toBeUndefined();
		const item = result.output('Declare')[0];
		expect(item.json.interactionIdentifier).toBeUndefined();
		expect(item.json.error).toMatch(/^The connection to ElevateAI \(127\.0\.0\.1:\d+\) broke before an answer arrived \(ECONNRESET\)$/);
		expect(item.json.errorDescription).toMatch(/The declare request was sent, so the interaction may have been created; it was not sent again/);
		expect(item.json.errorDescription).toMatch(/search by its External Identifier/);
		expect(item.pairedItem).toEqual({ item: 0 });

		const stats = emulator.stats();
		expect(stats.declares).toBe(1);
		expect(stats.byRoute['POST /interactions']).toBe(1);
		expect([...emulator.interactions.values()].map((i) => i.declared.externalIdentifier)).toEqual(['crm-lost-answer']);
		expect(delays()).toEqual([]);
	});

	it('does not resend a declare whose connection dropped before any answer (it cannot know)', async () => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', action: 'drop-before-body' });
		const result = await runOne('declare', chat(), { credentials: credentials() });
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/may have been created.*External Identifier/s);
		expect(emulator.stats().byRoute['POST /interactions']).toBe(1);
		expect(emulator.stats().declares).toBe(0);
	});

	it('retries a declare whose connection was refused before sending, and declares once', async () => {
		// A port where nothing listens yet; the emulator comes up while the node waits to retry.
		const probe = await startEmulator();
		const port = probe.port;
		await probe.close();
		let revived: Emulator | undefined;
		sleepMock.mockImplementationOnce(async () => {
			revived = await startEmulator({ port, timing: 20 });
		});
		try {
			const result = await runOne('declare', chat(), {
				credentials: { ...credentials(), baseUrl: `http://127.0.0.1:${port}/v1` },
			});
			expect(result.error).toBeUndefined();
			expect(delays()).toHaveLength(1);
			expect(revived?.stats().declares).toBe(1);
			expect(revived?.stats().byRoute['POST /interactions']).toBe(1);
		} finally {
			await revived?.close();
		}
	});

	it('treats a 404 on a delete retried after a lost answer as success', async () => {
		const id = await declared();
		emulator.addFault({ method: 'DELETE', action: 'drop-after-body' });
		const result = await runOne('delete', { interactionIdentifier: id }, { credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toEqual({ interactionIdentifier: id, deleted: true });
		expect(emulator.stats().deletes).toBe(1);
		expect(routes().slice(1)).toEqual(['DELETE /interactions/:id → dropped', 'DELETE /interactions/:id → 404']);
	});
});

describe('slow, malformed and empty answers', () => {
	it('retries a status read slower than the request timeout', async () => {
		const id = await declared();
		const timeouts = capRequestTimeouts(150);
		emulator.addFault({ method: 'GET', path: '/status$', delayMs: 1_000 });
		const result = await runOne('getStatus', { interactionIdentifier: id }, { credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(timeouts.asked).toEqual([120_000, 120_000]);
		expect(emulator.stats().byRoute['GET /interactions/:id/status']).toBe(2);
	});

	it('does not resend a declare slower than the request timeout', async () => {
		capRequestTimeouts(150);
		emulator.addFault({ method: 'POST', path: '^/interactions$', delayMs: 1_000 });
		const result = await runOne('declare', chat(), { credentials: credentials() });
		expect(`${result.error?.message} ${result.error?.description}`).toMatch(/may have been created.*External Identifier/s);
		expect(emulator.stats().byRoute['POST /interactions']).toBe(1);
	});

	it('retries a read whose answer is not JSON', async () => {
		const id = await declared();
		emulator.addFault({ method: 'GET', path: '/status$', status: 200, body: '{"status": "proc' });
		const result = await runOne('getStatus', { interactionIdentifier: id }, { credentials: credentials() });
		expect(result.error).toBeUndefined();
		expect(typeof result.items[0].json.status).toBe('string');
	});

	it('does not resend a declare answered 201 with an empty body', async () => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', status: 201, body: '' });
		const result = await runOne('declare', chat(), { credentials: credentials() });
		expect(result.error?.message).toBe('ElevateAI accepted the declare but returned no interactionIdentifier');
		expect(result.error?.description).toMatch(/External Identifier/);
		expect(emulator.stats().byRoute['POST /interactions']).toBe(1);
	});

	it('returns empty text for a recording without speech (204 transcript)', async () => {
		const result = await runOne(
			'transcribe',
			{ ...audio(), pollInterval: 1, timeout: 1, transcriptFormat: 'phraseByPhrase' },
			{ credentials: credentials(), items: [binaryItem('silence.wav', recording(4_000))] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'processed', text: '' });
		expect(emulator.stats().byStatus['204']).toBe(1);
	});
});

describe('processing failures', () => {
	it('fails the item with ElevateAI\'s reason and keeps its interaction ID', async () => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', action: 'processing-failure', errorMessage: 'The chat could not be analysed' });
		const result = await runChain({
			credentials: credentials(),
			chain: [step('Declare', 'declare', chat()), step('Wait', 'waitForCompletion', { pollInterval: 1, timeout: 1 }, true)],
		});
		expect(result.error).toBeUndefined();
		const id = String(result.output('Declare')[0].json.interactionIdentifier);
		expect(result.output('Wait')[0].json).toEqual({
			error: `ElevateAI could not process interaction ${id}: processingFailed`,
			errorDescription: 'ElevateAI says: The chat could not be analysed',
			interactionIdentifier: id,
		});
	});
});

describe('everything at once', () => {
	it('transcribes through a 429 on declare, a drop mid-upload, a 503 on status and a 502 on the transcript', async () => {
		const file = recording(200_000);
		emulator.addFault({ method: 'POST', path: '^/interactions$', status: 429, headers: { 'Retry-After': '1' } });
		emulator.addFault({ action: 'drop-mid-upload', afterBytes: 32 * 1024 });
		emulator.addFault({ method: 'GET', path: '/status$', status: 503, times: 2 });
		emulator.addFault({ method: 'GET', path: '/transcripts/punctuated$', status: 502 });
		const result = await runOne(
			'transcribe',
			{ ...audio(), pollInterval: 1, timeout: 1 },
			{ credentials: credentials(), items: [binaryItem('call-0042.wav', file)] },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ status: 'processed' });
		expect(String(result.items[0].json.text).length).toBeGreaterThan(0);
		const stats = emulator.stats();
		expect(stats.declares).toBe(1);
		expect(stats.uploads).toHaveLength(1);
		expect(stats.uploads[0]).toMatchObject({ size: file.length, sha256: sha256(file) });
		expect(stats.faultsApplied.map((f) => f.kind)).toEqual(
			expect.arrayContaining(['status 429', 'drop-mid-upload', 'status 503', 'status 502']),
		);
	});
});

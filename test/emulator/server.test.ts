/**
 * The emulator speaks the ElevateAI contract strictly: auth, declare validation, the audio,
 * download, chat and transcript flows, results, multipart rules, delete, magic names and stats.
 * Faults, the control API and the CLI are in faults.test.ts; the large upload in upload-memory.test.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { DEFAULT_TOKEN, startEmulator } from '../../emulator/server';
import type { Emulator, StatusObject } from '../../emulator/server';
import { AUDIO, call, declare, getStatus, multipart, rawRequest, upload, uploadFile, waitForStatus } from './client';

const STATUS_KEYS = ['declared', 'downloaded', 'errorMessage', 'identifier', 'processed', 'status', 'uploaded'];
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ timing: { stageMs: 20 } });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

const UPLOAD_STAGES = ['declared', 'filePendingUpload', 'fileUploading', 'fileUploaded', 'pendingProcessing', 'processing', 'processed'];
const DOWNLOAD_STAGES = ['filePendingDownload', 'fileDownloading', 'fileDownloaded', 'pendingProcessing', 'processing', 'processed'];
const CHAT_STAGES = ['pendingProcessing', 'processing', 'processed'];

/** Is `seen` a subsequence of `order` (polling may skip a short stage, never reorder)? */
function inOrder(seen: string[], order: string[]): boolean {
	let at = 0;
	for (const s of seen) {
		at = order.indexOf(s, at);
		if (at === -1) return false;
	}
	return true;
}

/** Rebuild plain text from a phrase-by-phrase block (phrases are unique; segments point into them). */
function textOf(block: { phrases: string[]; phraseSegments: Array<{ phraseIndex: number }> }): string {
	return block.phraseSegments.map((s) => block.phrases[s.phraseIndex]).join(' ');
}

describe('authentication', () => {
	test.each([
		['missing', null],
		['unknown', '22222222-2222-4222-8222-222222222222'],
	])('a %s X-API-Token gets 401 with an errorMessage', async (_label, token) => {
		const r = await call('POST', `${emu.url}/interactions`, { token, json: AUDIO });
		expect(r.status).toBe(401);
		expect(typeof r.json.errorMessage).toBe('string');
		expect(emu.stats().declares).toBe(0);
	});

	test('every API route needs the token, even unknown ones', async () => {
		const id = await declare(emu);
		for (const path of [`/interactions/${id}/status`, `/interactions/${id}`, `/interactions/${id}/transcript`, '/nope']) {
			expect((await call('GET', `${emu.url}${path}`, { token: null })).status).toBe(401);
		}
		expect((await call('GET', `${emu.url}/nope`)).status).toBe(404);
	});

	test('several tokens can be accepted', async () => {
		const multi = await startEmulator({ tokens: ['a-token', 'b-token'] });
		try {
			expect((await call('POST', `${multi.url}/interactions`, { token: 'b-token', json: AUDIO })).status).toBe(201);
			expect((await call('POST', `${multi.url}/interactions`, { json: AUDIO })).status).toBe(401);
		} finally {
			await multi.close();
		}
	});
});

describe('declare validation', () => {
	const chat = {
		participants: [
			{ participant_id: 'a1', name: 'Ann', role: 'agent' },
			{ participant_id: 'c1', name: 'Carl', role: 'customer' },
		],
		messages: [{ participant_id: 'c1', timestamp: '2024-05-01T10:00:00Z', content: 'Hello' }],
	};
	test.each<[string, unknown, RegExp]>([
		['no type', { languageTag: 'en-us' }, /type/],
		['an unknown type', { type: 'video' }, /type/],
		['an unknown language', { type: 'audio', languageTag: 'fr' }, /languageTag/],
		['pt-br on a chat', { type: 'chat', languageTag: 'pt-br', chat }, /languageTag/],
		['another vertical', { type: 'audio', vertical: 'finance' }, /vertical/],
		['includeAiResults as a string', { type: 'audio', includeAiResults: 'true' }, /includeAiResults/],
		['an unknown model', { type: 'audio', model: 'whisper' }, /model/],
		['an ftp downloadUri', { type: 'audio', downloadUri: 'ftp://host/a.wav' }, /downloadUri/],
		['a relative downloadUri', { type: 'audio', downloadUri: 'a.wav' }, /downloadUri/],
		['a bad transcription mode', { type: 'audio', audioTranscriptionMode: 'fast' }, /audioTranscriptionMode/],
		['a numeric originalFilename', { type: 'audio', originalFilename: 42 }, /originalFilename/],
		['metadata with a number', { type: 'audio', metadata: { custom: { integers: { integer1: 5 } } } }, /metadata\.custom\.integers\.integer1/],
		['metadata that is an array', { type: 'audio', metadata: ['x'] }, /metadata/],
		['a chat without chat', { type: 'chat' }, /chat/],
		['a chat without messages', { type: 'chat', chat: { participants: chat.participants, messages: [] } }, /messages/],
		['a chat message from nobody', { type: 'chat', chat: { ...chat, messages: [{ participant_id: 'x', timestamp: '2024-05-01T10:00:00Z', content: 'hi' }] } }, /participant_id/],
		['a chat message with a bad timestamp', { type: 'chat', chat: { ...chat, messages: [{ participant_id: 'a1', timestamp: 'yesterday', content: 'hi' }] } }, /timestamp/],
		['a participant without role', { type: 'chat', chat: { participants: [{ participant_id: 'a1', name: 'Ann' }], messages: chat.messages } }, /role/],
		['a transcript without transcript', { type: 'transcript' }, /transcript/],
		['a transcript with a bad phraseIndex', { type: 'transcript', transcript: { allParticipants: { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 10, phraseIndex: 3, score: 1 }] } } }, /phraseIndex/],
		['chat on an audio interaction', { type: 'audio', chat }, /chat/],
		['downloadUri on a chat', { type: 'chat', chat, downloadUri: 'https://example.com/a.wav' }, /downloadUri/],
		['a JSON array', [AUDIO], /object/],
	])('400 for %s', async (_label, body, field) => {
		const r = await call('POST', `${emu.url}/interactions`, { json: body });
		expect(r.status).toBe(400);
		expect(r.json.errorMessage).toMatch(field);
		expect(emu.stats().declares).toBe(0);
	});

	test('400 for invalid JSON and for a wrong Content-Type', async () => {
		const bad = await call('POST', `${emu.url}/interactions`, { body: '{"type":', headers: { 'Content-Type': 'application/json' } });
		expect(bad.status).toBe(400);
		expect(bad.json.errorMessage).toMatch(/JSON/);
		const wrongType = await call('POST', `${emu.url}/interactions`, { body: JSON.stringify(AUDIO), headers: { 'Content-Type': 'text/plain' } });
		expect(wrongType.status).toBe(400);
		expect(wrongType.json.errorMessage).toMatch(/Content-Type/);
		const none = await call('POST', `${emu.url}/interactions`, { body: JSON.stringify(AUDIO) });
		expect(none.status).toBe(400);
	});

	test('unknown fields are ignored, null optionals are accepted, defaults are applied', async () => {
		const r = await call('POST', `${emu.url}/interactions`, {
			json: { type: 'audio', somethingNew: 1, downloadUri: null, model: null, includeAiResults: null },
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
		});
		expect(r.status).toBe(201);
		expect(r.json.interactionIdentifier).toMatch(/^[0-9a-f-]{36}$/);
		const got = await call('GET', `${emu.url}/interactions/${r.json.interactionIdentifier}`);
		expect(got.json).toEqual({
			identifier: r.json.interactionIdentifier,
			type: 'audio',
			languageTag: 'en-us',
			vertical: 'default',
			audioTranscriptionMode: null,
			includeAiResults: false,
			downloadUri: null,
			transcript: null,
			chat: null,
		});
	});

	test('metadata is accepted with Explore, and refused with 400 without it', async () => {
		const metadata = { category: 'billing', agent: { id: '7', name: 'Maria', supervisor: { id: '1', name: 'Sam' } }, custom: { integers: { integer8: '42' } } };
		expect((await call('POST', `${emu.url}/interactions`, { json: { ...AUDIO, metadata } })).status).toBe(201);
		const noExplore = await startEmulator({ exploreEnabled: false });
		try {
			const r = await call('POST', `${noExplore.url}/interactions`, { json: { ...AUDIO, metadata } });
			expect(r.status).toBe(400);
			expect(r.json.errorMessage).toMatch(/Explore/);
		} finally {
			await noExplore.close();
		}
	});
});

describe('audio with upload', () => {
	test('declare → upload → processed, then every result endpoint', async () => {
		const id = await declare(emu, { ...AUDIO, includeAiResults: true, originalFilename: 'call-0042.wav', externalIdentifier: 'crm-1', model: 'cx' });

		const first = await getStatus(emu, id);
		expect(Object.keys(first).sort()).toEqual(STATUS_KEYS);
		expect(['declared', 'filePendingUpload']).toContain(first.status);
		expect(first.declared).toMatch(ISO_UTC);
		expect(first.uploaded).toBeNull();
		await waitForStatus(emu, id, ['filePendingUpload']);

		// Results are not there before processing.
		const early = await call('GET', `${emu.url}/interactions/${id}/transcript`);
		expect(early.status).toBe(404);
		expect(early.json.errorMessage).toMatch(/not been processed/);

		const up = await uploadFile(emu, id, 'call-0042.wav', Buffer.alloc(4096, 7));
		expect(up.status).toBe(201);
		expect(up.text).toBe('');

		const { final, seen } = await waitForStatus(emu, id, ['processed']);
		expect(inOrder(seen, UPLOAD_STAGES)).toBe(true);
		expect(final.uploaded).toMatch(ISO_UTC);
		expect(final.processed).toMatch(ISO_UTC);
		expect(final.errorMessage).toBeNull();

		const params = await call('GET', `${emu.url}/interactions/${id}`);
		expect(params.json).toMatchObject({ identifier: id, type: 'audio', includeAiResults: true, externalIdentifier: 'crm-1', originalFilename: 'call-0042.wav', model: 'cx', transcript: null, chat: null });

		const transcript = await call('GET', `${emu.url}/interactions/${id}/transcript`);
		expect(transcript.status).toBe(200);
		for (const group of ['allParticipants', 'participantOne', 'participantTwo']) {
			const block = transcript.json[group];
			expect(new Set(block.phrases).size).toBe(block.phrases.length); // unique phrases
			for (const seg of block.phraseSegments) {
				expect(Object.keys(seg).sort()).toEqual(['endTimeOffset', 'phraseIndex', 'score', 'startTimeOffset']);
				expect(Number.isInteger(seg.startTimeOffset)).toBe(true);
			}
		}
		expect(textOf(transcript.json.participantOne)).toMatch(/^thank you for calling northwind energy/);
		expect(textOf(transcript.json.participantTwo)).toMatch(/calling about my bill/);
		expect(transcript.json.redactionSegments).toEqual([expect.objectContaining({ result: 'Credit Card' })]);

		const punctuated = await call('GET', `${emu.url}/interactions/${id}/transcripts/punctuated`);
		expect(punctuated.json.sentenceSegments[0]).toEqual({ participant: 'participantOne', startTimeOffset: expect.any(Number), endTimeOffset: expect.any(Number), phrase: expect.stringMatching(/^Thank you for calling/), score: expect.any(Number) });
		expect(punctuated.json.sentenceSegments.map((s: { participant: string }) => s.participant)).toContain('participantTwo');

		const ai = await call('GET', `${emu.url}/interactions/${id}/ai`);
		expect(ai.status).toBe(200);
		expect(ai.json.allParticipants.enlightenBundles.map((b: { name: string }) => b.name)).toEqual(['Customer Satisfaction', 'Vulnerable Customer']);
		expect(Object.keys(ai.json.participantOne.enlightenBundles[0].models[0]).sort()).toEqual(
			['maxScore', 'maxScoreOffset', 'minScore', 'minScoreOffset', 'name', 'quartile1', 'quartile2', 'quartile3', 'quartile4', 'score'],
		);
		expect(ai.json.allParticipants.voiceActivitySegments).toEqual(expect.arrayContaining([expect.objectContaining({ result: 'voice' }), expect.objectContaining({ result: 'silence' })]));

		const summary = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/summary`);
		expect(summary.json.summary).toMatch(/bill/);
		expect(summary.json.summary).toMatch(/call-0042\.wav/);
		const spanish = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/summary`, { headers: { 'Accept-Language': 'es-419' } });
		expect(spanish.json.summary).toMatch(/^\[es-419\] /);
		const details = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/summary/details`);
		expect(details.json).toEqual({ reasons: expect.any(Array), actionsTakenByAgent: expect.any(Array), entities: expect.arrayContaining([{ type: 'person', value: 'Maria' }]), isResolved: true });
		// Agent insights: illustrative answers (ElevateAI has not published their shape), marked as such.
		const actionItems = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/agent/action-items`);
		expect(actionItems.status).toBe(200);
		expect(actionItems.json.actionItems).toEqual(expect.arrayContaining([expect.objectContaining({ owner: 'agent', status: 'done' })]));
		expect(actionItems.json.emulatorNote).toMatch(/^Illustrative/);
		const coaching = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/agent/coaching-assistant`);
		expect(coaching.status).toBe(200);
		expect(coaching.json.behaviours).toEqual(expect.arrayContaining([{ name: 'empathy', observed: true }, { name: 'properClosing', observed: true }]));
		expect(coaching.json.emulatorNote).toMatch(/^Illustrative/);
		expect(emu.stats().byRoute['GET /interactions/:id/gen-ai/cx/agent/coaching-assistant']).toBe(1);

		const stats = emu.stats();
		expect(stats.uploads).toEqual([expect.objectContaining({ interactionIdentifier: id, partName: 'call-0042.wav', filename: 'call-0042.wav', contentType: 'audio/wav', size: 4096 })]);
		expect(stats.uploads[0].sha256).toMatch(/^[0-9a-f]{64}$/);
	});

	test('results are deterministic; the echo model does not redact', async () => {
		const bodies: string[] = [];
		for (const model of ['cx', 'cx', 'echo']) {
			const id = await declare(emu, { ...AUDIO, model });
			await uploadFile(emu, id, 'a.mp3');
			await waitForStatus(emu, id, ['processed']);
			bodies.push((await call('GET', `${emu.url}/interactions/${id}/transcripts/punctuated`)).text);
		}
		expect(bodies[0]).toBe(bodies[1]);
		expect(JSON.parse(bodies[2]).redactionSegments).toEqual([]);
		expect(bodies[2]).toMatch(/four one one one/);
		expect(bodies[0]).not.toMatch(/four one one one/);
	});

	test('CX AI is 404 when includeAiResults was false', async () => {
		const id = await declare(emu);
		await uploadFile(emu, id, 'a.wav');
		await waitForStatus(emu, id, ['processed']);
		const r = await call('GET', `${emu.url}/interactions/${id}/ai`);
		expect(r.status).toBe(404);
		expect(r.json.errorMessage).toMatch(/includeAiResults/);
	});

	test('a file named *silence* is processed with no speech: transcripts and summaries answer 204', async () => {
		const id = await declare(emu, { ...AUDIO, includeAiResults: true });
		await uploadFile(emu, id, 'silence-10s.wav');
		await waitForStatus(emu, id, ['processed']);
		for (const path of ['transcript', 'transcripts/punctuated', 'gen-ai/cx/summary', 'gen-ai/cx/summary/details', 'gen-ai/cx/agent/action-items', 'gen-ai/cx/agent/coaching-assistant']) {
			const r = await call('GET', `${emu.url}/interactions/${id}/${path}`);
			expect([path, r.status, r.text]).toEqual([path, 204, '']);
		}
		const ai = await call('GET', `${emu.url}/interactions/${id}/ai`);
		expect(ai.json.allParticipants.voiceActivitySegments).toEqual([{ startTimeOffset: 0, endTimeOffset: 30000, result: 'silence' }]);
	});

	test.each([
		['the uploaded file name', {}, 'processing-fails.wav'],
		['originalFilename', { originalFilename: 'x-processing-fails.wav' }, 'a.wav'],
		['externalIdentifier', { externalIdentifier: 'processing-fails-42' }, 'a.wav'],
	])('processing-fails in %s ends in processingFailed with an errorMessage', async (_label, extra, file) => {
		const id = await declare(emu, { ...AUDIO, ...extra });
		await uploadFile(emu, id, file);
		const { final } = await waitForStatus(emu, id, ['processed', 'processingFailed']);
		expect(final.status).toBe('processingFailed');
		expect(final.errorMessage).toMatch(/processing-fails/);
		expect(final.processed).toBeNull();
		const r = await call('GET', `${emu.url}/interactions/${id}/transcript`);
		expect(r.status).toBe(404);
		expect(r.json.errorMessage).toMatch(/processingFailed/);
	});
});

describe('status timeline (manual clock, so every stage is checked exactly)', () => {
	let now = Date.parse('2024-06-01T12:00:00Z');
	let e: Emulator;
	beforeAll(async () => {
		e = await startEmulator({ timing: { stageMs: 1000, stages: { processing: 5000 } }, clock: () => now });
	});
	afterAll(async () => {
		await e.close();
	});
	const at = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
	async function expectStatus(id: string, status: string): Promise<StatusObject> {
		const s = await getStatus(e, id);
		expect(s.status).toBe(status);
		return s;
	}

	test('audio with upload: declared → filePendingUpload (waits) → fileUploading → fileUploaded → pendingProcessing → processing → processed', async () => {
		const t0 = now;
		const id = await declare(e);
		expect(await expectStatus(id, 'declared')).toEqual({ identifier: id, status: 'declared', declared: at(t0), uploaded: null, downloaded: null, processed: null, errorMessage: null });
		now += 1000;
		await expectStatus(id, 'filePendingUpload');
		now += 3_600_000; // it waits for the upload as long as it takes
		await expectStatus(id, 'filePendingUpload');

		// While the body streams in, the status is fileUploading.
		const { body, contentType } = multipart([{ name: 'a.wav', filename: 'a.wav', data: 'RIFF' }]);
		const half = body.length - 10;
		let finish: () => void = () => undefined;
		const uploading = rawRequest(e.port, `POST /v1/interactions/${id}/upload HTTP/1.1\r\nHost: x\r\nX-API-Token: ${DEFAULT_TOKEN}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`, (socket) => {
			socket.write(body.subarray(0, half));
			finish = () => socket.write(body.subarray(half));
		});
		await waitUntil(async () => (await getStatus(e, id)).status === 'fileUploading');
		expect((await uploadFile(e, id, 'b.wav')).status).toBe(409); // one upload at a time
		finish();
		expect((await uploading).status).toBe(201);

		const tu = now;
		expect(await expectStatus(id, 'fileUploaded')).toMatchObject({ uploaded: at(tu), processed: null });
		now += 1000;
		await expectStatus(id, 'pendingProcessing');
		now += 1000;
		await expectStatus(id, 'processing');
		now += 4999; // timing.stages.processing = 5000
		await expectStatus(id, 'processing');
		now += 1;
		expect(await expectStatus(id, 'processed')).toMatchObject({ uploaded: at(tu), processed: at(tu + 7000), errorMessage: null });
	});

	test('audio with downloadUri: filePendingDownload → fileDownloading → fileDownloaded → pendingProcessing → processing → processed', async () => {
		const t0 = now;
		const id = await declare(e, { ...AUDIO, downloadUri: 'https://media.example.com/a.wav' });
		for (const status of ['filePendingDownload', 'fileDownloading', 'fileDownloaded', 'pendingProcessing']) {
			await expectStatus(id, status);
			now += 1000;
		}
		await expectStatus(id, 'processing');
		now += 5000;
		expect(await expectStatus(id, 'processed')).toMatchObject({ declared: at(t0), downloaded: at(t0 + 2000), uploaded: null, processed: at(t0 + 9000) });
	});

	test('chat and transcript start processing at declare: pendingProcessing → processing → processed', async () => {
		const id = await declare(e, { type: 'chat', chat: { participants: [{ participant_id: 'a', name: 'A', role: 'agent' }], messages: [{ participant_id: 'a', timestamp: '2024-01-01T00:00:00Z', content: 'hi' }] } });
		await expectStatus(id, 'pendingProcessing');
		expect((await call('GET', `${e.url}/interactions/${id}/transcript`)).status).toBe(404);
		now += 1000;
		await expectStatus(id, 'processing');
		now += 5000;
		await expectStatus(id, 'processed');
		expect((await call('GET', `${e.url}/interactions/${id}/transcript`)).status).toBe(200);
	});

	test('a fault cannot fail an interaction that is already processed', async () => {
		const id = await declare(e, { type: 'transcript', transcript: { allParticipants: { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 5, phraseIndex: 0, score: 1 }] } } });
		now += 6000;
		await expectStatus(id, 'processed');
		e.addFault({ action: 'processing-failure' });
		await expectStatus(id, 'processed');
		expect(e.faults()[0]).toMatchObject({ remaining: 1, applied: 0 }); // given back
		e.clearFaults();
	});
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

describe('upload rules', () => {
	test.each<[string, Parameters<typeof upload>[2], RegExp]>([
		['no part at all', [], /exactly one file/],
		['only a plain field', [{ name: 'note', data: 'hello' }], /exactly one file/],
		['two files', [{ name: 'a.wav', filename: 'a.wav', data: 'x' }, { name: 'b.wav', filename: 'b.wav', data: 'y' }], /exactly one file/],
		['a file name without extension', [{ name: 'call', filename: 'call', data: 'x' }], /extension/],
		['an unsupported extension', [{ name: 'notes.txt', filename: 'notes.txt', data: 'x' }], /Unsupported/],
	])('400 for %s', async (_label, parts, message) => {
		const id = await declare(emu);
		const r = await upload(emu, id, parts);
		expect(r.status).toBe(400);
		expect(r.json.errorMessage).toMatch(message);
		// A refused upload leaves the interaction waiting, so it can be retried.
		expect((await getStatus(emu, id)).status).toMatch(/declared|filePendingUpload/);
		expect((await uploadFile(emu, id, 'ok.wav')).status).toBe(201);
	});

	test('400 for a body that is not multipart, has no boundary, or is cut short', async () => {
		const id = await declare(emu);
		const url = `${emu.url}/interactions/${id}/upload`;
		expect((await call('POST', url, { body: 'x', headers: { 'Content-Type': 'application/octet-stream' } })).status).toBe(400);
		expect((await call('POST', url, { body: 'x', headers: { 'Content-Type': 'multipart/form-data' } })).status).toBe(400);
		const cut = await call('POST', url, {
			body: '--b\r\nContent-Disposition: form-data; name="a.wav"; filename="a.wav"\r\n\r\nabc',
			headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
		});
		expect(cut.status).toBe(400);
		expect(cut.json.errorMessage).toMatch(/closing boundary/);
	});

	test('filename* (RFC 5987), quoted boundaries and extra fields are understood', async () => {
		const id = await declare(emu);
		const body =
			'preamble\r\n--q b\r\nContent-Disposition: form-data; name="meta"\r\n\r\nignored\r\n' +
			"--q b\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''appel%20%C3%A9t%C3%A9.WAV\r\n\r\nDATA\r\n--q b--\r\n";
		const r = await call('POST', `${emu.url}/interactions/${id}/upload`, { body, headers: { 'Content-Type': 'multipart/form-data; boundary="q b"' } });
		expect(r.status).toBe(201);
		expect(emu.stats().uploads[0]).toMatchObject({ filename: 'appel été.WAV', partName: 'f', size: 4 });
	});

	test('409 for a second upload, a chat, a downloadUri interaction; 404 for unknown and malformed ids', async () => {
		const id = await declare(emu);
		expect((await uploadFile(emu, id, 'a.wav')).status).toBe(201);
		const again = await uploadFile(emu, id, 'a.wav');
		expect(again.status).toBe(409);
		expect(again.json.errorMessage).toMatch(/already uploaded/);

		const withUri = await declare(emu, { ...AUDIO, downloadUri: 'https://media.example.com/a.wav' });
		expect((await uploadFile(emu, withUri, 'a.wav')).status).toBe(409);

		const chat = await declare(emu, {
			type: 'chat', languageTag: 'en-us', vertical: 'default',
			chat: { participants: [{ participant_id: 'a', name: 'A', role: 'agent' }], messages: [{ participant_id: 'a', timestamp: '2024-01-01T00:00:00Z', content: 'hi' }] },
		});
		expect((await uploadFile(emu, chat, 'a.wav')).status).toBe(409);

		expect((await uploadFile(emu, '00000000-0000-4000-8000-000000000000', 'a.wav')).status).toBe(404);
		const malformed = await call('GET', `${emu.url}/interactions/..%2Fx/status`);
		expect(malformed.status).toBe(404);
		expect(malformed.json.errorMessage).toMatch(/not a valid interaction identifier/);
	});

	test('413 above maxUploadBytes', async () => {
		const small = await startEmulator({ maxUploadBytes: 1000 });
		try {
			const id = await declare(small);
			const r = await uploadFile(small, id, 'big.wav', Buffer.alloc(1001));
			expect(r.status).toBe(413);
			expect((await getStatus(small, id)).status).toMatch(/declared|filePendingUpload/);
			expect((await uploadFile(small, id, 'ok.wav', Buffer.alloc(1000))).status).toBe(201);
		} finally {
			await small.close();
		}
	});
});

describe('audio with downloadUri', () => {
	let media: http.Server;
	let mediaUrl: string;
	const payload = Buffer.alloc(12345, 3);

	beforeAll(async () => {
		media = http.createServer((req, res) => {
			if (req.url === '/call.wav') res.end(payload);
			else {
				res.statusCode = 404;
				res.end();
			}
		});
		await new Promise<void>((resolve) => media.listen(0, '127.0.0.1', resolve));
		mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((resolve) => media.close(resolve));
	});

	test('a loopback URI is really downloaded, then processed', async () => {
		const id = await declare(emu, { ...AUDIO, downloadUri: `${mediaUrl}/call.wav` });
		const { final, seen } = await waitForStatus(emu, id, ['processed', 'fileDownloadFailed']);
		expect(final.status).toBe('processed');
		expect(inOrder(seen, DOWNLOAD_STAGES)).toBe(true);
		expect(final.downloaded).toMatch(ISO_UTC);
		expect(final.uploaded).toBeNull();
		expect(emu.stats().downloads).toEqual([expect.objectContaining({ interactionIdentifier: id, mode: 'real', size: payload.length, failed: false })]);
		const summary = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/summary`);
		expect(summary.json.summary).toMatch(/call\.wav/);
	});

	test.each([
		['a loopback 404', () => `${mediaUrl}/missing.wav`, /HTTP 404/],
		['a refused connection', () => 'http://127.0.0.1:1/a.wav', /ECONNREFUSED/],
		['a remote URI containing download-fails', () => 'https://media.example.com/download-fails.wav', /could not be downloaded/],
	])('%s ends in fileDownloadFailed', async (_label, uri, message) => {
		const id = await declare(emu, { ...AUDIO, downloadUri: uri() });
		const { final } = await waitForStatus(emu, id, ['processed', 'fileDownloadFailed']);
		expect(final.status).toBe('fileDownloadFailed');
		expect(final.errorMessage).toMatch(message);
	});

	test('other hosts (and sftp) are simulated without any network access', async () => {
		for (const uri of ['https://bucket.example.com/a.wav?X-Amz-Signature=abc', 'sftp://user:secret@files.example.com:22/~/calls/a.wav;type=d']) {
			const id = await declare(emu, { ...AUDIO, downloadUri: uri });
			expect((await waitForStatus(emu, id, ['processed', 'fileDownloadFailed'])).final.status).toBe('processed');
		}
		expect(emu.stats().downloads.map((d) => d.mode)).toEqual(['simulated', 'simulated']);
		expect(JSON.stringify(emu.stats())).not.toMatch(/secret/);
	});
});

describe('chat and transcript interactions', () => {
	const chat = {
		participants: [
			{ participant_id: 'agent-1', name: 'Alex', role: 'agent' },
			{ participant_id: 'cust-1', name: 'Casey', role: 'customer' },
		],
		messages: [
			{ participant_id: 'cust-1', timestamp: '2024-05-01T10:00:00Z', content: 'My router keeps dropping the connection.' },
			{ participant_id: 'agent-1', timestamp: '2024-05-01T10:00:30Z', content: 'Sorry about that! Let me reset it from here.' },
			{ participant_id: 'agent-1', timestamp: '2024-05-01T10:01:00Z', content: 'Done. It should be stable now.' },
		],
	};

	test('a chat processes without upload; participantOne is the agent, participantTwo the customer', async () => {
		const id = await declare(emu, { type: 'chat', languageTag: 'es-419', vertical: 'default', chat });
		const { seen } = await waitForStatus(emu, id, ['processed']);
		expect(inOrder(seen, CHAT_STAGES)).toBe(true);

		const t = await call('GET', `${emu.url}/interactions/${id}/transcript`);
		expect(t.json.participantOne.phrases).toEqual(['Sorry about that! Let me reset it from here.', 'Done. It should be stable now.']);
		expect(t.json.participantTwo.phrases).toEqual(['My router keeps dropping the connection.']);
		expect(t.json.participantOne.phraseSegments[0].startTimeOffset).toBe(30000);

		const p = await call('GET', `${emu.url}/interactions/${id}/transcripts/punctuated`);
		expect(p.json.sentenceSegments.map((s: { participant: string; phrase: string }) => [s.participant, s.phrase])).toEqual([
			['participantTwo', chat.messages[0].content],
			['participantOne', chat.messages[1].content],
			['participantOne', chat.messages[2].content],
		]);
		const summary = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/summary`);
		expect(summary.json.summary).toMatch(/Casey/);
		const details = await call('GET', `${emu.url}/interactions/${id}/gen-ai/cx/summary/details`);
		expect(details.json.isResolved).toBe(true);

		// The same chat gives the same results.
		const id2 = await declare(emu, { type: 'chat', languageTag: 'es-419', vertical: 'default', chat });
		await waitForStatus(emu, id2, ['processed']);
		expect((await call('GET', `${emu.url}/interactions/${id2}/transcript`)).text).toBe(t.text);
	});

	test('a transcript is echoed back', async () => {
		const transcript = {
			participantOne: { phrases: ['hello', 'there'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 400, phraseIndex: 0, score: 0.9 }, { startTimeOffset: 400, endTimeOffset: 800, phraseIndex: 1, score: 0.8 }] },
			participantTwo: { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 1000, endTimeOffset: 1300, phraseIndex: 0, score: 1 }] },
		};
		const id = await declare(emu, { type: 'transcript', languageTag: 'en-us', vertical: 'default', transcript });
		await waitForStatus(emu, id, ['processed']);
		const t = await call('GET', `${emu.url}/interactions/${id}/transcript`);
		expect(t.json.participantOne).toEqual(transcript.participantOne);
		expect(t.json.participantTwo).toEqual(transcript.participantTwo);
		expect(textOf(t.json.allParticipants)).toBe('hello there hi');
		const p = await call('GET', `${emu.url}/interactions/${id}/transcripts/punctuated`);
		expect(p.json.sentenceSegments.map((s: { phrase: string }) => s.phrase)).toEqual(['Hello there.', 'Hi.']);
	});

	test('a transcript with no phrases answers 204', async () => {
		const id = await declare(emu, { type: 'transcript', transcript: { allParticipants: { phrases: [], phraseSegments: [] } } });
		await waitForStatus(emu, id, ['processed']);
		expect((await call('GET', `${emu.url}/interactions/${id}/transcript`)).status).toBe(204);
	});
});

describe('delete', () => {
	test('200 with an empty body, then everything on it is 404', async () => {
		const id = await declare(emu);
		const del = await call('DELETE', `${emu.url}/interactions/${id}`);
		expect(del.status).toBe(200);
		expect(del.text).toBe('');
		for (const path of ['/status', '', '/transcript', '/upload']) {
			const r = await call(path === '/upload' ? 'POST' : 'GET', `${emu.url}/interactions/${id}${path}`);
			expect(r.status).toBe(404);
			expect(r.json.errorMessage).toMatch(/deleted/);
		}
		expect((await call('DELETE', `${emu.url}/interactions/${id}`)).status).toBe(404);
		expect(emu.interaction(id)).toBeUndefined();
		expect(emu.stats().deletes).toBe(1);
	});
});

describe('routing details', () => {
	test('405 with Allow for a known path and a wrong method; strict paths', async () => {
		const id = await declare(emu);
		const r = await call('PUT', `${emu.url}/interactions/${id}`);
		expect(r.status).toBe(405);
		expect(r.headers.allow).toBe('GET, DELETE');
		expect((await call('GET', `${emu.url}/interactions/${id}/status/`)).status).toBe(404);
		expect((await call('POST', `${emu.url}//interactions`, { json: AUDIO })).status).toBe(404);
		expect((await call('GET', `${emu.url}/interactions/${id.toUpperCase()}/status`)).status).toBe(200);
	});

	test('a custom basePath', async () => {
		const other = await startEmulator({ basePath: '/api/v9/' });
		try {
			expect(other.url).toMatch(/\/api\/v9$/);
			expect((await call('POST', `${other.url}/interactions`, { json: AUDIO })).status).toBe(201);
			expect((await call('POST', `${other.rootUrl}/v1/interactions`, { json: AUDIO })).status).toBe(404);
		} finally {
			await other.close();
		}
	});
});

describe('generative AI concurrency', () => {
	test('at most 10 at once per token, 429 beyond', async () => {
		const slow = await startEmulator({ timing: { stageMs: 1, genAiMs: 300 } });
		try {
			const id = await declare(slow, { type: 'transcript', transcript: { allParticipants: { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 5, phraseIndex: 0, score: 1 }] } } });
			await waitForStatus(slow, id, ['processed']);
			const replies = await Promise.all(Array.from({ length: 12 }, () => call('GET', `${slow.url}/interactions/${id}/gen-ai/cx/summary`)));
			const codes = replies.map((r) => r.status).sort();
			expect(codes).toEqual([...Array(10).fill(200), 429, 429]);
			expect(replies.find((r) => r.status === 429)?.json.errorMessage).toMatch(/10/);
			expect(slow.stats().genAi).toEqual({ maxConcurrent: 10, rejected: 2 });
			// Once they are done, new calls pass again.
			expect((await call('GET', `${slow.url}/interactions/${id}/gen-ai/cx/summary/details`)).status).toBe(200);
		} finally {
			await slow.close();
		}
	});
});

describe('stats and request log', () => {
	test('declares, routes, status polls with times, concurrency; the token never appears', async () => {
		const id = await declare(emu);
		const t0 = Date.now();
		await getStatus(emu, id);
		await getStatus(emu, id);
		await call('GET', `${emu.url}/interactions/${id}/status`, { token: 'wrong' });
		await Promise.all([getStatus(emu, id), getStatus(emu, id), getStatus(emu, id)]);
		const stats = emu.stats();
		expect(stats.declares).toBe(1);
		expect(stats.declaresByType).toEqual({ audio: 1 });
		expect(stats.byRoute).toEqual({ 'POST /interactions': 1, 'GET /interactions/:id/status': 6 });
		expect(stats.byStatus).toEqual({ 201: 1, 200: 5, 401: 1 });
		expect(stats.statusRequests[id]).toHaveLength(6);
		for (const at of stats.statusRequests[id]) expect(at).toBeGreaterThanOrEqual(t0 - 5);
		expect(stats.maxConcurrentRequests).toBeGreaterThanOrEqual(1);
		expect(stats.concurrentRequests).toBe(0);

		const log = emu.requests;
		expect(log).toHaveLength(7);
		expect(log[0]).toMatchObject({ method: 'POST', route: 'POST /interactions', status: 201, dropped: false, faultId: null });
		expect(log[0].headers['x-api-token']).toBe('[REDACTED]');
		expect(JSON.stringify(log)).not.toContain(DEFAULT_TOKEN);
		expect(JSON.stringify(stats)).not.toContain(DEFAULT_TOKEN);

		emu.reset();
		expect(emu.stats().declares).toBe(0);
		expect(emu.requests).toHaveLength(0);
		expect(emu.interactions.size).toBe(0);
	});

	test('interactions() exposes live state for assertions', async () => {
		const id = await declare(emu, { ...AUDIO, externalIdentifier: 'crm-9' });
		const snap = emu.interactions.get(id);
		expect(snap?.declared.externalIdentifier).toBe('crm-9');
		expect(['declared', 'filePendingUpload']).toContain(snap?.status.status);
	});
});

describe('close', () => {
	test('close() ends open keep-alive connections at once', async () => {
		const e = await startEmulator();
		const agent = new http.Agent({ keepAlive: true });
		await new Promise<void>((resolve, reject) => {
			http.get(`${e.url}/interactions/x/status`, { agent, headers: { 'X-API-Token': DEFAULT_TOKEN } }, (res) => {
				res.resume();
				res.on('end', resolve);
			}).on('error', reject);
		});
		const started = Date.now();
		await e.close();
		expect(Date.now() - started).toBeLessThan(1000);
		agent.destroy();
	});
});

import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/transcribe.operation';
import type { MultipartBody } from '../../../../../nodes/ElevateAi/helpers/multipart';
import type { ApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import type { FakeItemSpec, FakeRoute } from '../../../../helpers/context';
import { ID, ID2, ID3, apiError, fakeApi, fakeClock, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);
const sleepMock = jest.mocked(sleep);

const WAV = Buffer.from('RIFF0000WAVEfmt ');
const IDS = [ID, ID2, ID3];
const PUNCTUATED = {
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 900, phrase: 'Hello.', score: 0.9 },
		{ participant: 'participantTwo', startTimeOffset: 1000, endTimeOffset: 2000, phrase: 'Hi, my bill is wrong.', score: 0.9 },
	],
	redactionSegments: [],
};
const PHRASES = {
	participantOne: { phrases: ['hello'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 900, phraseIndex: 0 }] },
	participantTwo: { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 1000, endTimeOffset: 2000, phraseIndex: 0 }] },
};
const AI = { participantOne: { enlightenBundles: [{ name: 'Customer Satisfaction', models: [] }] } };
const CHAT = {
	participants: [
		{ participant_id: 'a', name: 'Ana', role: 'agent' },
		{ participant_id: 'c', name: 'Bo', role: 'customer' },
	],
	messages: [{ participant_id: 'c', timestamp: '2024-01-15T10:00:00Z', content: 'Hello' }],
};

let clock: ReturnType<typeof fakeClock>;

/**
 * A fake ElevateAI: declares hand out IDS in order, each interaction reports the statuses
 * given for its item (the last one repeats), results come from the constants above.
 */
function fakeElevateAi(statusesPerItem: string[][] = [['processing', 'processed']], overrides: Record<string, FakeRoute> = {}) {
	let declared = 0;
	const itemOf = new Map<string, number>();
	const statusChecks: Record<string, number[]> = {};
	fakeApi(request, {
		'POST /interactions': (req) => {
			const id = IDS[declared++];
			itemOf.set(id, req.itemIndex as number);
			return { interactionIdentifier: id };
		},
		'POST /interactions/:id/upload': () => undefined,
		'GET /interactions/:id/status': (req) => {
			const id = req.path.split('/')[2];
			(statusChecks[id] ??= []).push(clock.elapsed());
			const sequence = statusesPerItem[itemOf.get(id) ?? 0] ?? statusesPerItem[0];
			const status = sequence.length > 1 ? (sequence.shift() as string) : sequence[0];
			return { identifier: id, status, errorMessage: status.endsWith('Failed') ? 'Corrupt file' : null };
		},
		'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED,
		'GET /interactions/:id/transcript': () => PHRASES,
		'GET /interactions/:id/ai': () => AI,
		'GET /interactions/:id/gen-ai/cx/summary': () => ({ summary: 'Billing question, resolved.' }),
		'GET /interactions/:id/gen-ai/cx/summary/details': () => ({ reasons: ['bill'], isResolved: true }),
		'DELETE /interactions/:id': () => undefined,
		...overrides,
	});
	return { statusChecks };
}

function recording(fileName = 'call-0042.wav'): FakeItemSpec {
	return { binary: { data: { content: WAV, fileName, mimeType: 'audio/wav' } } };
}

function transcribeContext(paramsOverrides: INodeParameters, items: FakeItemSpec[] = [recording()], continueOnFail = false) {
	return fakeContext({ params: { operation: 'transcribe', simple: false, ...paramsOverrides }, items, continueOnFail });
}

function calls(): ApiRequest[] {
	return request.mock.calls.map(([, req]) => req);
}

describe('interaction:transcribe', () => {
	beforeEach(() => {
		request.mockReset();
		clock = fakeClock();
		sleepMock.mockReset();
		sleepMock.mockImplementation(async (ms: number) => clock.advance(ms));
	});
	afterEach(() => clock.restore());

	it('should declare, upload the binary, wait and return the punctuated transcript with status and pairedItem', async () => {
		const api = fakeElevateAi([['filePendingUpload', 'processing', 'processed']]);
		const fake = transcribeContext({});

		const outcomes = await fake.run(execute);

		expect(requestLines(request)).toEqual([
			'POST /interactions',
			`POST /interactions/${ID}/upload`,
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID}/transcripts/punctuated`,
		]);
		expect(calls()[0]).toEqual({
			method: 'POST',
			path: '/interactions',
			body: { type: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false },
			itemIndex: 0,
			retry: 'declare',
			maxRetries: 5,
		});
		expect(calls()[1]).toMatchObject({ method: 'POST', retry: 'upload', itemIndex: 0 });
		const [[partName, file]] = [...(calls()[1].multipart as () => MultipartBody)().entries()];
		expect([partName, file.name, file.type, file.size]).toEqual(['call-0042.wav', 'call-0042.wav', 'audio/wav', WAV.length]);
		expect(api.statusChecks[ID]).toEqual([0, 30_000, 60_000]);
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						status: 'processed',
						...PUNCTUATED,
						text: 'Participant One: Hello.\nParticipant Two: Hi, my bill is wrong.',
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should add the CX AI results when Include CX AI Results is on, and ask for them in the declare', async () => {
		fakeElevateAi();
		const fake = transcribeContext({ includeAiResults: true, transcriptFormat: 'phraseByPhrase' });

		const outcomes = await fake.run(execute);

		expect(calls()[0].body).toMatchObject({ includeAiResults: true });
		expect(requestLines(request).slice(-2)).toEqual([`GET /interactions/${ID}/transcript`, `GET /interactions/${ID}/ai`]);
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						status: 'processed',
						...PHRASES,
						text: 'Participant One: hello\nParticipant Two: hi',
						aiResults: AI,
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it.each([
		['Summary With Details and its Summary Language', { summary: 'summaryWithDetails', summaryLanguage: 'pt-BR' }],
		// A workflow saved before the Summary choice: Include Summary Details alone turned the summary on.
		['the old Include Summary Details and Summary Language options', { options: { includeSummaryDetails: true, summaryLanguage: 'pt-BR' } }],
	])('should add the summary and its details in the asked language for %s', async (_, parameters) => {
		fakeElevateAi();
		const fake = transcribeContext(parameters);

		const outcomes = await fake.run(execute);

		const summaryCalls = calls().filter((req) => req.path.includes('/gen-ai/'));
		expect(summaryCalls).toEqual([
			{
				method: 'GET',
				path: `/interactions/${ID}/gen-ai/cx/summary`,
				headers: { 'Accept-Language': 'pt-BR' },
				itemIndex: 0,
				retry: 'idempotent',
				maxRetries: 5,
			},
			{
				method: 'GET',
				path: `/interactions/${ID}/gen-ai/cx/summary/details`,
				headers: { 'Accept-Language': 'pt-BR' },
				itemIndex: 0,
				retry: 'idempotent',
				maxRetries: 5,
			},
		]);
		expect((outcomes[0] as Array<{ json: object }>)[0].json).toMatchObject({
			summary: 'Billing question, resolved.',
			reasons: ['bill'],
			isResolved: true,
		});
	});

	it.each([
		['Summary', { summary: 'summary' }],
		['the old Include Summary option', { options: { includeSummary: true } }],
	])('should add only the summary for %s', async (_, parameters) => {
		fakeElevateAi();
		const fake = transcribeContext(parameters);

		const outcomes = await fake.run(execute);

		expect(requestLines(request).filter((line) => line.includes('gen-ai'))).toEqual([`GET /interactions/${ID}/gen-ai/cx/summary`]);
		expect(calls().find((req) => req.path.includes('gen-ai'))?.headers).toBeUndefined();
		expect((outcomes[0] as Array<{ json: object }>)[0].json).toMatchObject({ summary: 'Billing question, resolved.' });
		expect((outcomes[0] as Array<{ json: object }>)[0].json).not.toHaveProperty('reasons');
	});

	it('should delete the interaction after reading its results when Delete After Reading is on', async () => {
		fakeElevateAi();
		const fake = transcribeContext({ includeAiResults: true, summary: 'summary', options: { deleteAfterReading: true } });

		const outcomes = await fake.run(execute);

		expect(requestLines(request).slice(-4)).toEqual([
			`GET /interactions/${ID}/transcripts/punctuated`,
			`GET /interactions/${ID}/ai`,
			`GET /interactions/${ID}/gen-ai/cx/summary`,
			`DELETE /interactions/${ID}`,
		]);
		expect(calls().at(-1)).toEqual({ method: 'DELETE', path: `/interactions/${ID}`, itemIndex: 0, retry: 'idempotent', maxRetries: 5, ignoreSuccessBody: true });
		expect((outcomes[0] as Array<{ json: object }>)[0].json).toMatchObject({ interactionIdentifier: ID, deleted: true });
	});

	it('should ask for no summary by default', async () => {
		fakeElevateAi();
		await transcribeContext({}).run(execute);
		expect(requestLines(request).filter((line) => line.includes('gen-ai'))).toEqual([]);
	});

	it.each([
		['Recording Source URL', { recordingSource: 'url', downloadUri: 'https://storage.example.com/calls/a.wav?sig=x' }],
		// A workflow saved before Recording Source: the Download URI in Additional Fields replaced the upload.
		['the old Additional Fields → Download URI', { additionalFields: { downloadUri: 'https://storage.example.com/calls/a.wav?sig=x' } }],
	])('should let ElevateAI fetch a Download URI with %s: no binary needed and no upload', async (_, parameters) => {
		fakeElevateAi([['filePendingDownload', 'fileDownloading', 'processed']]);
		const fake = transcribeContext(parameters, [{}]);

		const outcomes = await fake.run(execute);

		expect(calls()[0].body).toEqual({
			type: 'audio',
			languageTag: 'en-us',
			vertical: 'default',
			includeAiResults: false,
			downloadUri: 'https://storage.example.com/calls/a.wav?sig=x',
		});
		expect(requestLines(request).some((line) => line.endsWith('/upload'))).toBe(false);
		expect(fake.helpers.assertBinaryData).not.toHaveBeenCalled();
		expect((outcomes[0] as Array<{ json: object }>)[0].json).toMatchObject({ interactionIdentifier: ID, status: 'processed' });
	});

	it.each([
		[
			'Recording Source URL with the old Download URI still set',
			{ recordingSource: 'url', downloadUri: 'https://files.example.com/new.wav', additionalFields: { downloadUri: 'https://files.example.com/old.wav' } },
			'Invalid Download URI (Deprecated): Recording Source is URL, so the recording comes from Download URI; remove Additional Fields → Download URI (Deprecated) [item 1]',
		],
		['Recording Source URL with an empty Download URI', { recordingSource: 'url' }, 'Invalid Download URI: must not be empty [item 1]'],
		['Summary from an expression that is not a choice', { summary: '={{ "all" }}' }, 'Invalid Summary: must be one of: none, summary, summaryWithDetails [item 1]'],
	])('should refuse %s, naming the field and item, before anything is declared', async (_, parameters, message) => {
		fakeElevateAi();
		const fake = transcribeContext({}, [recording(), { ...recording(), params: parameters }]);

		const outcomes = await fake.run(execute);

		expect(request).not.toHaveBeenCalled();
		expect(outcomes[1]).toBeInstanceOf(NodeOperationError);
		expect((outcomes[1] as Error).message).toBe(message);
	});

	it('should declare a chat without an upload and poll it every 5 s', async () => {
		const api = fakeElevateAi([['processing', 'processed']]);
		const fake = transcribeContext({ interactionType: 'chat', chat: JSON.stringify(CHAT) }, [{}]);

		const outcomes = await fake.run(execute);

		expect(calls()[0].body).toEqual({
			type: 'chat',
			languageTag: 'en-us',
			vertical: 'default',
			includeAiResults: false,
			chat: CHAT,
		});
		expect(requestLines(request)).toEqual([
			'POST /interactions',
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID}/transcripts/punctuated`,
		]);
		expect(api.statusChecks[ID]).toEqual([0, 5_000]);
		expect((outcomes[0] as Array<{ pairedItem: object }>)[0].pairedItem).toEqual({ item: 0 });
	});

	it('should wait on all items together and count one status check per item per round', async () => {
		const api = fakeElevateAi([['processed'], ['processing', 'processed'], ['processing', 'processing', 'processed']]);
		const fake = transcribeContext({}, [recording('a.wav'), recording('b.mp3'), recording('c.ogg')]);

		const outcomes = await fake.run(execute);

		expect(requestLines(request).filter((line) => line.endsWith('/status'))).toHaveLength(1 + 2 + 3);
		expect(api.statusChecks).toEqual({ [ID]: [0], [ID2]: [0, 30_000], [ID3]: [0, 30_000, 60_000] });
		expect(clock.elapsed()).toBe(60_000);
		expect(outcomes.map((outcome) => (outcome as Array<{ json: { interactionIdentifier: string }; pairedItem: object }>)[0])).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ interactionIdentifier: ID }), pairedItem: { item: 0 } }),
			expect.objectContaining({ json: expect.objectContaining({ interactionIdentifier: ID2 }), pairedItem: { item: 1 } }),
			expect.objectContaining({ json: expect.objectContaining({ interactionIdentifier: ID3 }), pairedItem: { item: 2 } }),
		]);
	});

	it('should fail an item on a failure status, naming its interaction, and read no results for it', async () => {
		fakeElevateAi([['processing', 'processingFailed']]);
		const fake = transcribeContext({});

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toBe(`ElevateAI could not process interaction ${ID}: processingFailed`);
		expect((outcome as NodeOperationError).description).toBe('ElevateAI says: Corrupt file');
		expect((outcome as NodeOperationError).context.interactionIdentifier).toBe(ID);
		expect(requestLines(request).some((line) => line.includes('transcript'))).toBe(false);
	});

	it('should time out an item that does not finish', async () => {
		fakeElevateAi([['processing']]);
		const fake = transcribeContext({ timeout: 2, pollInterval: 60 });

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe(`Interaction ${ID} did not finish within 2 minutes`);
		expect((outcome as NodeOperationError).context.interactionIdentifier).toBe(ID);
		expect(requestLines(request).filter((line) => line.endsWith('/status'))).toHaveLength(3);
	});

	it('should stop waiting when the execution is cancelled', async () => {
		fakeElevateAi([['processing']]);
		const fake = transcribeContext({});
		sleepMock.mockImplementation(async (ms: number) => {
			clock.advance(ms);
			if (clock.elapsed() >= 10_000) fake.abort();
		});

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe('The execution was cancelled while waiting');
		expect(requestLines(request).filter((line) => line.endsWith('/status'))).toHaveLength(1);
	});

	it('should check every item before declaring any, so a bad item costs no quota', async () => {
		fakeElevateAi();
		const fake = transcribeContext({}, [recording('a.wav'), recording('notes.txt'), recording('c.wav')]);

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toBeUndefined();
		expect((outcomes[1] as Error).message).toBe('Invalid file name: "notes.txt" does not end in a supported audio extension [item 1]');
		expect(outcomes[2]).toBeUndefined();
		expect(request).not.toHaveBeenCalled();
	});

	it('should transcribe the valid items and fail the bad one when Continue On Fail is on', async () => {
		fakeElevateAi([['processed']]);
		const fake = transcribeContext({}, [recording('a.wav'), recording('notes.txt'), recording('c.wav')], true);

		const outcomes = await fake.run(execute);

		expect((outcomes[0] as Array<{ json: object; pairedItem: object }>)[0]).toMatchObject({
			json: { interactionIdentifier: ID },
			pairedItem: { item: 0 },
		});
		expect(outcomes[1]).toBeInstanceOf(NodeOperationError);
		expect((outcomes[2] as Array<{ json: object; pairedItem: object }>)[0]).toMatchObject({
			json: { interactionIdentifier: ID2 },
			pairedItem: { item: 2 },
		});
		expect(requestLines(request).filter((line) => line === 'POST /interactions')).toHaveLength(2);
	});

	it('should keep the interaction ID on an item whose upload failed and go on with the others (Continue On Fail)', async () => {
		fakeElevateAi([['processed']], {
			'POST /interactions/:id/upload': (req) => {
				if (req.itemIndex === 0) throw apiError(413, 'File too large');
				return undefined;
			},
		});
		const fake = transcribeContext({}, [recording('a.wav'), recording('b.wav')], true);

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toBeInstanceOf(NodeApiError);
		expect((outcomes[0] as Error).message).toBe('ElevateAI error 413: File too large');
		expect((outcomes[0] as NodeApiError).context.interactionIdentifier).toBe(ID);
		expect((outcomes[1] as Array<{ json: object }>)[0].json).toMatchObject({ interactionIdentifier: ID2, status: 'processed' });
		expect(requestLines(request).filter((line) => line.endsWith('/status'))).toEqual([`GET /interactions/${ID2}/status`]);
	});

	it('should not declare further items, nor wait, after a failure when Continue On Fail is off', async () => {
		fakeElevateAi([['processed']], {
			'POST /interactions': (req) => {
				if (req.itemIndex === 0) return { interactionIdentifier: ID };
				throw apiError(429, 'Quota exceeded', req.itemIndex);
			},
		});
		const fake = transcribeContext({ options: { concurrency: 1 } }, [recording('a.wav'), recording('b.wav'), recording('c.wav')]);

		const outcomes = await fake.run(execute);

		expect(requestLines(request)).toEqual(['POST /interactions', `POST /interactions/${ID}/upload`, 'POST /interactions']);
		expect(outcomes[0]).toBeUndefined();
		expect(outcomes[1]).toBeInstanceOf(NodeApiError);
		// Item 0's interaction exists but was never waited on: the stopping error names it.
		expect((outcomes[1] as NodeApiError).context.unfinishedInteractions).toEqual([ID]);
		expect(outcomes[2]).toBeUndefined();
	});

	it('should read an interaction\'s results as soon as it is processed, while the others are still polled', async () => {
		fakeElevateAi([['processed'], ['processing', 'processing', 'processed']]);
		const fake = transcribeContext({ interactionType: 'chat', chat: JSON.stringify(CHAT) }, [{}, {}]);

		const outcomes = await fake.run(execute);

		const lines = requestLines(request);
		// ID's transcript is read right after its first check, before ID2's second and third checks.
		expect(lines.slice(2)).toEqual([
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID2}/status`,
			`GET /interactions/${ID}/transcripts/punctuated`,
			`GET /interactions/${ID2}/status`,
			`GET /interactions/${ID2}/status`,
			`GET /interactions/${ID2}/transcripts/punctuated`,
		]);
		expect(outcomes.map((outcome) => (outcome as Array<{ json: { interactionIdentifier: string } }>)[0].json.interactionIdentifier)).toEqual([ID, ID2]);
	});

	it.each([
		[5, 5, 20, 10],
		[1, 1, 4, 4],
		[50, 50, 50, 10],
	])(
		'with Concurrency %i keeps declares to %i, status checks and result reads to %i and generative AI calls to %i in flight',
		async (concurrency, declares, reads, genAi) => {
			const count = 60;
			const ids = Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
			const checks = new Map<string, number>();
			const inFlight = { declare: 0, read: 0, genAi: 0 };
			const most = { declare: 0, read: 0, genAi: 0 };
			let declared = 0;
			request.mockImplementation(async (_ctx, req) => {
				const kind = req.method === 'POST' ? 'declare' : req.path.includes('/gen-ai/') ? 'genAi' : 'read';
				inFlight[kind]++;
				most[kind] = Math.max(most[kind], inFlight[kind]);
				// A few turns of the event loop, so that requests overlap as they do over a network.
				for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
				inFlight[kind]--;
				if (kind === 'declare') return { statusCode: 201, body: { interactionIdentifier: ids[declared++] } };
				const id = req.path.split('/')[2];
				if (req.path.endsWith('/status')) {
					checks.set(id, (checks.get(id) ?? 0) + 1);
					// Every third interaction needs a second check, so polls and result reads overlap.
					const done = ids.indexOf(id) % 3 !== 0 || (checks.get(id) as number) > 1;
					return { statusCode: 200, body: { status: done ? 'processed' : 'processing' } };
				}
				if (kind === 'genAi') return { statusCode: 200, body: { summary: 'ok' } };
				return { statusCode: 200, body: PUNCTUATED };
			});
			const fake = transcribeContext(
				{ interactionType: 'chat', chat: JSON.stringify(CHAT), options: { concurrency, includeSummary: true } },
				Array.from({ length: count }, () => ({})),
			);

			const outcomes = await fake.run(execute);

			expect(outcomes.every((outcome) => Array.isArray(outcome))).toBe(true);
			expect(most.declare).toBeLessThanOrEqual(declares);
			expect(most.read).toBeLessThanOrEqual(reads);
			expect(most.genAi).toBeLessThanOrEqual(genAi);
			// The limits are reached, not just respected: the gates are what bounds the batch.
			expect([most.declare, most.read, most.genAi]).toEqual([declares, reads, genAi]);
		},
	);

	it('should stop polling the others when a result read fails with Continue On Fail off, and name them as unfinished', async () => {
		fakeElevateAi([['processed'], ['processing']], {
			'GET /interactions/:id/transcripts/punctuated': () => {
				throw apiError(500, 'transcript store down');
			},
		});
		const fake = transcribeContext({ interactionType: 'chat', chat: JSON.stringify(CHAT), timeout: 60 }, [{}, {}]);

		const outcomes = await fake.run(execute);

		expect((outcomes[0] as Error).message).toBe('ElevateAI error 500: transcript store down');
		expect((outcomes[0] as NodeApiError).context.unfinishedInteractions).toEqual([ID2]);
		expect(outcomes[1]).toBeUndefined();
		// ID2 was checked once with ID, then never again: nothing is sent after the failure.
		expect(requestLines(request).filter((line) => line === `GET /interactions/${ID2}/status`)).toHaveLength(1);
		expect(clock.elapsed()).toBeLessThan(5_000);
	});
});

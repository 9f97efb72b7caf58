import nock from 'nock';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TEST_BASE_URL, TEST_TOKEN, binaryItem, runChain } from '../helpers/engine';
import type { WireRequest } from './wire';
import { expectNoToken, ids, parseMultipart, recordRequests } from './wire';

/**
 * Layer 2: the waiting operations (Transcribe, Wait For Completion) and the result readers, run
 * by n8n-core's WorkflowExecute. `sleep` from n8n-workflow is replaced by a virtual clock that
 * moves `Date.now()` forward instead of waiting, so a 30-second poll interval costs nothing and
 * the time between two status requests of an interaction can be measured exactly. Tests that
 * need real time (real 1 s polls, cancellation) switch the clock to real sleeps.
 */

const mockClock = { offset: 0, real: false };

jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		__esModule: true,
		sleep: jest.fn(async (ms: number) => {
			if (mockClock.real) return await actual.sleep(ms);
			mockClock.offset += ms;
			await new Promise((resolve) => setImmediate(resolve));
		}),
	};
});

const realNow = Date.now.bind(Date);

beforeEach(() => {
	mockClock.offset = 0;
	mockClock.real = false;
	jest.spyOn(Date, 'now').mockImplementation(() => realNow() + mockClock.offset);
});

afterEach(() => {
	jest.restoreAllMocks();
	nock.cleanAll();
});

const HOST = new URL(TEST_BASE_URL).origin;
const API = new URL(TEST_BASE_URL).pathname;
const D = '0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const api = () => nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } });

function statusBody(id: string, status: string, errorMessage: string | null = null) {
	return {
		identifier: id,
		status,
		declared: '2024-05-01T10:00:00Z',
		uploaded: null,
		downloaded: null,
		processed: status === 'processed' ? '2024-05-01T10:03:00Z' : null,
		errorMessage,
	};
}

interface StatusLog {
	/** Virtual (or real) time of each status request, per interaction. */
	times: Record<string, number[]>;
}

/**
 * Scripts the status answers of each interaction: one answer per request, in order. A request
 * beyond the script is answered 418 so that the node fails visibly.
 */
function scriptStatuses(scope: nock.Scope, script: Record<string, Array<string | [string, string]>>): StatusLog {
	const log: StatusLog = { times: {} };
	for (const [id, answers] of Object.entries(script)) {
		log.times[id] = [];
		scope
			.get(`${API}/interactions/${id}/status`)
			.times(answers.length)
			.reply(() => {
				log.times[id].push(Date.now());
				const answer = answers[log.times[id].length - 1];
				const [status, errorMessage] = Array.isArray(answer) ? answer : [answer, null];
				return [200, statusBody(id, status, errorMessage)];
			});
	}
	return log;
}

function gaps(times: number[]): number[] {
	return times.slice(1).map((t, i) => t - times[i]);
}

const punctuated = {
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 1500, phrase: 'Hello, how can I help?', score: 0.98 },
		{ participant: 'participantTwo', startTimeOffset: 1600, endTimeOffset: 3500, phrase: 'My bill is wrong.', score: 0.97 },
		{ participant: 'participantTwo', startTimeOffset: 3600, endTimeOffset: 4500, phrase: 'It doubled.', score: 0.95 },
		{ participant: 'participantOne', startTimeOffset: 5000, endTimeOffset: 6000, phrase: 'Let me check.', score: 0.99 },
	],
	redactionSegments: [{ startTimeOffset: 7000, endTimeOffset: 8000, result: 'PCI', score: 0.9 }],
};
const punctuatedText =
	'Participant One: Hello, how can I help?\nParticipant Two: My bill is wrong. It doubled.\nParticipant One: Let me check.';

const phraseByPhrase = {
	allParticipants: {
		phrases: ['hello how can i help', 'my bill is wrong', 'let me check'],
		phraseSegments: [
			{ startTimeOffset: 0, endTimeOffset: 1500, phraseIndex: 0, score: 0.9 },
			{ startTimeOffset: 1600, endTimeOffset: 3500, phraseIndex: 1, score: 0.9 },
			{ startTimeOffset: 5000, endTimeOffset: 6000, phraseIndex: 2, score: 0.9 },
		],
	},
	participantOne: {
		phrases: ['hello how can i help', 'let me check'],
		phraseSegments: [
			{ startTimeOffset: 0, endTimeOffset: 1500, phraseIndex: 0, score: 0.9 },
			{ startTimeOffset: 5000, endTimeOffset: 6000, phraseIndex: 1, score: 0.9 },
		],
	},
	participantTwo: {
		phrases: ['my bill is wrong'],
		phraseSegments: [{ startTimeOffset: 1600, endTimeOffset: 3500, phraseIndex: 0, score: 0.9 }],
	},
	redactionSegments: [],
};
const phraseByPhraseText = 'Participant One: hello how can i help\nParticipant Two: my bill is wrong\nParticipant One: let me check';

const aiResults = {
	participantOne: {
		enlightenBundles: [
			{
				name: 'Customer Satisfaction',
				models: [{ name: 'Empathy', score: 0.8, minScore: 0.1, minScoreOffset: 100, maxScore: 0.9, maxScoreOffset: 2000, quartile1: 0.2, quartile2: 0.5, quartile3: 0.7, quartile4: 0.8 }],
			},
		],
		voiceActivitySegments: [{ startTimeOffset: 0, endTimeOffset: 1500, result: 'voice' }],
	},
};

const details = {
	reasons: ['Billing error'],
	actionsTakenByAgent: ['Checked the invoice'],
	entities: [{ type: 'amount', value: '42 EUR' }],
	isResolved: true,
};

const step = (name: string, parameters: INodeParameters, continueOnFail = false) => ({
	name,
	parameters: { resource: 'interaction', ...parameters },
	continueOnFail,
});

function requestsFor(requests: WireRequest[], id: string): string[] {
	return requests.filter((r) => r.path.includes(id)).map((r) => `${r.method} ${r.path.replace(`${API}/interactions/${id}`, '')}`);
}

describe('Transcribe: Manual → 3 recordings → one transcript each', () => {
	const recordings = [
		{ fileName: 'call-1.wav', mimeType: 'audio/wav', crmId: 'CRM-1', id: ids.a, statuses: ['fileUploaded', 'processing', 'processing', 'processed'] },
		{ fileName: 'call-2.mp3', mimeType: 'audio/mpeg', crmId: 'CRM-2', id: ids.b, statuses: ['processing', 'processed'] },
		{ fileName: 'call-3.ogg', mimeType: 'audio/ogg', crmId: 'CRM-3', id: ids.c, statuses: ['processed'] },
	];
	const items: INodeExecutionData[] = recordings.map((r) =>
		binaryItem(r.fileName, Buffer.from(`bytes of ${r.fileName}`), r.mimeType, { crmId: r.crmId }),
	);

	function scriptTranscribe() {
		const scope = api()
			.post(`${API}/interactions`)
			.times(3)
			.reply((_uri, body) => {
				const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as IDataObject;
				const recording = recordings.find((r) => r.crmId === parsed.externalIdentifier);
				return recording ? [201, { interactionIdentifier: recording.id }] : [400, { errorMessage: 'unknown' }];
			});
		for (const r of recordings) {
			scope.post(`${API}/interactions/${r.id}/upload`).reply(201, '');
			scope.get(`${API}/interactions/${r.id}/transcripts/punctuated`).reply(200, punctuated);
		}
		const log = scriptStatuses(scope, Object.fromEntries(recordings.map((r) => [r.id, r.statuses])));
		return { scope, log, requests: recordRequests(scope) };
	}

	const transcribe = step('Transcribe', {
		operation: 'transcribe',
		interactionType: 'audio',
		simple: false,
		pollInterval: 1,
		additionalFields: { externalIdentifier: '={{ $json.crmId }}' },
	});

	it('should return 3 transcripts with text and pairedItem, polling each interaction no more than once per interval', async () => {
		const { scope, log, requests } = scriptTranscribe();
		const startedAt = Date.now();

		const { run, error, output } = await runChain({ items, chain: [transcribe] });
		const elapsed = Date.now() - startedAt;

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const out = output('Transcribe');
		expect(out).toHaveLength(3);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toEqual({
				interactionIdentifier: recordings[i].id,
				externalIdentifier: recordings[i].crmId,
				status: 'processed',
				...punctuated,
				text: punctuatedText,
			});
			// Read like a person: the text first, long arrays last.
			expect(Object.keys(item.json)[0]).toBe('text');
			expect(Object.keys(item.json).slice(-1)[0]).toMatch(/Segments$/);
		});
		for (const r of recordings) {
			// Exactly the scripted answers were asked for: no poll after the final status.
			expect(log.times[r.id]).toHaveLength(r.statuses.length);
			for (const gap of gaps(log.times[r.id])) expect(gap).toBeGreaterThanOrEqual(1000);
			expect(requestsFor(requests, r.id)).toEqual([
				`POST /upload`,
				...r.statuses.map(() => 'GET /status'),
				'GET /transcripts/punctuated',
			]);
		}
		// All three are waited on together: the batch takes as long as the slowest (3 intervals),
		// not the sum (4). Virtual time (real time plus the slept offset) covers the 3 intervals;
		// the sleeps alone stay under 4, however slow a loaded machine makes the real part.
		expect(elapsed).toBeGreaterThanOrEqual(2900);
		expect(mockClock.offset).toBeLessThan(4000);
		const uploads = requests.filter((r) => r.path.endsWith('/upload'));
		for (const upload of uploads) {
			const [part] = parseMultipart(upload.body, String(upload.headers['content-type']));
			const r = recordings.find((x) => upload.path.includes(x.id));
			expect(part.filename).toBe(r?.fileName);
		}
		expectNoToken(run);
	});

	it('should keep to the interval with real sleeps too (pollInterval 1 s)', async () => {
		mockClock.real = true;
		const { scope, log } = scriptTranscribe();
		const started = realNow();

		const { error, output } = await runChain({ items, chain: [transcribe] });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Transcribe').map((item) => item.json.text)).toEqual([punctuatedText, punctuatedText, punctuatedText]);
		for (const r of recordings) {
			expect(log.times[r.id]).toHaveLength(r.statuses.length);
			// Timers may fire a little early; never a whole interval early.
			for (const gap of gaps(log.times[r.id])) expect(gap).toBeGreaterThanOrEqual(990);
		}
		const elapsed = realNow() - started;
		expect(elapsed).toBeGreaterThanOrEqual(2900);
		expect(elapsed).toBeLessThan(10_000);
	}, 20_000);

	it('should add CX AI results, the summary with details, and delete after reading', async () => {
		const r = recordings[0];
		const scope = api()
			.post(`${API}/interactions`, (body) => body.includeAiResults === true && body.externalIdentifier === r.crmId)
			.reply(201, { interactionIdentifier: r.id })
			.post(`${API}/interactions/${r.id}/upload`)
			.reply(201, '')
			.get(`${API}/interactions/${r.id}/transcript`)
			.reply(200, phraseByPhrase)
			.get(`${API}/interactions/${r.id}/ai`)
			.reply(200, aiResults)
			.get(`${API}/interactions/${r.id}/gen-ai/cx/summary`)
			.matchHeader('accept-language', 'de-DE')
			.reply(200, { summary: 'Der Kunde meldet eine doppelte Rechnung.' })
			.get(`${API}/interactions/${r.id}/gen-ai/cx/summary/details`)
			.matchHeader('accept-language', 'de-DE')
			.reply(200, details)
			.delete(`${API}/interactions/${r.id}`)
			.reply(200, '');
		scriptStatuses(scope, { [r.id]: ['processing', 'processed'] });
		const requests = recordRequests(scope);

		const { run, error, output } = await runChain({
			items: [items[0]],
			chain: [
				step('Transcribe', {
					operation: 'transcribe',
					interactionType: 'audio',
					includeAiResults: true,
					simple: false,
					pollInterval: 1,
					transcriptFormat: 'phraseByPhrase',
					additionalFields: { externalIdentifier: '={{ $json.crmId }}' },
					options: { includeSummary: true, includeSummaryDetails: true, summaryLanguage: 'de-DE', deleteAfterReading: true },
				}),
			],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Transcribe')).toEqual([
			{
				json: {
					interactionIdentifier: r.id,
					externalIdentifier: r.crmId,
					status: 'processed',
					...phraseByPhrase,
					text: phraseByPhraseText,
					aiResults,
					summary: 'Der Kunde meldet eine doppelte Rechnung.',
					...details,
					deleted: true,
				},
				pairedItem: { item: 0 },
			},
		]);
		// Deleted only after everything was read.
		expect(requestsFor(requests, r.id)).toEqual([
			'POST /upload',
			'GET /status',
			'GET /status',
			'GET /transcript',
			'GET /ai',
			'GET /gen-ai/cx/summary',
			'GET /gen-ai/cx/summary/details',
			'DELETE ',
		]);
		expectNoToken(run);
	});
});

describe('Declare → Wait For Completion', () => {
	const declareByUri = step('Declare', {
		operation: 'declare',
		interactionType: 'audio',
		additionalFields: { downloadUri: '=https://files.example.com/{{ $json.file }}', externalIdentifier: '={{ $json.file }}' },
	});
	const files = [
		{ file: 'ok.wav', id: ids.a, statuses: ['filePendingDownload', 'fileDownloading', 'fileDownloaded', 'processing', 'processed'] },
		{ file: 'silent.wav', id: ids.b, statuses: ['filePendingDownload', ['processingFailed', 'The audio contains no speech.']] as Array<string | [string, string]> },
		{ file: 'missing.wav', id: ids.c, statuses: [['fileDownloadFailed', 'The server answered 403.']] as Array<string | [string, string]> },
		{ file: 'broken.wav', id: D, statuses: ['fileUploading', ['fileUploadFailed', null as unknown as string]] as Array<string | [string, string]> },
	];

	function scriptDeclares(scope: nock.Scope) {
		scope
			.post(`${API}/interactions`)
			.times(files.length)
			.reply((_uri, body) => {
				const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as IDataObject;
				return [201, { interactionIdentifier: files.find((f) => f.file === parsed.externalIdentifier)?.id }];
			});
	}

	it('should end each interaction on its final status: processed passes, the three failures become item errors', async () => {
		const scope = api();
		scriptDeclares(scope);
		const log = scriptStatuses(scope, Object.fromEntries(files.map((f) => [f.id, f.statuses])));

		const { run, error, output } = await runChain({
			items: files.map((f) => ({ json: { file: f.file } })),
			chain: [declareByUri, step('Wait', { operation: 'waitForCompletion' }, true)],
		});

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const out = output('Wait');
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		// One ID (ElevateAI's own `identifier` is the same value), and the CRM ID carried on from Declare.
		const { identifier: _sameId, ...processed } = statusBody(ids.a, 'processed');
		expect(out[0].json).toEqual({ interactionIdentifier: ids.a, externalIdentifier: 'ok.wav', ...processed });
		expect(out[0].json).not.toHaveProperty('identifier');
		expect(out[1].json).toEqual({
			error: `ElevateAI could not process interaction ${ids.b}: processingFailed`,
			errorDescription: 'ElevateAI says: The audio contains no speech.',
			interactionIdentifier: ids.b,
		});
		expect(out[2].json).toEqual({
			error: `ElevateAI could not process interaction ${ids.c}: fileDownloadFailed`,
			errorDescription: 'ElevateAI says: The server answered 403.',
			interactionIdentifier: ids.c,
		});
		expect(out[3].json).toEqual({
			error: `ElevateAI could not process interaction ${D}: fileUploadFailed`,
			errorDescription: expect.stringMatching(/ElevateAI gave no reason/),
			interactionIdentifier: D,
		});
		for (const f of files) {
			expect(log.times[f.id]).toHaveLength(f.statuses.length);
			// Declare passes type "audio" on, so Wait defaults to ElevateAI's 30 s guidance for audio.
			for (const gap of gaps(log.times[f.id])) expect(gap).toBeGreaterThanOrEqual(30_000);
		}
		expectNoToken(run);
	});

	it('should poll a chat interaction every 5 s by default', async () => {
		const scope = api()
			.post(`${API}/interactions`, (body) => body.type === 'chat')
			.reply(201, { interactionIdentifier: ids.a });
		const log = scriptStatuses(scope, { [ids.a]: ['declared', 'processing', 'processed'] });

		const { error, output } = await runChain({
			chain: [
				step('Declare', {
					operation: 'declare',
					interactionType: 'chat',
					chat: JSON.stringify({
						participants: [{ participant_id: '1', name: 'Agent', role: 'agent' }],
						messages: [{ participant_id: '1', timestamp: '2024-01-01T10:00:00Z', content: 'Hello' }],
					}),
				}),
				step('Wait', { operation: 'waitForCompletion' }),
			],
		});

		expect(error).toBeUndefined();
		expect(output('Wait')[0].json.status).toBe('processed');
		expect(gaps(log.times[ids.a])).toEqual([expect.any(Number), expect.any(Number)]);
		for (const gap of gaps(log.times[ids.a])) {
			expect(gap).toBeGreaterThanOrEqual(5000);
			expect(gap).toBeLessThan(6000);
		}
	});

	it('should stop the run on a failure status without Continue On Fail, with ElevateAI\'s reason', async () => {
		const scope = api();
		scriptDeclares(scope);
		scriptStatuses(scope, { [ids.b]: files[1].statuses });

		const { run, error } = await runChain({
			items: [{ json: { file: 'silent.wav' } }],
			chain: [declareByUri, step('Wait', { operation: 'waitForCompletion', pollInterval: 1 })],
		});

		expect(error?.message).toBe(`ElevateAI could not process interaction ${ids.b}: processingFailed`);
		expect(error?.description).toBe('ElevateAI says: The audio contains no speech.');
		expect(run.data.resultData.lastNodeExecuted).toBe('Wait');
		expectNoToken(run);
	});

	it('should time out with the last status, asking once per interval until the timeout', async () => {
		let polls = 0;
		const scope = api()
			.get(`${API}/interactions/${ids.a}/status`)
			.times(20)
			.reply(() => {
				polls++;
				return [200, statusBody(ids.a, 'processing')];
			});

		const { error } = await runChain({
			items: [{ json: { interactionIdentifier: ids.a } }],
			// 0.05 minutes = 3 s: polls at 0, 1, 2 and 3 s, and the one at 3 s finds the time up.
			chain: [step('Wait', { operation: 'waitForCompletion', pollInterval: 1, timeout: 0.05 })],
		});

		expect(error?.message).toBe(`Interaction ${ids.a} did not finish within 0.05 minutes`);
		expect(error?.description).toMatch(/Its last status was "processing"/);
		expect(polls).toBe(4);
		expect(scope.pendingMocks()).toHaveLength(1);
	});

	it('should stop waiting promptly when the execution is cancelled', async () => {
		mockClock.real = true;
		let cancel: () => void = () => {};
		let polls = 0;
		let cancelledAt = 0;
		api()
			.get(`${API}/interactions/${ids.a}/status`)
			.times(5)
			.reply(() => {
				polls++;
				// Cancel right after the first answer, while the node sleeps its 30 s interval.
				setTimeout(() => {
					cancelledAt = realNow();
					cancel();
				}, 50);
				return [200, statusBody(ids.a, 'processing')];
			});

		const started = realNow();
		const { run } = await runChain({
			items: [{ json: { interactionIdentifier: ids.a, type: 'audio' } }],
			chain: [step('Wait', { operation: 'waitForCompletion' })],
			onStart: (execution) => (cancel = execution.cancel),
		});
		const finished = realNow();

		expect(polls).toBe(1);
		expect(cancelledAt).toBeGreaterThan(0);
		// The node sleeps in steps of at most a second and checks the cancel signal between them.
		expect(finished - cancelledAt).toBeLessThan(2_500);
		expect(finished - started).toBeLessThan(5_000);
		expect(run.status).toBe('canceled');
	}, 15_000);
});

describe('result readers', () => {
	const read = (operation: string, extra: INodeParameters = {}, continueOnFail = false) =>
		step('Read', { operation, simple: false, ...extra }, continueOnFail);
	const items = [{ json: { interactionIdentifier: ids.a } }, { json: { interactionIdentifier: ids.b } }];

	it.each([
		['punctuated', '/transcripts/punctuated', punctuated, punctuatedText],
		['phraseByPhrase', '/transcript', phraseByPhrase, phraseByPhraseText],
	])('Get Transcript (%s) should return the API fields plus the conversation as text', async (format, path, body, text) => {
		const scope = api().get(`${API}/interactions/${ids.a}${path}`).reply(200, body).get(`${API}/interactions/${ids.b}${path}`).reply(204);

		const { run, error, output } = await runChain({ items, chain: [read('getTranscript', { transcriptFormat: format })] });

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Read')).toEqual([
			{ json: { interactionIdentifier: ids.a, ...body, text }, pairedItem: { item: 0 } },
			// 204: nothing was said.
			{ json: { interactionIdentifier: ids.b, text: '' }, pairedItem: { item: 1 } },
		]);
		expectNoToken(run);
	});

	it('Get Transcript should say the results are not ready when the 404 is for an unfinished interaction', async () => {
		api()
			.get(`${API}/interactions/${ids.a}/transcripts/punctuated`)
			.reply(404, { errorMessage: 'Not found.' })
			.get(`${API}/interactions/${ids.a}/status`)
			.reply(200, statusBody(ids.a, 'processing'))
			.get(`${API}/interactions/${ids.b}/transcripts/punctuated`)
			.reply(404, { errorMessage: 'Interaction not found.' })
			.get(`${API}/interactions/${ids.b}/status`)
			.reply(404, { errorMessage: 'Interaction not found.' });

		const { output } = await runChain({ items, chain: [read('getTranscript', {}, true)] });

		expect(output('Read').map((item) => item.json)).toEqual([
			{
				error: `The results of interaction ${ids.a} are not ready: its status is "processing"`,
				errorDescription: expect.stringMatching(/Wait For Completion/),
				interactionIdentifier: ids.a,
			},
			{
				error: 'ElevateAI error 404: Interaction not found.',
				errorDescription: expect.stringMatching(/does not exist/),
				interactionIdentifier: ids.b,
			},
		]);
	});

	it('Get AI Results should return the CX AI object', async () => {
		const scope = api().get(`${API}/interactions/${ids.a}/ai`).reply(200, aiResults);
		const { error, output } = await runChain({ items: [items[0]], chain: [read('getAiResults')] });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Read')).toEqual([{ json: { interactionIdentifier: ids.a, ...aiResults }, pairedItem: { item: 0 } }]);
	});

	it('Get Summary should return the summary, without Accept-Language unless asked', async () => {
		const scope = nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN }, badheaders: ['accept-language'] })
			.get(`${API}/interactions/${ids.a}/gen-ai/cx/summary`)
			.reply(200, { summary: 'The customer reports a doubled bill.' });
		const { error, output } = await runChain({ items: [items[0]], chain: [read('getSummary')] });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Read')[0].json).toEqual({ interactionIdentifier: ids.a, summary: 'The customer reports a doubled bill.' });
	});

	it('Get Summary should add the details and send Accept-Language on both calls', async () => {
		const scope = api()
			.get(`${API}/interactions/${ids.a}/gen-ai/cx/summary`)
			.matchHeader('accept-language', 'es-MX')
			.reply(200, { summary: 'El cliente reporta una factura doble.' })
			.get(`${API}/interactions/${ids.a}/gen-ai/cx/summary/details`)
			.matchHeader('accept-language', 'es-MX')
			.reply(200, details);
		const { error, output } = await runChain({
			items: [items[0]],
			chain: [read('getSummary', { options: { includeDetails: true, summaryLanguage: 'es-MX' } })],
		});
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Read')).toEqual([
			{
				json: { interactionIdentifier: ids.a, summary: 'El cliente reporta una factura doble.', ...details },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('Get should return the declared parameters', async () => {
		const declared = {
			identifier: ids.a,
			type: 'audio',
			languageTag: 'en-us',
			vertical: 'default',
			audioTranscriptionMode: 'highAccuracy',
			includeAiResults: true,
			downloadUri: null,
			transcript: null,
			chat: null,
		};
		const scope = api().get(`${API}/interactions/${ids.a}`).reply(200, declared);
		const { error, output } = await runChain({ items: [items[0]], chain: [read('get')] });
		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(output('Read')).toEqual([{ json: { interactionIdentifier: ids.a, ...declared }, pairedItem: { item: 0 } }]);
	});

	it('should refuse an identifier that is not a GUID before any request', async () => {
		const { error } = await runChain({ items: [{ json: { interactionIdentifier: '../admin' } }], chain: [read('getStatus')] });
		expect(error?.message).toMatch(/^Invalid Interaction ID: .* \[item 0\]$/);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

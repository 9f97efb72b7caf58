import nock from 'nock';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TEST_BASE_URL, TEST_TOKEN, binaryItem, runChain } from '../helpers/engine';
import { ids } from './wire';

/**
 * Layer 2 for the contact-centre outputs: Simplify, Agent Participant, Transcript File, Find
 * Phrases and Get Agent Insights, each run by n8n-core's WorkflowExecute with n8n's credential
 * authentication and binary-data handling; nock plays ElevateAI.
 */

const API = new URL(TEST_BASE_URL).pathname;
const HOST = new URL(TEST_BASE_URL).origin;
const api = () => nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } });
const id = ids.a;

const punctuated = {
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 800, endTimeOffset: 4100, phrase: 'Thank you for calling, my name is Maria.', score: 0.93 },
		{ participant: 'participantTwo', startTimeOffset: 4300, endTimeOffset: 6200, phrase: 'Hi, my bill is wrong.', score: 0.9 },
		{ participant: 'participantOne', startTimeOffset: 40_000, endTimeOffset: 42_500, phrase: 'This call is recorded for quality.', score: 0.95 },
	],
	redactionSegments: [],
};

const bundles = (score: number) => ({
	enlightenBundles: [{ name: 'Customer Satisfaction', models: [{ name: 'activeListening', score, minScore: 0, quartile1: 1 }] }],
	voiceActivitySegments: [{ startTimeOffset: 0, endTimeOffset: 900, result: 'voice' }],
});
const ai = { allParticipants: bundles(3), participantOne: bundles(2), participantTwo: bundles(1) };

const item: INodeExecutionData[] = [{ json: { interactionIdentifier: id } }];
const run = (parameters: INodeParameters) =>
	runChain({ items: item, chain: [{ name: 'ElevateAI', parameters: { resource: 'interaction', ...parameters } }] });

const binaryText = (out: INodeExecutionData, field: string) => Buffer.from(out.binary?.[field]?.data ?? '', 'base64').toString('utf8');

afterEach(() => nock.cleanAll());

describe('Get Transcript outputs (workflow)', () => {
	it('should return the simplified transcript by default, with Agent/Customer labels when the agent is set', async () => {
		const scope = api().get(`${API}/interactions/${id}/transcripts/punctuated`).reply(200, punctuated);
		const { output, error } = await run({ operation: 'getTranscript', options: { agentParticipant: 'participantOne' } });
		expect(error).toBeUndefined();
		expect(output('ElevateAI')).toEqual([
			{
				json: {
					interactionIdentifier: id,
					text: 'Agent: Thank you for calling, my name is Maria.\nCustomer: Hi, my bill is wrong.\nAgent: This call is recorded for quality.',
					agentText: 'Thank you for calling, my name is Maria. This call is recorded for quality.',
					customerText: 'Hi, my bill is wrong.',
					durationSeconds: 42.5,
					redacted: false,
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('should give the full ElevateAI fields plus labelled text with Simplify off', async () => {
		api().get(`${API}/interactions/${id}/transcripts/punctuated`).reply(200, punctuated);
		const { output } = await run({ operation: 'getTranscript', simple: false, options: { agentParticipant: 'participantTwo' } });
		const [{ json }] = output('ElevateAI');
		expect(json.sentenceSegments).toEqual(punctuated.sentenceSegments);
		expect(json.redactionSegments).toEqual([]);
		expect(json.text).toMatch(/^Customer: Thank you for calling/);
	});

	it.each([
		['srt', 'application/x-subrip', '1\n00:00:00,800 --> 00:00:04,100\nAgent: Thank you for calling,\nmy name is Maria.\n'],
		['vtt', 'text/vtt', 'WEBVTT\n\n00:00:00.800 --> 00:00:04.100\nAgent: Thank you for calling,\nmy name is Maria.\n'],
		['txt', 'text/plain', 'Agent: Thank you for calling, my name is Maria.\nCustomer: Hi, my bill is wrong.\n'],
	])('should attach a %s file to the chosen binary field', async (format, mimeType, starts) => {
		api().get(`${API}/interactions/${id}/transcripts/punctuated`).reply(200, punctuated);
		const { output, error } = await run({
			operation: 'getTranscript',
			options: { agentParticipant: 'participantOne', transcriptFile: format, transcriptFileField: 'callFile' },
		});
		expect(error).toBeUndefined();
		const [out] = output('ElevateAI');
		expect(out.binary?.callFile).toEqual(expect.objectContaining({ mimeType, fileName: `transcript-${id}.${format}`, fileExtension: format }));
		expect(binaryText(out, 'callFile').slice(0, starts.length)).toBe(starts);
		expect(out.json.text).toMatch(/^Agent: /);
	});

	it('should give an empty, valid file and empty text when ElevateAI answers 204 (no speech)', async () => {
		api().get(`${API}/interactions/${id}/transcript`).reply(204);
		const { output, error } = await run({ operation: 'getTranscript', transcriptFormat: 'phraseByPhrase', options: { transcriptFile: 'vtt' } });
		expect(error).toBeUndefined();
		const [out] = output('ElevateAI');
		expect(out.json).toEqual({ interactionIdentifier: id, text: '', participantOneText: '', participantTwoText: '', durationSeconds: 0, redacted: false });
		expect(binaryText(out, 'transcript')).toBe('WEBVTT\n');
	});

	it('should reject an unknown file format before sending anything', async () => {
		const { error } = await run({ operation: 'getTranscript', options: { transcriptFile: 'docx' } });
		expect(error?.message).toMatch(/Transcript File.*item 0/);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

describe('Get AI Results outputs (workflow)', () => {
	it('should flatten the scores by default and keep the raw shape with Simplify off', async () => {
		api().get(`${API}/interactions/${id}/ai`).twice().reply(200, ai);
		const simple = await run({ operation: 'getAiResults', options: { agentParticipant: 'participantOne' } });
		expect(simple.output('ElevateAI')[0].json).toEqual({
			interactionIdentifier: id,
			conversation: { customerSatisfaction: { activeListening: 3 } },
			agent: { customerSatisfaction: { activeListening: 2 } },
			customer: { customerSatisfaction: { activeListening: 1 } },
		});
		const raw = await run({ operation: 'getAiResults', simple: false });
		expect(raw.output('ElevateAI')[0].json).toEqual({ interactionIdentifier: id, ...ai });
	});
});

describe('Find Phrases (workflow)', () => {
	it('should report found, missing and where, for the agent in the first 30 seconds', async () => {
		api().get(`${API}/interactions/${id}/transcripts/punctuated`).reply(200, punctuated);
		const { output, error } = await run({
			operation: 'findPhrases',
			phrases: 'MY NAME IS\nthis call is recorded',
			speaker: 'agent',
			withinSeconds: 30,
			options: { agentParticipant: 'participantOne' },
		});
		expect(error).toBeUndefined();
		expect(output('ElevateAI')[0].json).toEqual({
			interactionIdentifier: id,
			allFound: false,
			found: ['MY NAME IS'],
			missing: ['this call is recorded'],
			matches: [
				{ phrase: 'MY NAME IS', participant: 'participantOne', speaker: 'Agent', startTimeOffset: 800, endTimeOffset: 4100, sentence: 'Thank you for calling, my name is Maria.' },
			],
		});
	});

	it('should take an array of phrases from an expression', async () => {
		api().get(`${API}/interactions/${id}/transcripts/punctuated`).reply(200, punctuated);
		const { output } = await runChain({
			items: [{ json: { interactionIdentifier: id, required: ['bill', 'recorded for quality'] } }],
			chain: [{ name: 'ElevateAI', parameters: { resource: 'interaction', operation: 'findPhrases', phrases: '={{ $json.required }}' } }],
		});
		expect(output('ElevateAI')[0].json).toEqual(expect.objectContaining({ allFound: true, found: ['bill', 'recorded for quality'], missing: [] }));
	});

	it('should refuse Speaker Agent without Agent Participant, naming the field, before any request', async () => {
		const { error } = await run({ operation: 'findPhrases', phrases: 'hello', speaker: 'customer' });
		expect(error?.message).toMatch(/^Invalid Speaker: .* \[item 0\]$/);
		const empty = await run({ operation: 'findPhrases', phrases: ' \n ' });
		expect(empty.error?.message).toMatch(/^Invalid Phrases: .* \[item 0\]$/);
	});
});

describe('Get Agent Insights (workflow)', () => {
	it.each([
		['actionItems', 'action-items', { actionItems: [{ action: 'Issued a credit' }] }],
		['coachingAssistant', 'coaching-assistant', { opportunities: ['Read the disclosure'] }],
	])('should pass ElevateAI\'s %s answer on as it comes, with the interaction ID', async (insight, path, answer) => {
		const scope = api().get(`${API}/interactions/${id}/gen-ai/cx/agent/${path}`).reply(200, answer);
		const { output, error } = await run({ operation: 'getAgentInsights', insight });
		expect(error).toBeUndefined();
		expect(output('ElevateAI')[0].json).toEqual({ interactionIdentifier: id, ...answer });
		expect(scope.isDone()).toBe(true);
	});

	it('should retry a 429 and put a non-object answer under the insight name', async () => {
		api()
			.get(`${API}/interactions/${id}/gen-ai/cx/agent/action-items`)
			.reply(429, { errorMessage: 'Too many concurrent requests' }, { 'Retry-After': '0' })
			.get(`${API}/interactions/${id}/gen-ai/cx/agent/action-items`)
			.reply(200, ['Call the customer back']);
		const { output, error } = await run({ operation: 'getAgentInsights', insight: 'actionItems' });
		expect(error).toBeUndefined();
		expect(output('ElevateAI')[0].json).toEqual({ interactionIdentifier: id, actionItems: ['Call the customer back'] });
	});
});

describe('Transcribe outputs (workflow)', () => {
	const chat = {
		participants: [
			{ participant_id: 'a1', name: 'Alex', role: 'agent' },
			{ participant_id: 'c1', name: 'Sam', role: 'customer' },
		],
		messages: [
			{ participant_id: 'c1', timestamp: '2024-05-01T10:00:00Z', content: 'My order has not arrived.' },
			{ participant_id: 'a1', timestamp: '2024-05-01T10:00:05Z', content: 'Sorry, let me check.' },
		],
	};
	const chatTranscript = {
		sentenceSegments: [
			{ participant: 'participantTwo', startTimeOffset: 0, endTimeOffset: 1700, phrase: 'My order has not arrived.', score: 1 },
			{ participant: 'participantOne', startTimeOffset: 5000, endTimeOffset: 6400, phrase: 'Sorry, let me check.', score: 1 },
		],
		redactionSegments: [],
	};

	it('should label a chat by the roles it declares, simplify the scores and attach the SRT file', async () => {
		api()
			.post(`${API}/interactions`)
			.reply(201, { interactionIdentifier: id })
			.get(`${API}/interactions/${id}/status`)
			.reply(200, { identifier: id, status: 'processed', errorMessage: null })
			.get(`${API}/interactions/${id}/transcripts/punctuated`)
			.reply(200, chatTranscript)
			.get(`${API}/interactions/${id}/ai`)
			.reply(200, ai);
		const { output, error } = await runChain({
			chain: [
				{
					name: 'ElevateAI',
					parameters: {
						resource: 'interaction',
						operation: 'transcribe',
						interactionType: 'chat',
						languageTag: 'en-us',
						chat: JSON.stringify(chat),
						includeAiResults: true,
						pollInterval: 1,
						options: { transcriptFile: 'srt' },
					},
				},
			],
		});
		expect(error).toBeUndefined();
		const [out] = output('ElevateAI');
		expect(out.json).toEqual({
			interactionIdentifier: id,
			status: 'processed',
			text: 'Customer: My order has not arrived.\nAgent: Sorry, let me check.',
			agentText: 'Sorry, let me check.',
			customerText: 'My order has not arrived.',
			durationSeconds: 6.4,
			redacted: false,
			aiResults: {
				conversation: { customerSatisfaction: { activeListening: 3 } },
				agent: { customerSatisfaction: { activeListening: 2 } },
				customer: { customerSatisfaction: { activeListening: 1 } },
			},
		});
		expect(out.binary?.transcript).toEqual(expect.objectContaining({ fileName: `transcript-${id}.srt`, mimeType: 'application/x-subrip' }));
		expect(binaryText(out, 'transcript')).toBe(
			'1\n00:00:00,000 --> 00:00:01,700\nCustomer: My order has not arrived.\n\n2\n00:00:05,000 --> 00:00:06,400\nAgent: Sorry, let me check.\n',
		);
	});

	it('should keep the raw shape with Simplify off and name the file after the recording', async () => {
		api()
			.post(`${API}/interactions`)
			.reply(201, { interactionIdentifier: id })
			.post(`${API}/interactions/${id}/upload`)
			.reply(201)
			.get(`${API}/interactions/${id}/status`)
			.reply(200, { identifier: id, status: 'processed', errorMessage: null })
			.get(`${API}/interactions/${id}/transcripts/punctuated`)
			.reply(200, punctuated);
		const { output, error } = await runChain({
			items: [binaryItem('call-0042.wav', Buffer.from('RIFF0000WAVEfmt '))],
			chain: [
				{
					name: 'ElevateAI',
					parameters: {
						resource: 'interaction',
						operation: 'transcribe',
						interactionType: 'audio',
						pollInterval: 1,
						simple: false,
						options: { agentParticipant: 'participantOne', transcriptFile: 'vtt', transcriptFileField: 'subtitles' },
					},
				},
			],
		});
		expect(error).toBeUndefined();
		const [out] = output('ElevateAI');
		expect(out.json.sentenceSegments).toEqual(punctuated.sentenceSegments);
		expect(out.json.text).toMatch(/^Agent: Thank you for calling/);
		expect(out.binary?.subtitles).toEqual(expect.objectContaining({ fileName: 'call-0042.vtt', mimeType: 'text/vtt' }));
		expect(binaryText(out, 'subtitles')).toMatch(/^WEBVTT\n\n00:00:00\.800 --> /);
	});
});

describe('the CRM ID travels down a chain of result operations (workflow)', () => {
	it('should carry Declare\'s externalIdentifier through Wait, Get Summary, Get Transcript and Find Phrases, readable fields first, with no request for it', async () => {
		const scope = api()
			.post(`${API}/interactions`)
			.reply(201, { interactionIdentifier: id })
			.get(`${API}/interactions/${id}/status`)
			.reply(200, { identifier: id, status: 'processed', errorMessage: null })
			.get(`${API}/interactions/${id}/gen-ai/cx/summary`)
			.reply(200, { summary: 'The customer says the bill is wrong.' })
			.get(`${API}/interactions/${id}/transcripts/punctuated`)
			.twice()
			.reply(200, punctuated);
		const byId = { resource: 'interaction', interactionIdentifier: '={{ $json.interactionIdentifier }}' };

		const { output, error } = await runChain({
			items: [{ json: { callId: 'HS-1001' } }],
			chain: [
				{
					name: 'Declare',
					parameters: {
						resource: 'interaction',
						operation: 'declare',
						interactionType: 'audio',
						additionalFields: { externalIdentifier: '={{ $json.callId }}', downloadUri: 'https://files.example.com/call.wav' },
					},
				},
				{ name: 'Wait', parameters: { ...byId, operation: 'waitForCompletion' } },
				{ name: 'Summary', parameters: { ...byId, operation: 'getSummary' } },
				{ name: 'Transcript', parameters: { ...byId, operation: 'getTranscript' } },
				{ name: 'Phrases', parameters: { ...byId, operation: 'findPhrases', phrases: 'my name is' } },
			],
		});

		expect(error).toBeUndefined();
		for (const node of ['Wait', 'Summary', 'Transcript', 'Phrases']) {
			expect(output(node)[0].json.externalIdentifier).toBe('HS-1001');
		}
		expect(Object.keys(output('Wait')[0].json)).toEqual(['interactionIdentifier', 'externalIdentifier', 'status', 'errorMessage']);
		expect(Object.keys(output('Summary')[0].json)).toEqual(['summary', 'interactionIdentifier', 'externalIdentifier']);
		expect(Object.keys(output('Transcript')[0].json)).toEqual([
			'text',
			'interactionIdentifier',
			'externalIdentifier',
			'participantOneText',
			'participantTwoText',
			'durationSeconds',
			'redacted',
		]);
		expect(Object.keys(output('Phrases')[0].json)).toEqual(['interactionIdentifier', 'externalIdentifier', 'allFound', 'found', 'missing', 'matches']);
		// Exactly the five requests above: none to learn the type (Declare passed it on) or the CRM ID.
		expect(scope.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

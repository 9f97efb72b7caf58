/**
 * Bad parameter values never cost a request: each is caught before anything is sent (no quota
 * used, no half-created interaction), with a message that names the field and the item.
 *
 * Every case runs the node through n8n's engine against the real API host with nock holding no
 * interceptors: a request would show up as an unmatched request (and fail the case).
 */
import nock from 'nock';
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { TEST_TOKEN, binaryItem, runChain } from '../helpers/engine';
import type { Emulator } from './helpers';
import { ID, chatJson, countUnmatchedRequests, emulatorCredentials, recording, runOne, startEmulator, step } from './helpers';

const chat = (value: unknown, extra: INodeParameters = {}): INodeParameters => ({
	interactionType: 'chat',
	chat: typeof value === 'string' ? value : JSON.stringify(value),
	...extra,
});
const audio = (additionalFields: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	interactionType: 'audio',
	additionalFields,
	...extra,
});
const transcriptParams = (value: unknown): INodeParameters => ({
	interactionType: 'transcript',
	transcript: typeof value === 'string' ? value : JSON.stringify(value),
});
const withMetadata = (metadata: unknown) => chat(chatJson(), { additionalFields: { metadata: typeof metadata === 'string' ? metadata : JSON.stringify(metadata) } });
const goodChat = chatJson();
const wav = () => [binaryItem('call-0042.wav', recording(2_000))];
const goodPhrases = { phrases: ['Hello'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 900, phraseIndex: 0, score: 0.9 }] };

interface Case {
	label: string;
	operation: string;
	parameters: INodeParameters;
	/** The whole message, or a pattern of it; it must name the field and item 0. */
	message: RegExp;
	items?: INodeExecutionData[];
	credentials?: ICredentialDataDecryptedObject;
}

const c = (
	label: string,
	operation: string,
	parameters: INodeParameters,
	message: RegExp,
	extra: Partial<Pick<Case, 'items' | 'credentials'>> = {},
): Case => ({ label, operation, parameters, message, ...extra });

const NOT_GUID = /^Invalid Interaction ID: must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 \[item 0\]$/;

const CASES: Case[] = [
	// Interaction IDs: nothing but a GUID reaches a URL path.
	c('GUID "../x" (path traversal)', 'getStatus', { interactionIdentifier: '../x' }, NOT_GUID),
	// A literally empty required field never runs (n8n reports the node's issues); an expression can still give ''.
	c('GUID empty (from an expression)', 'getStatus', { interactionIdentifier: '={{ "" }}' }, /^Invalid Interaction ID: it is empty \[item 0\]$/),
	c('GUID of spaces', 'getStatus', { interactionIdentifier: '   ' }, NOT_GUID),
	c('GUID with spaces inside', 'getTranscript', { interactionIdentifier: '3fa85f64 5717 4562 b3fc 2c963f66afa6' }, NOT_GUID),
	c('GUID followed by a path', 'delete', { interactionIdentifier: `${ID}/../../x` }, NOT_GUID),
	c('GUID URL-encoded traversal', 'waitForCompletion', { interactionIdentifier: '%2e%2e%2fx', pollInterval: 5, timeout: 1 }, NOT_GUID),
	c('GUID with a query string', 'getAiResults', { interactionIdentifier: `${ID}?x=1` }, NOT_GUID),
	c('GUID of non-hex letters', 'getSummary', { interactionIdentifier: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz' }, NOT_GUID),
	c('GUID "not-a-guid" on Get', 'get', { interactionIdentifier: 'not-a-guid' }, NOT_GUID),
	c('GUID "../x" on Upload', 'upload', { interactionIdentifier: '../x' }, NOT_GUID, { items: wav() }),
	c('GUID given as a number', 'getStatus', { interactionIdentifier: 12345 }, /^Invalid Interaction ID: Expected string, received number \[item 0\]$/),

	// Enumerations.
	c('languageTag "fr"', 'declare', chat(goodChat, { languageTag: 'fr' }), /^Invalid Language: must be one of: auto, en, en-us, ja, pt-br, es-419 \[item 0\]$/),
	c('languageTag "EN-US" (case)', 'declare', audio({}, { languageTag: 'EN-US' }), /^Invalid Language: must be one of: .* \[item 0\]$/, { items: wav() }),
	c('vertical "finance"', 'declare', chat(goodChat, { vertical: 'finance' }), /^Invalid Vertical: must be one of: default \[item 0\]$/),
	c('model "gpt"', 'declare', audio({ model: 'gpt', downloadUri: 'https://files.example.com/call.wav' }), /^Invalid Model: must be one of: cx, echo \[item 0\]$/),
	c('interactionType "video"', 'declare', { interactionType: 'video' }, /^Invalid Interaction Type: must be one of: audio, chat, transcript \[item 0\]$/),
	c('audioTranscriptionMode "fast"', 'declare', audio({ audioTranscriptionMode: 'fast', downloadUri: 'https://files.example.com/call.wav' }), /^Invalid Audio Transcription Mode: must be one of: highAccuracy, highSpeed \[item 0\]$/),
	c('transcriptFormat "srt"', 'getTranscript', { interactionIdentifier: ID, transcriptFormat: 'srt' }, /^Invalid Transcript Format: must be one of: punctuated, phraseByPhrase \[item 0\]$/),
	c('transcriptFormat "plain" on Transcribe', 'transcribe', chat(goodChat, { transcriptFormat: 'plain' }), /^Invalid Transcript Format: must be one of: punctuated, phraseByPhrase \[item 0\]$/),

	// Download URIs.
	c('downloadUri ftp://', 'declare', audio({ downloadUri: 'ftp://files.example.com/call.wav' }), /^Invalid Download URI: uses "ftp"; ElevateAI downloads from https, http or sftp only \[item 0\]$/),
	c('downloadUri file://', 'declare', audio({ downloadUri: 'file:///etc/passwd' }), /^Invalid Download URI: uses "file".* \[item 0\]$/),
	c('downloadUri sftp without ~/ path', 'declare', audio({ downloadUri: 'sftp://user:pw@files.example.com/calls/call.wav' }), /^Invalid Download URI: must point at a file under the home folder, as sftp:\/\/.* \[item 0\]$/),
	c('downloadUri sftp with ~/ but no file', 'declare', audio({ downloadUri: 'sftp://files.example.com/~/' }), /^Invalid Download URI: must point at a file under the home folder.* \[item 0\]$/),
	c('downloadUri sftp without host', 'declare', audio({ downloadUri: 'sftp:///~/call.wav' }), /^Invalid Download URI: must name the SFTP host.* \[item 0\]$/),
	c('downloadUri https:// without host', 'declare', audio({ downloadUri: 'https://' }), /^Invalid Download URI: must be an absolute URL.* \[item 0\]$/),
	c('downloadUri that is not a URL', 'declare', audio({ downloadUri: 'call-0042.wav' }), /^Invalid Download URI: must be an absolute URL.* \[item 0\]$/),
	c('downloadUri on Transcribe', 'transcribe', audio({ downloadUri: 'ftp://files.example.com/call.wav' }), /^Invalid Download URI: uses "ftp".* \[item 0\]$/),

	// Explore metadata.
	c('metadata number value', 'declare', withMetadata({ direction: 5 }), /^Invalid Metadata: direction must be a string \[item 0\]$/),
	c('metadata agent.id number', 'declare', withMetadata({ agent: { id: 7 } }), /^Invalid Metadata: agent\.id must be a string \[item 0\]$/),
	c('metadata unknown key with a number', 'declare', withMetadata({ queue: 5 }), /^Invalid Metadata: queue must be a string \(or an object of strings\) \[item 0\]$/),
	c('metadata recorded without T/Z', 'declare', withMetadata({ recorded: '2023-08-03 15:27:09' }), /^Invalid Metadata: recorded must be an ISO 8601 UTC date-time such as 2023-08-03T15:27:09Z \[item 0\]$/),
	c('metadata custom date-time with offset', 'declare', withMetadata({ custom: { dateTimes: { dateTime1: '2023-08-03T15:27:09+02:00' } } }), /^Invalid Metadata: custom\.dateTimes\.dateTime1 must be an ISO 8601 UTC date-time.* \[item 0\]$/),
	c('metadata custom.integers decimal', 'declare', withMetadata({ custom: { integers: { integer8: '12.5' } } }), /^Invalid Metadata: custom\.integers\.integer8 must be a whole number written as a string \[item 0\]$/),
	c('metadata custom.integers number', 'declare', withMetadata({ custom: { integers: { integer8: 12 } } }), /^Invalid Metadata: custom\.integers\.integer8 must be a string \[item 0\]$/),
	c('metadata custom.decimals text', 'declare', withMetadata({ custom: { decimals: { decimal1: 'ten' } } }), /^Invalid Metadata: custom\.decimals\.decimal1 must be a decimal number written as a string \[item 0\]$/),
	c('metadata not JSON', 'declare', withMetadata('{ direction: inbound'), /^Invalid Metadata: it is not valid JSON \[item 0\]$/),
	c('metadata an array', 'declare', withMetadata('[1, 2]'), /^Invalid Metadata: Expected object, received array \[item 0\]$/),

	// Chat.
	c('chat not JSON', 'declare', chat('{"participants": ['), /^Invalid Chat: it is not valid JSON \[item 0\]$/),
	c('chat empty', 'declare', chat(''), /^Invalid Chat: it is empty \[item 0\]$/),
	c('chat missing participants', 'declare', chat({ messages: goodChat.messages }), /^Invalid Chat: participants is missing \[item 0\]$/),
	c('chat no participants', 'declare', chat({ ...goodChat, participants: [] }), /^Invalid Chat: participants must list at least one participant \[item 0\]$/),
	c('chat no messages', 'declare', chat({ ...goodChat, messages: [] }), /^Invalid Chat: messages must contain at least one message \[item 0\]$/),
	c(
		'chat unknown participant_id',
		'declare',
		chat({ ...goodChat, messages: [{ participant_id: '9', timestamp: '2024-01-01T10:00:00Z', content: 'Hi' }] }),
		/^Invalid Chat: messages\[0\]\.participant_id "9" is not one of the participants \[item 0\]$/,
	),
	c(
		'chat bad timestamp',
		'declare',
		chat({ ...goodChat, messages: [{ participant_id: '1', timestamp: '03/08/2023 10:00', content: 'Hi' }] }),
		/^Invalid Chat: messages\[0\]\.timestamp must be an ISO 8601 date-time \[item 0\]$/,
	),
	c('chat in Japanese', 'declare', chat(goodChat, { languageTag: 'ja' }), /^Invalid Language: chat interactions support en-us, en, es-419 \[item 0\]$/),
	c('chat "auto" language on Transcribe', 'transcribe', chat(goodChat, { languageTag: 'auto' }), /^Invalid Language: chat interactions support.* \[item 0\]$/),

	// Transcript.
	c('transcript not JSON', 'declare', transcriptParams('{"participantOne": '), /^Invalid Transcript: it is not valid JSON \[item 0\]$/),
	c('transcript without participants', 'declare', transcriptParams({ foo: 1 }), /^Invalid Transcript: must contain allParticipants, participantOne or participantTwo with phrases \[item 0\]$/),
	c(
		'transcript negative offset',
		'declare',
		transcriptParams({ participantOne: { ...goodPhrases, phraseSegments: [{ startTimeOffset: -5, endTimeOffset: 900, phraseIndex: 0 }] } }),
		/^Invalid Transcript: participantOne\.phraseSegments\[0\]\.startTimeOffset Number must be greater than or equal to 0 \[item 0\]$/,
	),

	// Waiting.
	// 0 is the automatic Poll Interval (5 s chat/transcript, 30 s audio); below 1 s otherwise is refused.
	c('pollInterval negative', 'waitForCompletion', { interactionIdentifier: ID, pollInterval: -1, timeout: 5 }, /^Invalid Poll Interval: must be 0 \(automatic\) or at least 1 second \[item 0\]$/),
	c('pollInterval 0.5 on Transcribe', 'transcribe', chat(goodChat, { pollInterval: 0.5 }), /^Invalid Poll Interval: must be 0 \(automatic\) or at least 1 second \[item 0\]$/),
	c('timeout 0', 'waitForCompletion', { interactionIdentifier: ID, pollInterval: 5, timeout: 0 }, /^Invalid Timeout: must be more than 0 minutes \[item 0\]$/),
	c('timeout negative', 'waitForCompletion', { interactionIdentifier: ID, pollInterval: 5, timeout: -5 }, /^Invalid Timeout: must be more than 0 minutes \[item 0\]$/),
	c('timeout negative on Transcribe', 'transcribe', chat(goodChat, { timeout: -1 }), /^Invalid Timeout: must be more than 0 minutes \[item 0\]$/),

	// Options shared by every operation.
	c('concurrency 0', 'getStatus', { interactionIdentifier: ID, options: { concurrency: 0 } }, /^Invalid Concurrency: Number must be greater than or equal to 1 \[item 0\]$/),
	c('concurrency 51', 'declare', chat(goodChat, { options: { concurrency: 51 } }), /^Invalid Concurrency: .* \[item 0\]$/),
	c('concurrency 0 on Transcribe', 'transcribe', chat(goodChat, { options: { concurrency: 0 } }), /^Invalid Concurrency: .* \[item 0\]$/),
	c('maxRetries 11', 'getStatus', { interactionIdentifier: ID, options: { maxRetries: 11 } }, /^Invalid Max Retries: Number must be less than or equal to 10 \[item 0\]$/),
	c('maxRetries 11 on Declare', 'declare', chat(goodChat, { options: { maxRetries: 11 } }), /^Invalid Max Retries: .* \[item 0\]$/),
	c('maxRetries -1', 'delete', { interactionIdentifier: ID, options: { maxRetries: -1 } }, /^Invalid Max Retries: .* \[item 0\]$/),
	c('maxRetries 2.5', 'getStatus', { interactionIdentifier: ID, options: { maxRetries: 2.5 } }, /^Invalid Max Retries: must be a whole number \[item 0\]$/),

	// Binary recordings.
	c('binary property empty (from an expression)', 'upload', { interactionIdentifier: ID, binaryPropertyName: '={{ "" }}' }, /^Invalid Input Binary Field: it is empty \[item 0\]$/, { items: wav() }),
	c('binary property missing', 'upload', { interactionIdentifier: ID, binaryPropertyName: 'recording' }, /^The item has no binary field 'recording' \[item 0\]$/, { items: wav() }),
	c('no binary at all on Transcribe', 'transcribe', audio(), /binary file 'data', but none was found \[item 0\]$/, { items: [{ json: {} }] }),
	c('file without extension', 'upload', { interactionIdentifier: ID }, /^Invalid file name: "recording" does not end in a supported audio extension \[item 0\]$/, { items: [binaryItem('recording', recording(100))] }),
	c('file with a text extension', 'upload', { interactionIdentifier: ID }, /^Invalid file name: "notes\.txt" does not end in a supported audio extension \[item 0\]$/, { items: [binaryItem('notes.txt', recording(100), 'text/plain')] }),
	c('File Name option with a bad extension', 'upload', { interactionIdentifier: ID, options: { fileName: 'call.exe' } }, /^Invalid file name: "call\.exe".* \[item 0\]$/, { items: wav() }),
	c('empty recording', 'upload', { interactionIdentifier: ID }, /^Invalid recording: the file "call-0042\.wav" is empty \[item 0\]$/, { items: [binaryItem('call-0042.wav', Buffer.alloc(0))] }),
	c('file without extension on Transcribe', 'transcribe', audio(), /^Invalid file name: "recording".* \[item 0\]$/, { items: [binaryItem('recording', recording(100))] }),

	// The credential's base URL: plain http only for loopback, so the token never travels in clear.
	c('http base URL to a public host', 'getStatus', { interactionIdentifier: ID }, /^Invalid Base URL in the ElevateAI credential: plain http to api\.example\.com would send the API token unencrypted/, { credentials: { apiToken: TEST_TOKEN, baseUrl: 'http://api.example.com/v1' } }),
	c('http base URL to a private IP', 'declare', chat(goodChat), /^Invalid Base URL in the ElevateAI credential: plain http to 10\.0\.0\.5/, { credentials: { apiToken: TEST_TOKEN, baseUrl: 'http://10.0.0.5/v1' } }),
	c('ftp base URL', 'getStatus', { interactionIdentifier: ID }, /^Invalid Base URL in the ElevateAI credential: "ftp:" is not supported; use https$/, { credentials: { apiToken: TEST_TOKEN, baseUrl: 'ftp://api.elevateai.com/v1' } }),
	c('base URL that is not a URL', 'getStatus', { interactionIdentifier: ID }, /^Invalid Base URL in the ElevateAI credential: "api\.elevateai\.com" is not a URL/, { credentials: { apiToken: TEST_TOKEN, baseUrl: 'api.elevateai.com' } }),
];

afterEach(() => nock.cleanAll());

describe('bad input never reaches ElevateAI', () => {
	it('has at least 40 cases', () => {
		expect(CASES.length).toBeGreaterThanOrEqual(40);
	});

	it.each(CASES.map((k) => [k.label, k] as const))('%s', async (_label, k) => {
		const requests = countUnmatchedRequests();
		try {
			const result = await runOne(k.operation, k.parameters, { items: k.items ?? [{ json: {} }], credentials: k.credentials });
			expect(result.error?.message).toMatch(k.message);
			expect(requests.count()).toBe(0);
			expect(nock.pendingMocks()).toEqual([]);
			// The node produced no output: the bad item did not slip through.
			expect(result.items).toEqual([]);
		} finally {
			requests.stop();
		}
	});
});

describe('the message names the item', () => {
	it('gives every bad item its own error, by index, with Continue On Fail, and sends nothing', async () => {
		const requests = countUnmatchedRequests();
		const result = await runOne(
			'getStatus',
			{ interactionIdentifier: '={{ $json.id }}' },
			{ items: [{ json: { id: '../x' } }, { json: { id: '' } }, { json: { id: 'abc' } }], continueOnFail: true },
		);
		requests.stop();
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.error)).toEqual([
			expect.stringMatching(/^Invalid Interaction ID: must be a GUID.* \[item 0\]$/),
			'Invalid Interaction ID: it is empty [item 1]',
			expect.stringMatching(/^Invalid Interaction ID: must be a GUID.* \[item 2\]$/),
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(requests.count()).toBe(0);
	});

	it('stops a Transcribe batch on a bad third item before declaring the two good ones', async () => {
		const requests = countUnmatchedRequests();
		const result = await runOne(
			'transcribe',
			{ interactionType: 'chat', chat: '={{ JSON.stringify($json.chat) }}' },
			{ items: [{ json: { chat: goodChat } }, { json: { chat: goodChat } }, { json: { chat: { ...goodChat, participants: [] } } }] },
		);
		requests.stop();
		expect(result.error?.message).toBe('Invalid Chat: participants must list at least one participant [item 2]');
		expect(requests.count()).toBe(0);
	});
});

describe('against the emulator', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ timing: 20 });
	});
	afterAll(async () => await emulator.close());

	const EMULATOR_CASES = CASES.filter((k) => !k.credentials).filter((_, i) => i % 3 === 0);

	it.each(EMULATOR_CASES.map((k) => [k.label, k] as const))('%s: the emulator sees no request', async (_label, k) => {
		emulator.reset();
		const result = await runChain({
			items: k.items ?? [{ json: {} }],
			credentials: emulatorCredentials(emulator),
			chain: [step('Node', k.operation, k.parameters)],
		});
		expect(result.error?.message).toMatch(k.message);
		expect(emulator.stats().totalRequests).toBe(0);
	});

});

import type { INodeProperties } from 'n8n-workflow';

import { LANGUAGE_TAGS } from '../helpers/model';

/** Fields used by several operations, each declared once. */

export const interactionIdentifier: INodeProperties = {
	displayName: 'Interaction ID',
	name: 'interactionIdentifier',
	type: 'string',
	default: '={{ $json.interactionIdentifier }}',
	required: true,
	placeholder: 'e.g. 3fa85f64-5717-4562-b3fc-2c963f66afa6',
	description:
		'The interactionIdentifier returned by Declare or Transcribe. By default it is taken from the input item.',
};

export const binaryPropertyName: INodeProperties = {
	displayName: 'Input Binary Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	required: true,
	hint: 'The name of the input binary field that holds the recording',
	description:
		'ElevateAI reads the codec from the file extension, so the file name must end in .wav, .mp3, .ogg, .m4a, .flac or another audio extension',
};

export const pollInterval: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	default: 30,
	typeOptions: { minValue: 1 },
	description:
		'How often to check the status of each interaction. ElevateAI asks for at most one check every 30 seconds for audio and every 5 seconds for chat and transcript interactions.',
};

export const timeout: INodeProperties = {
	displayName: 'Timeout (Minutes)',
	name: 'timeout',
	type: 'number',
	default: 60,
	typeOptions: { minValue: 0.1 },
	description:
		'How long to wait for processing before the item fails. Audio usually takes a few minutes; long recordings take longer.',
};

export const transcriptFormat: INodeProperties = {
	displayName: 'Transcript Format',
	name: 'transcriptFormat',
	type: 'options',
	default: 'punctuated',
	options: [
		{
			name: 'Phrase by Phrase',
			value: 'phraseByPhrase',
			description: 'Raw phrases per participant with time offsets and confidence scores',
		},
		{
			name: 'Punctuated',
			value: 'punctuated',
			description: 'Sentences with punctuation, each with its participant and time offsets',
		},
	],
	description: 'Which transcript to return. Both include redaction segments.',
};

export const interactionType: INodeProperties = {
	displayName: 'Interaction Type',
	name: 'interactionType',
	type: 'options',
	noDataExpression: true,
	default: 'audio',
	options: [
		{
			name: 'Audio',
			value: 'audio',
			description: 'A call recording, uploaded or fetched from a URL',
		},
		{
			name: 'Chat',
			value: 'chat',
			description: 'A chat conversation given as participants and messages',
		},
		{
			name: 'Transcript',
			value: 'transcript',
			description: 'A phrase-by-phrase transcript made elsewhere, to run CX AI on it',
		},
	],
};

export const languageTag: INodeProperties = {
	displayName: 'Language',
	name: 'languageTag',
	type: 'options',
	default: 'en-us',
	options: Object.entries(LANGUAGE_TAGS)
		.map(([value, name]) => ({ name, value }))
		.sort((a, b) => a.name.localeCompare(b.name)),
	description:
		'The language spoken in the interaction. Automatic Detection is for audio only; chat supports English and Latin American Spanish.',
};

export const vertical: INodeProperties = {
	displayName: 'Vertical',
	name: 'vertical',
	type: 'options',
	default: 'default',
	options: [{ name: 'Default', value: 'default' }],
	description: 'The industry model to use. ElevateAI offers only the default vertical today.',
};

export const includeAiResults: INodeProperties = {
	displayName: 'Include CX AI Results',
	name: 'includeAiResults',
	type: 'boolean',
	default: false,
	description:
		'Whether to compute CX AI behavioural scores (e.g. customer satisfaction, vulnerable customer). Billed as CX AI hours.',
};

export const chat: INodeProperties = {
	displayName: 'Chat',
	name: 'chat',
	type: 'json',
	default:
		'{\n  "participants": [\n    { "participant_id": "1", "name": "Agent", "role": "agent" },\n    { "participant_id": "2", "name": "Customer", "role": "customer" }\n  ],\n  "messages": [\n    { "participant_id": "2", "timestamp": "2024-01-01T10:00:00Z", "content": "Hello" }\n  ]\n}',
	required: true,
	displayOptions: { show: { interactionType: ['chat'] } },
	description:
		'The conversation as ElevateAI expects it: participants (participant_ID, name, role) and messages (participant_ID, timestamp in ISO 8601, content)',
};

export const transcript: INodeProperties = {
	displayName: 'Transcript',
	name: 'transcript',
	type: 'json',
	default:
		'{\n  "participantOne": { "phrases": ["Hello, how can I help?"], "phraseSegments": [{ "startTimeOffset": 0, "endTimeOffset": 1500, "phraseIndex": 0, "score": 0.98 }] },\n  "participantTwo": { "phrases": ["I have a question about my bill."], "phraseSegments": [{ "startTimeOffset": 1600, "endTimeOffset": 3500, "phraseIndex": 0, "score": 0.97 }] }\n}',
	required: true,
	displayOptions: { show: { interactionType: ['transcript'] } },
	description: "A phrase-by-phrase transcript in the shape of ElevateAI's own transcript output",
};

const audioOnly = { show: { '/interactionType': ['audio'] } };

export const declareAdditionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Audio Transcription Mode',
			name: 'audioTranscriptionMode',
			type: 'options',
			default: 'highAccuracy',
			displayOptions: audioOnly,
			options: [
				{ name: 'High Accuracy', value: 'highAccuracy' },
				{ name: 'High Speed', value: 'highSpeed' },
			],
			description:
				'Deprecated by ElevateAI: every interaction is transcribed in high accuracy since 2024. Sent only when set.',
		},
		{
			displayName: 'Download URI',
			name: 'downloadUri',
			type: 'string',
			default: '',
			displayOptions: audioOnly,
			placeholder: 'e.g. https://storage.example.com/calls/call-0042.wav',
			description:
				'A URL from which ElevateAI fetches the recording itself (https, a pre-signed URL, or sftp://[user:password@]host[:port]/~/path). Faster than uploading; no upload step is then needed.',
		},
		{
			displayName: 'External Identifier',
			name: 'externalIdentifier',
			type: 'string',
			default: '',
			placeholder: 'e.g. CRM call ID 00Q5e00000AbCdE',
			description:
				'Your own ID for this interaction, e.g. the CRM call or ticket ID, to match results later',
		},
		{
			displayName: 'Metadata (JSON)',
			name: 'metadata',
			type: 'json',
			default: '{\n  "direction": "inbound",\n  "agent": { "id": "", "name": "" }\n}',
			description:
				'Explore metadata (only for accounts with Explore enabled; others get an error). Values are strings; date-times are ISO 8601 UTC like 2023-08-03T15:27:09Z.',
		},
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: 'cx',
			displayOptions: audioOnly,
			options: [
				{ name: 'CX', value: 'cx', description: 'The contact-centre model, with redaction' },
				{ name: 'Echo', value: 'echo', description: 'The newer model, without redaction' },
			],
		},
		{
			displayName: 'Original File Name',
			name: 'originalFilename',
			type: 'string',
			default: '',
			placeholder: 'e.g. call-0042.wav',
			description: 'The file name shown in the ElevateAI portal',
		},
	],
};

export const concurrency: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 5,
	typeOptions: { minValue: 1, maxValue: 50 },
	description:
		'How many items to send to ElevateAI at once. Generative AI calls are further limited to 10 at once, as ElevateAI allows.',
};

export const maxRetries: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	default: 5,
	typeOptions: { minValue: 0, maxValue: 10 },
	description:
		'How often to retry a request that failed for a temporary reason (rate limit, server busy, network). Declares are retried only when ElevateAI proves nothing was created.',
};

/** Options every operation offers, appended to its own options. */
export const requestOptions: INodeProperties[] = [concurrency, maxRetries];

/** Builds an operation's Options collection from its own options plus the shared ones. */
export function optionsCollection(own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...own, ...requestOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export const fileNameOption: INodeProperties = {
	displayName: 'File Name',
	name: 'fileName',
	type: 'string',
	default: '',
	placeholder: 'e.g. call-0042.wav',
	description:
		"Send the file under this name instead of the binary's own. It must end in an audio extension, as ElevateAI reads the codec from it.",
};

export const summaryLanguageOption: INodeProperties = {
	displayName: 'Summary Language',
	name: 'summaryLanguage',
	type: 'string',
	default: '',
	placeholder: 'e.g. en-US',
	description:
		"Ask for the summary in this language (sent as Accept-Language). Empty means ElevateAI's default.",
};

/** A hint shown where a limit or consequence matters (notices carry no value). */
export function notice(name: string, text: string): INodeProperties {
	return { displayName: text, name, type: 'notice', default: '' };
}

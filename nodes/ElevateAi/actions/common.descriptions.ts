import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { OptionList, OptionValue } from '../helpers/contract';
import {
	CHAT_LANGUAGE_TAGS,
	DEFAULTS,
	GEN_AI_MAX_CONCURRENCY,
	LIMITS,
	OPTION_NAMES,
	POLL_GUIDANCE_SECONDS,
} from '../helpers/contract';

/**
 * Fields used by several operations, each declared once. Option lists, defaults and bounds come
 * from the contract; the help texts here are keyed by its values, so a value added there
 * without a text here fails to compile.
 */

// n8n's lint reads a parameter's `default` only as a literal or a plain name, hence these names.
const {
	binaryPropertyName: defaultBinaryField,
	timeoutMinutes: defaultTimeoutMinutes,
	transcriptFormat: defaultTranscriptFormat,
	interactionType: defaultInteractionType,
	languageTag: defaultLanguageTag,
	vertical: defaultVertical,
	audioTranscriptionMode: defaultAudioTranscriptionMode,
	model: defaultModel,
	agentParticipant: defaultAgentParticipant,
	transcriptFile: defaultTranscriptFile,
	transcriptFileField: defaultTranscriptFileField,
	speaker: defaultSpeaker,
	insight: defaultInsight,
	recordingSource: defaultRecordingSource,
	summary: defaultSummary,
} = DEFAULTS;
const defaultWithinSeconds = LIMITS.withinSeconds.default;
const automaticPollSeconds = LIMITS.pollIntervalSeconds.automatic;
const defaultConcurrency = LIMITS.concurrency.default;
const defaultMaxRetries = LIMITS.maxRetries.default;

/** The editor's options for a contract list, sorted by name, with help texts where given. */
export function optionsOf<L extends OptionList>(
	list: L,
	descriptions?: Readonly<Record<OptionValue<L>, string>>,
): INodePropertyOptions[] {
	return (Object.entries(OPTION_NAMES[list]) as Array<[OptionValue<L>, string]>)
		.map(([value, name]) =>
			descriptions ? { name, value, description: descriptions[value] } : { name, value },
		)
		.sort((a, b) => a.name.localeCompare(b.name));
}

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
	default: defaultBinaryField,
	required: true,
	hint: 'The name of the input binary field that holds the recording',
	description:
		'ElevateAI reads the codec from the file extension, so the file name must end in .wav, .mp3, .ogg, .m4a, .flac or another audio extension',
};

export const pollInterval: INodeProperties = {
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	default: automaticPollSeconds,
	typeOptions: { minValue: automaticPollSeconds },
	hint: `${automaticPollSeconds} = automatic: every ${POLL_GUIDANCE_SECONDS.audio} s for audio, every ${POLL_GUIDANCE_SECONDS.chat} s for chat and transcript, as ElevateAI asks`,
	description: `How often to check the status of each interaction. At ${automaticPollSeconds} the node picks ElevateAI's pace from the interaction's type (from the input item, or asked of ElevateAI once); any other value must be at least ${LIMITS.pollIntervalSeconds.min} second.`,
};

export const timeout: INodeProperties = {
	displayName: 'Timeout (Minutes)',
	name: 'timeout',
	type: 'number',
	default: defaultTimeoutMinutes,
	typeOptions: { minValue: LIMITS.timeoutMinutes.min },
	description:
		'How long to wait for processing before the item fails. Audio usually takes a few minutes; long recordings take longer.',
};

export const transcriptFormat: INodeProperties = {
	displayName: 'Transcript Format',
	name: 'transcriptFormat',
	type: 'options',
	default: defaultTranscriptFormat,
	options: optionsOf('transcriptFormat', {
		phraseByPhrase: 'Raw phrases per participant with time offsets and confidence scores',
		punctuated: 'Sentences with punctuation, each with its participant and time offsets',
	}),
	description: 'Which transcript to return. Both include redaction segments.',
};

export const interactionType: INodeProperties = {
	displayName: 'Interaction Type',
	name: 'interactionType',
	type: 'options',
	noDataExpression: true,
	default: defaultInteractionType,
	options: optionsOf('interactionType', {
		audio: 'A call recording, uploaded or fetched from a URL',
		chat: 'A chat conversation given as participants and messages',
		transcript: 'A phrase-by-phrase transcript made elsewhere, to run CX AI on it',
	}),
};

/** Language: every tag for audio and transcript, only the chat ones for chat (one field each). */
export const languageTags: INodeProperties[] = [
	{
		displayName: 'Language',
		name: 'languageTag',
		type: 'options',
		default: defaultLanguageTag,
		displayOptions: { show: { interactionType: ['audio', 'transcript'] } },
		options: optionsOf('languageTag'),
		description: 'The language spoken in the interaction. Automatic Detection is for audio only.',
	},
	{
		displayName: 'Language',
		name: 'languageTag',
		type: 'options',
		default: defaultLanguageTag,
		displayOptions: { show: { interactionType: ['chat'] } },
		options: optionsOf('languageTag').filter((option) =>
			CHAT_LANGUAGE_TAGS.includes(option.value as never),
		),
		description: 'The language of the chat. ElevateAI supports these languages for chat.',
	},
];

export const recordingSource: INodeProperties = {
	displayName: 'Recording Source',
	name: 'recordingSource',
	type: 'options',
	noDataExpression: true,
	default: defaultRecordingSource,
	displayOptions: { show: { interactionType: ['audio'] } },
	options: optionsOf('recordingSource', {
		binary: "The recording is the input item's binary file, uploaded to ElevateAI",
		url: 'ElevateAI fetches the recording itself from a URL: faster, and no binary is needed',
	}),
};

export const downloadUri: INodeProperties = {
	displayName: 'Download URI',
	name: 'downloadUri',
	type: 'string',
	default: '',
	required: true,
	displayOptions: { show: { interactionType: ['audio'], recordingSource: ['url'] } },
	placeholder: 'e.g. https://storage.example.com/calls/call-0042.wav',
	description:
		'The URL from which ElevateAI fetches the recording: https, a pre-signed URL, or sftp://[user:password@]host[:port]/~/path',
};

export const summary: INodeProperties = {
	displayName: 'Summary',
	name: 'summary',
	type: 'options',
	default: defaultSummary,
	options: optionsOf('summary', {
		none: 'No generative AI summary',
		summary: 'Add the generative AI summary of the conversation',
		summaryWithDetails:
			'Add the summary and its details: reasons, actions taken by the agent, entities and whether the issue was resolved',
	}),
	description: 'Which generative AI summary to add to the output',
};

export const vertical: INodeProperties = {
	displayName: 'Vertical',
	name: 'vertical',
	type: 'options',
	default: defaultVertical,
	options: optionsOf('vertical'),
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
	// Empty: a sample conversation here would declare a real, billed interaction when run unchanged.
	default: '',
	placeholder:
		'{ "participants": [{ "participant_id": "1", "name": "Agent", "role": "agent" }], "messages": [{ "participant_id": "1", "timestamp": "2024-01-01T10:00:00Z", "content": "Hello" }] }',
	hint: 'Usually an expression that maps the chat from the previous node',
	required: true,
	displayOptions: { show: { interactionType: ['chat'] } },
	description:
		'The conversation as ElevateAI expects it: participants (participant_ID, name, role) and messages (participant_ID, timestamp in ISO 8601, content)',
};

export const transcript: INodeProperties = {
	displayName: 'Transcript',
	name: 'transcript',
	type: 'json',
	default: '',
	placeholder:
		'{ "participantOne": { "phrases": ["Hello, how can I help?"], "phraseSegments": [{ "startTimeOffset": 0, "endTimeOffset": 1500, "phraseIndex": 0 }] } }',
	hint: 'Usually an expression that maps the transcript from the previous node',
	required: true,
	displayOptions: { show: { interactionType: ['transcript'] } },
	description: "A phrase-by-phrase transcript in the shape of ElevateAI's own transcript output",
};

const audioOnly = { show: { '/interactionType': ['audio'] } };
/**
 * An old parameter kept for saved workflows only: n8n drops a parameter its description does not
 * show, so it is shown while it is set, and never offered under Add Field / Add Option.
 */
export const whileSet = { _cnd: { exists: true as const } };

/** Deprecated by ElevateAI; the last entry of Add Field, and labelled so. */
const audioTranscriptionMode: INodeProperties = {
	displayName: 'Audio Transcription Mode (Deprecated)',
	name: 'audioTranscriptionMode',
	type: 'options',
	default: defaultAudioTranscriptionMode,
	displayOptions: audioOnly,
	options: optionsOf('audioTranscriptionMode'),
	description:
		'Deprecated by ElevateAI: every interaction is transcribed in high accuracy since 2024. Sent only when set.',
};

/**
 * Replaced by Recording Source → URL; kept for saved workflows (helpers/legacy.ts reads it), shown
 * only while set. Named, like Audio Transcription Mode, so that it can stay after the current fields.
 */
const oldDownloadUri: INodeProperties = {
	displayName: 'Download URI (Deprecated)',
	name: 'downloadUri',
	type: 'string',
	default: '',
	displayOptions: { show: { '/interactionType': ['audio'], downloadUri: [whileSet] } },
	description:
		'Replaced by Recording Source → URL. While Recording Source is Binary File, ElevateAI fetches the recording from this URL instead of the binary being uploaded, as before. To move it, choose Recording Source → URL, enter the URL there and delete this field.',
};

export const declareAdditionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
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
			// Empty: pre-filled keys make accounts without Explore fail.
			default: '',
			placeholder: '{ "direction": "inbound", "agentName": "Dana" }',
			description:
				'Explore metadata (only for accounts with Explore enabled; others get an error). Values are strings; date-times are ISO 8601 UTC like 2023-08-03T15:27:09Z.',
		},
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			default: defaultModel,
			displayOptions: audioOnly,
			options: optionsOf('model', {
				cx: 'The contact-centre model, with redaction',
				echo: 'The newer model, without redaction',
			}),
		},
		{
			displayName: 'Portal File Name',
			name: 'originalFilename',
			type: 'string',
			default: '',
			placeholder: 'e.g. call-0042.wav',
			description:
				"The name ElevateAI's portal lists the interaction under (sent as originalFilename). It does not rename the uploaded file.",
		},
		audioTranscriptionMode,
		oldDownloadUri,
	],
};

export const concurrency: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: defaultConcurrency,
	typeOptions: { minValue: LIMITS.concurrency.min, maxValue: LIMITS.concurrency.max },
	description: `How many items to send to ElevateAI at once. Transcribe's status checks and result reads, which cost no quota, run up to ${LIMITS.readConcurrencyFactor} times as many (at most ${LIMITS.concurrency.max}); generative AI calls at most ${GEN_AI_MAX_CONCURRENCY} at once, as ElevateAI allows.`,
};

export const maxRetries: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	default: defaultMaxRetries,
	typeOptions: { minValue: LIMITS.maxRetries.min, maxValue: LIMITS.maxRetries.max },
	description:
		'How often to retry a request that failed for a temporary reason (rate limit, server busy, network). Declares are retried only when ElevateAI proves nothing was created.',
};

/**
 * The declaration fields of Declare and Transcribe, with the operation's own fields for the
 * recording (after Recording Source) and for the results (after Include CX AI Results).
 */
export function declarationProperties(
	own: { recording?: INodeProperties[]; results?: INodeProperties[] } = {},
): INodeProperties[] {
	return [
		interactionType,
		recordingSource,
		downloadUri,
		...(own.recording ?? []),
		...languageTags,
		vertical,
		includeAiResults,
		...(own.results ?? []),
		chat,
		transcript,
		declareAdditionalFields,
	];
}

/** Options every operation offers, appended to its own options. */
export const requestOptions: INodeProperties[] = [concurrency, maxRetries];

/** Builds an operation's Options collection from its own options plus the shared ones. */
const isDeprecated = (property: INodeProperties) => property.displayName.endsWith('(Deprecated)');

export function optionsCollection(own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...own, ...requestOptions].sort(
			(a, b) =>
				Number(isDeprecated(a)) - Number(isDeprecated(b)) ||
				a.displayName.localeCompare(b.displayName),
		),
	};
}

export const fileNameOption: INodeProperties = {
	displayName: 'Upload File Name',
	name: 'fileName',
	type: 'string',
	default: '',
	placeholder: 'e.g. call-0042.wav',
	description:
		"Upload the recording under this name instead of the binary's own, e.g. when the binary has no audio extension: ElevateAI reads the codec from it",
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

/** Transcribe's Summary Language, shown once a Summary is chosen. */
export const summaryLanguage: INodeProperties = {
	...summaryLanguageOption,
	displayOptions: { show: { summary: ['summary', 'summaryWithDetails'] } },
};

/** A hint shown where a limit or consequence matters (notices carry no value). */
export function notice(name: string, text: string): INodeProperties {
	return { displayName: text, name, type: 'notice', default: '' };
}

export const simple: INodeProperties = {
	displayName: 'Simplify',
	name: 'simple',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

export const agentParticipantOption: INodeProperties = {
	displayName: 'Agent Participant',
	name: 'agentParticipant',
	type: 'options',
	default: defaultAgentParticipant,
	options: optionsOf('agentParticipant', {
		participantOne: 'The first participant is the agent, the second the customer',
		participantTwo: 'The second participant is the agent, the first the customer',
	}),
	description:
		'Which participant is the agent, so that texts and files say "Agent:" and "Customer:" instead of "Participant One/Two:". Chats declared by Transcribe use the roles they declare.',
};

/** Transcript File and its binary field, for the operations that return a transcript. */
export const transcriptFileOptions: INodeProperties[] = [
	{
		displayName: 'Transcript File',
		name: 'transcriptFile',
		type: 'options',
		default: defaultTranscriptFile,
		options: optionsOf('transcriptFile', {
			srt: 'SubRip subtitles with speaker labels, timed from the transcript',
			txt: 'The conversation as plain text, one line per turn',
			vtt: 'WebVTT subtitles with speaker labels, timed from the transcript',
		}),
		description:
			'Attach the transcript to the output item as a file, e.g. for a CRM record or a ticket',
	},
	{
		displayName: 'Transcript File Field',
		name: 'transcriptFileField',
		type: 'string',
		default: defaultTranscriptFileField,
		description: 'The output binary field that receives the transcript file',
	},
];

export const phrases: INodeProperties = {
	displayName: 'Phrases',
	name: 'phrases',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	placeholder: 'e.g. this call is recorded',
	description:
		'The phrases to look for, one per line, or an array of phrases from an expression. Whole words; case and punctuation are ignored.',
};

export const speaker: INodeProperties = {
	displayName: 'Speaker',
	name: 'speaker',
	type: 'options',
	default: defaultSpeaker,
	options: optionsOf('speaker'),
	description:
		'Count only the phrases this speaker said. Agent and Customer need the Agent Participant option.',
};

export const withinSeconds: INodeProperties = {
	displayName: 'Within First Seconds',
	name: 'withinSeconds',
	type: 'number',
	default: defaultWithinSeconds,
	typeOptions: { minValue: LIMITS.withinSeconds.min },
	description:
		'Count only the phrases said in the first this many seconds of the call, e.g. 30 for a disclosure at the start. 0 means the whole call.',
};

export const insight: INodeProperties = {
	displayName: 'Insight',
	name: 'insight',
	type: 'options',
	default: defaultInsight,
	options: optionsOf('insight', {
		actionItems: 'The actions the agent took or promised during the conversation',
		coachingAssistant: "The agent's behaviours and where coaching would help",
	}),
};

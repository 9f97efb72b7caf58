/**
 * The ElevateAI contract in one typed place: the values the API accepts (with the names the
 * editor shows), its statuses and what they mean for a wait, the identifier rule, and the node's
 * defaults and bounds. The UI descriptions, the zod schemas and the transport all read these,
 * so a value added here shows up everywhere at once.
 */

export const CREDENTIAL_TYPE = 'elevateAiApi';
export const DEFAULT_BASE_URL = 'https://api.elevateai.com/v1';

/**
 * The lists of values ElevateAI accepts, keyed by the node parameter that offers them, each
 * value with the name the editor shows.
 */
export const OPTION_NAMES = {
	interactionType: { audio: 'Audio', chat: 'Chat', transcript: 'Transcript' },
	/** Language tags ElevateAI accepts for audio. */
	languageTag: {
		auto: 'Automatic Detection',
		en: 'English (International)',
		'en-us': 'English (North America)',
		ja: 'Japanese',
		'pt-br': 'Portuguese (Brazil)',
		'es-419': 'Spanish (Latin America)',
	},
	vertical: { default: 'Default' },
	/** ElevateAI's own `model` field of a declare: the transcription model. */
	model: { cx: 'CX', echo: 'Echo' },
	audioTranscriptionMode: { highAccuracy: 'High Accuracy', highSpeed: 'High Speed' },
	transcriptFormat: { punctuated: 'Punctuated', phraseByPhrase: 'Phrase by Phrase' },
	/** ElevateAI's two participant groups; the node's Agent Participant option names one of them. */
	agentParticipant: { participantOne: 'Participant One', participantTwo: 'Participant Two' },
	/** The files the node can write a transcript into (not an ElevateAI value). */
	transcriptFile: { txt: 'Text (TXT)', srt: 'Subtitles (SRT)', vtt: 'WebVTT (VTT)' },
	/** Find Phrases: whose words count. */
	speaker: {
		any: 'Any',
		agent: 'Agent',
		customer: 'Customer',
		participantOne: 'Participant One',
		participantTwo: 'Participant Two',
	},
	/** Get Agent Insights: ElevateAI's generative AI agent endpoints. */
	insight: { actionItems: 'Action Items', coachingAssistant: 'Coaching Assistant' },
	/** Where an audio interaction's recording comes from (the node's vocabulary, not ElevateAI's). */
	recordingSource: { binary: 'Binary File', url: 'URL' },
	/** Transcribe: which generative AI summary to add (none, the summary, or it with its details). */
	summary: { none: 'None', summary: 'Summary', summaryWithDetails: 'Summary With Details' },
} as const;

export type OptionList = keyof typeof OPTION_NAMES;
export type OptionValue<L extends OptionList> = keyof (typeof OPTION_NAMES)[L] & string;

/** A list's values in the contract's order, as zod's `z.enum` takes them. */
export function optionValues<L extends OptionList>(list: L): [OptionValue<L>, ...OptionValue<L>[]] {
	return Object.keys(OPTION_NAMES[list]) as [OptionValue<L>, ...OptionValue<L>[]];
}

export type InteractionType = OptionValue<'interactionType'>;
export type LanguageTag = OptionValue<'languageTag'>;
export type TranscriptFormat = OptionValue<'transcriptFormat'>;
export type Participant = OptionValue<'agentParticipant'>;
export type TranscriptFileFormat = OptionValue<'transcriptFile'>;
export type Speaker = OptionValue<'speaker'>;
export type AgentInsight = OptionValue<'insight'>;
export type RecordingSource = OptionValue<'recordingSource'>;
export type SummaryChoice = OptionValue<'summary'>;

/**
 * Chat interactions support fewer languages than audio (no detection, no Japanese or Portuguese):
 * the editor offers chat only these, and validation refuses the others (e.g. from an expression).
 */
export const CHAT_LANGUAGE_TAGS: readonly LanguageTag[] = ['en-us', 'en', 'es-419'];

/** The defaults of the node's fields, where the UI and the parameter readers both need them. */
export const DEFAULTS = {
	interactionType: 'audio',
	languageTag: 'en-us',
	vertical: 'default',
	model: 'cx',
	audioTranscriptionMode: 'highAccuracy',
	transcriptFormat: 'punctuated',
	binaryPropertyName: 'data',
	timeoutMinutes: 60,
	/** Options that are unset until added: the value they take when added in the editor. */
	agentParticipant: 'participantOne',
	transcriptFile: 'txt',
	speaker: 'any',
	insight: 'actionItems',
	recordingSource: 'binary',
	summary: 'none',
	/** Simplify: n8n's convention, on by default. */
	simple: true,
	transcriptFileField: 'transcript',
} as const satisfies { [L in OptionList]: OptionValue<L> } & {
	binaryPropertyName: string;
	timeoutMinutes: number;
	simple: boolean;
	transcriptFileField: string;
};

/** The bounds of the node's numeric options, and their defaults. */
export const LIMITS = {
	/** Items sent to ElevateAI at once (ElevateAI's own limits make 5 a safe default). */
	concurrency: { default: 5, min: 1, max: 50 },
	/**
	 * Status checks and result reads cost no quota and little work at ElevateAI, and a batch makes
	 * several per declare (Transcribe: 4–6 per chat), so they may run this many times Concurrency
	 * at once (never more than `concurrency.max`); bench P6, docs/performance.md.
	 */
	readConcurrencyFactor: 4,
	/** Repeats of a request that failed for a temporary reason. */
	maxRetries: { default: 5, min: 0, max: 10 },
	/** 0 (the default) is automatic: ElevateAI's pace for the interaction's type. */
	pollIntervalSeconds: { automatic: 0, min: 1 },
	/** The smallest Timeout the editor offers; validation only asks for more than 0. */
	timeoutMinutes: { min: 0.1 },
	/** Find Phrases: how many phrases an item may check, and how long each may be. */
	phrases: { max: 100, maxLength: 200 },
	/** Find Phrases: 0 means the whole call. */
	withinSeconds: { default: 0, min: 0 },
	/** The name of the binary field a transcript file goes into. */
	transcriptFileField: { maxLength: 100 },
} as const;

/** ElevateAI asks clients not to poll more often than this, per interaction type. */
export const POLL_GUIDANCE_SECONDS: Readonly<Record<InteractionType, number>> = {
	audio: 30,
	chat: 5,
	transcript: 5,
};

/**
 * How Wait For Completion waits (the node's own vocabulary, not ElevateAI's): `poll` in the node
 * until done, or `route`: check once and send unfinished items to a second output.
 */
export const WAIT_MODES = ['poll', 'route'] as const;
export type WaitMode = (typeof WAIT_MODES)[number];

export function isInteractionType(value: unknown): value is InteractionType {
	return typeof value === 'string' && Object.hasOwn(POLL_GUIDANCE_SECONDS, value);
}

/** The automatic Poll Interval: ElevateAI's pace for the type; audio's (the slower) when unknown. */
export function guidedPollSeconds(type: unknown): number {
	return isInteractionType(type) ? POLL_GUIDANCE_SECONDS[type] : POLL_GUIDANCE_SECONDS.audio;
}

/** Generative AI calls are limited to this many at once per account. */
export const GEN_AI_MAX_CONCURRENCY = 10;

/**
 * Every status ElevateAI reports, and what it means for a caller waiting on it: `done`
 * (processed), `failed`, or still `pending`. The polling helper speaks the same three words.
 */
export const STATUS_OUTCOME = {
	declared: 'pending',
	filePendingUpload: 'pending',
	fileUploading: 'pending',
	fileUploaded: 'pending',
	filePendingDownload: 'pending',
	fileDownloading: 'pending',
	fileDownloaded: 'pending',
	pendingProcessing: 'pending',
	processing: 'pending',
	processed: 'done',
	fileUploadFailed: 'failed',
	fileDownloadFailed: 'failed',
	processingFailed: 'failed',
} as const;
export type InteractionStatus = keyof typeof STATUS_OUTCOME;
export type StatusOutcome = (typeof STATUS_OUTCOME)[InteractionStatus];

/** Statuses in which ElevateAI has no file yet, so sending it (again) cannot duplicate anything. */
export const STATUSES_AWAITING_FILE: readonly string[] = [
	'declared',
	'filePendingUpload',
] satisfies InteractionStatus[];

/** Statuses that prove ElevateAI received the whole uploaded file. */
export const STATUSES_WITH_FILE: readonly string[] = [
	'fileUploaded',
	'pendingProcessing',
	'processing',
	'processed',
	'processingFailed',
] satisfies InteractionStatus[];

/** Unknown statuses (a newer API) are treated as still running rather than failing a batch. */
export function statusOutcome(status: unknown): StatusOutcome {
	return (STATUS_OUTCOME as Record<string, StatusOutcome>)[String(status)] ?? 'pending';
}

export interface InteractionStatusResponse {
	identifier?: string;
	status: InteractionStatus | string;
	declared?: string | null;
	uploaded?: string | null;
	downloaded?: string | null;
	processed?: string | null;
	errorMessage?: string | null;
	[key: string]: unknown;
}

/** Identifiers are GUIDs; nothing else may be placed in a request path. */
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
	return typeof value === 'string' && GUID_PATTERN.test(value);
}

/** File extensions ElevateAI reads a codec from. */
export const AUDIO_EXTENSIONS = [
	'aac',
	'amr',
	'avi',
	'flac',
	'm4a',
	'mov',
	'mp3',
	'mp4',
	'ogg',
	'opus',
	'wav',
	'webm',
	'wma',
	'wmv',
] as const;

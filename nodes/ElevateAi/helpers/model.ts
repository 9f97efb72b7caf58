/**
 * The ElevateAI vocabulary in one place: interaction types, languages, models, statuses and the
 * identifier rule. Descriptions, validation, polling and the emulator-facing tests all read
 * these lists, so a value added here shows up everywhere at once.
 */

export const INTERACTION_TYPES = ['audio', 'chat', 'transcript'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** Language tags ElevateAI accepts for audio, with their display names. */
export const LANGUAGE_TAGS = {
	auto: 'Automatic Detection',
	en: 'English (International)',
	'en-us': 'English (North America)',
	ja: 'Japanese',
	'pt-br': 'Portuguese (Brazil)',
	'es-419': 'Spanish (Latin America)',
} as const;
export type LanguageTag = keyof typeof LANGUAGE_TAGS;
export const LANGUAGE_TAG_VALUES = Object.keys(LANGUAGE_TAGS) as [LanguageTag, ...LanguageTag[]];

/** Chat interactions support fewer languages than audio. */
export const CHAT_LANGUAGE_TAGS: readonly LanguageTag[] = ['en-us', 'en', 'es-419'];

export const VERTICALS = ['default'] as const;
export const MODELS = ['cx', 'echo'] as const;
export const AUDIO_TRANSCRIPTION_MODES = ['highAccuracy', 'highSpeed'] as const;
export const TRANSCRIPT_FORMATS = ['punctuated', 'phraseByPhrase'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/** Every status ElevateAI reports, and what it means for a caller waiting on it. */
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
	processed: 'success',
	fileUploadFailed: 'failure',
	fileDownloadFailed: 'failure',
	processingFailed: 'failure',
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

/** ElevateAI asks clients not to poll more often than this, per interaction type. */
export const POLL_GUIDANCE_SECONDS: Record<InteractionType, number> = {
	audio: 30,
	chat: 5,
	transcript: 5,
};

/** Generative AI calls are limited to this many at once per account. */
export const GEN_AI_MAX_CONCURRENCY = 10;

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

export const DEFAULT_BASE_URL = 'https://api.elevateai.com/v1';
export const CREDENTIAL_TYPE = 'elevateAiApi';

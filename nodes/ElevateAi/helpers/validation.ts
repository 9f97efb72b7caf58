import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError, jsonParse } from 'n8n-workflow';
import { z } from 'zod';

import { toBoolean } from './booleans';
import type { TranscriptFormat } from './contract';
import {
	CHAT_LANGUAGE_TAGS,
	DEFAULTS,
	GUID_PATTERN,
	LIMITS,
	guidedPollSeconds,
	optionValues,
} from './contract';
import { invalidItemMessage } from './errors';
import { isLanguageTag, isMediaType } from './headerValues';
import type { CallOptions } from './interfaces';

/**
 * Every user-supplied value is checked here, before any request is built, so that a bad value
 * costs nothing (no quota, no half-created interaction) and the error names the field and item.
 */

const ISO_UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export const guidSchema = z
	.string()
	.trim()
	.regex(GUID_PATTERN, 'must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6');

export const interactionTypeSchema = z.enum(optionValues('interactionType'));
export const languageTagSchema = z.enum(optionValues('languageTag'));
export const verticalSchema = z.enum(optionValues('vertical'));
export const modelSchema = z.enum(optionValues('model'));
export const audioTranscriptionModeSchema = z.enum(optionValues('audioTranscriptionMode'));
export const transcriptFormatSchema = z.enum(optionValues('transcriptFormat'));
export const recordingSourceSchema = z.enum(optionValues('recordingSource'));
export const summaryChoiceSchema = z.enum(optionValues('summary'));

export const downloadUriSchema = z
	.string()
	.trim()
	.min(1, 'must not be empty')
	.superRefine((value, ctx) => {
		const problem = downloadUriProblem(value);
		if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
	});

function downloadUriProblem(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'must be an absolute URL (https://…, http://… or sftp://host/~/path)';
	}
	if (url.protocol === 'https:' || url.protocol === 'http:') {
		return url.hostname ? undefined : 'must name a host';
	}
	if (url.protocol === 'sftp:') {
		if (!url.hostname) return 'must name the SFTP host (sftp://[user:password@]host[:port]/~/path)';
		if (!url.pathname.startsWith('/~/') || url.pathname.length <= 3) {
			return 'must point at a file under the home folder, as sftp://[user:password@]host[:port]/~/path/file.wav';
		}
		return undefined;
	}
	return `uses "${url.protocol.replace(':', '')}"; ElevateAI downloads from https, http or sftp only`;
}

const metadataText = z.string({ invalid_type_error: 'must be a string' });
const metadataDateTime = metadataText.regex(
	ISO_UTC_DATE_TIME,
	'must be an ISO 8601 UTC date-time such as 2023-08-03T15:27:09Z',
);
const slots = (value: z.ZodString) => z.record(z.string(), value);
const idAndName = z.object({ id: metadataText.optional(), name: metadataText.optional() }).strict();

/** Explore metadata: every value is a string; unknown keys are allowed (the server ignores them). */
export const metadataSchema = z
	.object({
		category: metadataText.optional(),
		direction: metadataText.optional(),
		recorded: metadataDateTime.optional(),
		site: metadataText.optional(),
		customer: metadataText.optional(),
		audio: z
			.object({ extension: metadataText.optional(), dnis: metadataText.optional() })
			.strict()
			.optional(),
		agent: z
			.object({
				id: metadataText.optional(),
				name: metadataText.optional(),
				supervisor: idAndName.optional(),
				group: idAndName.optional(),
			})
			.strict()
			.optional(),
		custom: z
			.object({
				dateTimes: slots(metadataDateTime).optional(),
				texts: slots(metadataText).optional(),
				integers: slots(
					metadataText.regex(/^-?\d+$/, 'must be a whole number written as a string'),
				).optional(),
				decimals: slots(
					metadataText.regex(/^-?\d+(\.\d+)?$/, 'must be a decimal number written as a string'),
				).optional(),
			})
			.strict()
			.optional(),
	})
	.catchall(
		z.union([metadataText, z.record(z.string(), z.unknown())], {
			// Without this, zod reports a bad unknown key as "Invalid input".
			errorMap: () => ({ message: 'must be a string (or an object of strings)' }),
		}),
	);

// ElevateAI expects string ids; numbers from a CRM export are accepted and sent as strings.
const participantId = z.union([z.string().min(1), z.number().transform(String)]);

export const chatSchema = z
	.object({
		participants: z
			.array(
				z.object({
					participant_id: participantId,
					name: z.string(),
					role: z.string().min(1),
				}),
			)
			.min(1, 'must list at least one participant'),
		messages: z
			.array(
				z.object({
					participant_id: participantId,
					timestamp: z.string().regex(ISO_DATE_TIME, 'must be an ISO 8601 date-time'),
					content: z.string(),
				}),
			)
			.min(1, 'must contain at least one message'),
	})
	.superRefine((chat, ctx) => {
		const known = new Set(chat.participants.map((p) => String(p.participant_id)));
		chat.messages.forEach((message, index) => {
			if (!known.has(String(message.participant_id))) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['messages', index, 'participant_id'],
					message: `"${message.participant_id}" is not one of the participants`,
				});
			}
		});
	});

const offset = z.number().int().nonnegative();
const participantTranscript = z.object({
	phrases: z.array(z.string()),
	phraseSegments: z.array(
		z.object({
			startTimeOffset: offset,
			endTimeOffset: offset,
			phraseIndex: z.number().int().nonnegative(),
			score: z.number().optional(),
		}),
	),
});

export const transcriptSchema = z
	.object({
		allParticipants: participantTranscript.optional(),
		participantOne: participantTranscript.optional(),
		participantTwo: participantTranscript.optional(),
		redactionSegments: z.array(z.record(z.string(), z.unknown())).optional(),
	})
	.refine((t) => t.allParticipants ?? t.participantOne ?? t.participantTwo, {
		message: 'must contain allParticipants, participantOne or participantTwo with phrases',
	});

const { concurrency, maxRetries, pollIntervalSeconds } = LIMITS;
export const pollIntervalSchema = z
	.number()
	.finite()
	.refine(
		(seconds) => seconds === pollIntervalSeconds.automatic || seconds >= pollIntervalSeconds.min,
		`must be ${pollIntervalSeconds.automatic} (automatic) or at least ${pollIntervalSeconds.min} second${pollIntervalSeconds.min === 1 ? '' : 's'}`,
	);
export const timeoutSchema = z.number().finite().positive('must be more than 0 minutes');
export const concurrencySchema = z
	.number()
	.int('must be a whole number')
	.min(concurrency.min)
	.max(concurrency.max);
export const maxRetriesSchema = z
	.number()
	.int('must be a whole number')
	.min(maxRetries.min)
	.max(maxRetries.max);

/** Shows where the bad value is, e.g. `messages[2].timestamp must be an ISO 8601 date-time`. */
function describeIssue(issue: z.ZodIssue): string {
	const path = issue.path
		.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
		.join('');
	const message =
		issue.code === 'invalid_enum_value'
			? `must be one of: ${issue.options.join(', ')}`
			: issue.code === 'invalid_type' && issue.received === 'undefined'
				? 'is missing'
				: issue.message;
	return path ? `${path} ${message}` : message;
}

function shown(value: unknown): string {
	const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	return text === undefined ? 'nothing' : text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** Parses a value or throws a NodeOperationError that names the field and the item. */
export function parseField<T extends z.ZodTypeAny>(
	node: INode,
	itemIndex: number,
	field: string,
	schema: T,
	value: unknown,
): z.output<T> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const detail = describeIssue(issue);
	const scalar = typeof value !== 'object' || value === null;
	throw new NodeOperationError(node, invalidItemMessage(field, detail, itemIndex), {
		itemIndex,
		description: scalar ? `Received ${shown(value)}.` : undefined,
	});
}

/** One parameter of one item, read and checked: the error names the field by its label. */
export function readParameter<T extends z.ZodTypeAny>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	label: string,
	schema: T,
	fallback: unknown,
): z.output<T> {
	return parseField(
		ctx.getNode(),
		itemIndex,
		label,
		schema,
		ctx.getNodeParameter(parameter, itemIndex, fallback),
	);
}

/** A free-text field's value, trimmed; `undefined` when it is not text or only blanks. */
export const optionalText = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** JSON parameters arrive as text from the editor or as objects from expressions. */
export function parseJsonField(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') {
		throw new NodeOperationError(node, invalidItemMessage(field, 'it is empty', itemIndex), {
			itemIndex,
		});
	}
	try {
		return jsonParse(value);
	} catch (error) {
		throw new NodeOperationError(
			node,
			invalidItemMessage(field, 'it is not valid JSON', itemIndex),
			{
				itemIndex,
				description: (error as Error).message,
			},
		);
	}
}

export function parseInteractionIdentifier(node: INode, itemIndex: number, value: unknown): string {
	if (value === undefined || value === null || value === '') {
		throw new NodeOperationError(
			node,
			invalidItemMessage('Interaction ID', 'it is empty', itemIndex),
			{
				itemIndex,
				description:
					'Map the interactionIdentifier returned by a Declare (or Transcribe) operation, e.g. {{ $json.interactionIdentifier }}.',
			},
		);
	}
	return parseField(node, itemIndex, 'Interaction ID', guidSchema, value).toLowerCase();
}

export function assertChatLanguage(node: INode, itemIndex: number, languageTag: string): void {
	if (!CHAT_LANGUAGE_TAGS.includes(languageTag as never)) {
		throw new NodeOperationError(
			node,
			invalidItemMessage(
				'Language',
				`chat interactions support ${CHAT_LANGUAGE_TAGS.join(', ')}`,
				itemIndex,
			),
			{ itemIndex, description: `Received "${languageTag}".` },
		);
	}
}

/** Reads the item's `interactionIdentifier` parameter and checks it before it reaches a URL. */
export function readInteractionIdentifier(ctx: IExecuteFunctions, itemIndex: number): string {
	return parseInteractionIdentifier(
		ctx.getNode(),
		itemIndex,
		ctx.getNodeParameter('interactionIdentifier', itemIndex),
	);
}

/** The item's call options for the ElevateAI client: its index and its Max Retries. */
export function readCallOptions(ctx: IExecuteFunctions, itemIndex: number): CallOptions {
	const value = ctx.getNodeParameter('options.maxRetries', itemIndex, maxRetries.default);
	return {
		itemIndex,
		maxRetries: parseField(ctx.getNode(), itemIndex, 'Max Retries', maxRetriesSchema, value),
	};
}

export interface WaitSettings {
	intervalMs: number;
	timeoutMs: number;
	/** Poll Interval is automatic, and `intervalMs` follows `type` (audio's pace when unknown). */
	automatic: boolean;
}

/**
 * Poll Interval and Timeout of one item, in milliseconds. An automatic Poll Interval (0) is
 * ElevateAI's pace for the interaction's `type`: 5 s for chat and transcript, 30 s for audio.
 */
export function readWaitSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	type?: unknown,
): WaitSettings {
	const interval = readParameter(
		ctx,
		itemIndex,
		'pollInterval',
		'Poll Interval',
		pollIntervalSchema,
		pollIntervalSeconds.automatic,
	);
	const automatic = interval === pollIntervalSeconds.automatic;
	return {
		intervalMs: (automatic ? guidedPollSeconds(type) : interval) * 1000,
		timeoutMs: readTimeoutMs(ctx, itemIndex),
		automatic,
	};
}

/** The Timeout of one item, in milliseconds. */
export function readTimeoutMs(ctx: IExecuteFunctions, itemIndex: number): number {
	const minutes = readParameter(
		ctx,
		itemIndex,
		'timeout',
		'Timeout',
		timeoutSchema,
		DEFAULTS.timeoutMinutes,
	);
	return minutes * 60_000;
}

export function readTranscriptFormat(ctx: IExecuteFunctions, itemIndex: number): TranscriptFormat {
	const value = ctx.getNodeParameter('transcriptFormat', itemIndex, DEFAULTS.transcriptFormat);
	return parseField(ctx.getNode(), itemIndex, 'Transcript Format', transcriptFormatSchema, value);
}

/** A boolean parameter, as n8n users pass it (true/false, "true"/"false", 1/0), or an error naming it. */
export function parseBooleanField(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
): boolean {
	const parsed = toBoolean(value);
	if (parsed !== undefined) return parsed;
	throw new NodeOperationError(
		node,
		invalidItemMessage(field, 'must be true or false', itemIndex),
		{
			itemIndex,
			description: `Received ${shown(value)}. An expression must give true or false (or "true", "false", 1, 0).`,
		},
	);
}

/** Reads a boolean parameter of the item (the fallback when unset) through `parseBooleanField`. */
export function readBoolean(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	field: string,
	fallback = false,
): boolean {
	return parseBooleanField(
		ctx.getNode(),
		itemIndex,
		field,
		ctx.getNodeParameter(name, itemIndex, fallback),
	);
}

/** An optional language tag sent as Accept-Language: empty means none; otherwise BCP 47. */
export function parseLanguageTagField(
	node: INode,
	itemIndex: number,
	field: string,
	value: unknown,
): string | undefined {
	const text = typeof value === 'string' ? value.trim() : value;
	if (text === undefined || text === null || text === '') return undefined;
	if (typeof text === 'string' && isLanguageTag(text)) return text;
	throw new NodeOperationError(
		node,
		invalidItemMessage(field, 'must be a BCP 47 language tag such as en-US', itemIndex),
		{ itemIndex, description: `Received ${shown(value)}.` },
	);
}

/**
 * A Summary Language parameter (`options.summaryLanguage` unless named), checked as a BCP 47 tag
 * because it is sent as a header.
 */
export function readSummaryLanguage(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'options.summaryLanguage',
): string | undefined {
	return parseLanguageTagField(
		ctx.getNode(),
		itemIndex,
		'Summary Language',
		ctx.getNodeParameter(name, itemIndex, ''),
	);
}

/** The MIME type of a recording, sent in the upload's part header: `type/subtype` only. */
export function parseMediaTypeField(node: INode, itemIndex: number, value: string): string {
	const text = value.trim();
	if (isMediaType(text)) return text;
	throw new NodeOperationError(
		node,
		invalidItemMessage('MIME type', 'must look like audio/wav', itemIndex),
		{
			itemIndex,
			description: `Received ${shown(value)}. Fix the binary's MIME type (e.g. with an Edit Fields node) or leave it empty.`,
		},
	);
}

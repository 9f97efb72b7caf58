import type { IBinaryKeyData, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

import { simplifyAiResults } from './aiScores';
import { DEFAULTS, LIMITS, optionValues } from './contract';
import type { AgentParticipant } from './transcript';
import { conversationText, normalizeTranscript, simplifyTranscript } from './transcript';
import type { TranscriptFileFormat } from './transcriptFile';
import { transcriptFile } from './transcriptFile';
import { parseField, readParameter } from './validation';

/**
 * How an item wants its transcript and CX AI results: simplified or raw, with which speaker
 * labels, and as which file. Read and checked before any request (Simplify, Options → Agent
 * Participant, Transcript File, Transcript File Field).
 */
export interface OutputSettings {
	simple: boolean;
	agent: AgentParticipant;
	file?: { format: TranscriptFileFormat; field: string };
}

const agentParticipantSchema = z.enum(optionValues('agentParticipant'));
const transcriptFileSchema = z.enum(optionValues('transcriptFile'));
const fileFieldSchema = z
	.string()
	.trim()
	.min(1, 'must not be empty')
	.max(LIMITS.transcriptFileField.maxLength, 'is too long');

export function readAgentParticipant(ctx: IExecuteFunctions, itemIndex: number): AgentParticipant {
	const value = ctx.getNodeParameter('options.agentParticipant', itemIndex, '');
	if (value === '' || value === undefined || value === null) return undefined;
	return parseField(ctx.getNode(), itemIndex, 'Agent Participant', agentParticipantSchema, value);
}

export function readOutputSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ files }: { files: boolean },
): OutputSettings {
	const node = ctx.getNode();
	const simple = ctx.getNodeParameter('simple', itemIndex, DEFAULTS.simple) !== false;
	const settings: OutputSettings = { simple, agent: readAgentParticipant(ctx, itemIndex) };
	if (!files) return settings;
	const format = ctx.getNodeParameter('options.transcriptFile', itemIndex, '');
	if (format === '' || format === undefined || format === null) return settings;
	settings.file = {
		format: parseField(node, itemIndex, 'Transcript File', transcriptFileSchema, format),
		field: readParameter(
			ctx,
			itemIndex,
			'options.transcriptFileField',
			'Transcript File Field',
			fileFieldSchema,
			DEFAULTS.transcriptFileField,
		),
	};
	return settings;
}

/** The transcript as the item's json: simplified, or ElevateAI's fields plus the labelled `text`. */
export function transcriptJson(
	transcript: IDataObject | undefined,
	settings: OutputSettings,
): IDataObject {
	if (settings.simple) return simplifyTranscript(transcript, settings.agent);
	return {
		...transcript,
		text: conversationText(normalizeTranscript(transcript).segments, settings.agent),
	};
}

export function aiResultsJson(ai: IDataObject, settings: OutputSettings): IDataObject {
	return settings.simple ? simplifyAiResults(ai, settings.agent) : ai;
}

/** The transcript file in the binary field the item asked for (none when it asked for none). */
export async function transcriptBinary(
	ctx: IExecuteFunctions,
	transcript: IDataObject | undefined,
	settings: OutputSettings,
	baseName: string,
): Promise<IBinaryKeyData | undefined> {
	if (!settings.file) return undefined;
	const file = transcriptFile(
		settings.file.format,
		normalizeTranscript(transcript),
		settings.agent,
		baseName,
	);
	const data = await ctx.helpers.prepareBinaryData(
		Buffer.from(file.content, 'utf8'),
		file.fileName,
		file.mimeType,
	);
	return { [settings.file.field]: data };
}

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { InteractionType } from './contract';
import { DEFAULTS } from './contract';
import { readRecordingWanted } from './legacy';
import { withoutPassword } from './output';
import {
	assertChatLanguage,
	audioTranscriptionModeSchema,
	chatSchema,
	downloadUriSchema,
	interactionTypeSchema,
	languageTagSchema,
	metadataSchema,
	modelSchema,
	optionalText,
	parseField,
	parseJsonField,
	readBoolean,
	transcriptSchema,
	verticalSchema,
} from './validation';

/** A declare as Declare and Transcribe read it from an item: validated, not yet sent. */
export interface Declaration {
	type: InteractionType;
	/** The request body, validated. */
	body: IDataObject;
	/** What the output echoes: the body without the chat/transcript payloads and secrets. */
	summary: IDataObject;
	/** Audio from a Binary File (no Download URI) needs its file uploaded after the declare. */
	needsUpload: boolean;
}

/** Reads and validates the declaration parameters of one item; sends nothing. */
export function readDeclaration(ctx: IExecuteFunctions, itemIndex: number): Declaration {
	const node = ctx.getNode();
	const param = (name: string, fallback?: unknown) =>
		ctx.getNodeParameter(name, itemIndex, fallback);
	const type = parseField(
		node,
		itemIndex,
		'Interaction Type',
		interactionTypeSchema,
		param('interactionType'),
	);
	const language = parseField(
		node,
		itemIndex,
		'Language',
		languageTagSchema,
		param('languageTag', DEFAULTS.languageTag),
	);
	if (type === 'chat') assertChatLanguage(node, itemIndex, language);
	const body: IDataObject = {
		type,
		languageTag: language,
		vertical: parseField(
			node,
			itemIndex,
			'Vertical',
			verticalSchema,
			param('vertical', DEFAULTS.vertical),
		),
		includeAiResults: readBoolean(ctx, itemIndex, 'includeAiResults', 'Include CX AI Results'),
	};

	const fields = (param('additionalFields', {}) ?? {}) as IDataObject;
	// Chat and transcript have no recording; audio's comes from its binary or a Download URI.
	const recording = type === 'audio' ? readRecordingWanted(ctx, itemIndex) : undefined;
	if (recording && recording.downloadUri !== undefined)
		body.downloadUri = parseField(
			node,
			itemIndex,
			'Download URI',
			downloadUriSchema,
			recording.downloadUri,
		);
	if (type === 'audio') {
		if (fields.model) body.model = parseField(node, itemIndex, 'Model', modelSchema, fields.model);
		if (fields.audioTranscriptionMode) {
			body.audioTranscriptionMode = parseField(
				node,
				itemIndex,
				'Audio Transcription Mode',
				audioTranscriptionModeSchema,
				fields.audioTranscriptionMode,
			);
		}
	}
	const originalFilename = optionalText(fields.originalFilename);
	if (originalFilename) body.originalFilename = originalFilename;
	const externalIdentifier = optionalText(fields.externalIdentifier);
	if (externalIdentifier) body.externalIdentifier = externalIdentifier;
	const metadataSet =
		fields.metadata !== undefined &&
		fields.metadata !== null &&
		(typeof fields.metadata !== 'string' || fields.metadata.trim() !== '');
	if (metadataSet) {
		const metadata = parseJsonField(node, itemIndex, 'Metadata', fields.metadata);
		body.metadata = parseField(
			node,
			itemIndex,
			'Metadata',
			metadataSchema,
			metadata,
		) as IDataObject;
	}

	const summary: IDataObject = { ...body };
	if (typeof body.downloadUri === 'string') summary.downloadUri = withoutPassword(body.downloadUri);

	if (type === 'chat') {
		const value = parseJsonField(node, itemIndex, 'Chat', param('chat'));
		const parsed = parseField(node, itemIndex, 'Chat', chatSchema, value);
		body.chat = parsed as IDataObject;
		summary.messageCount = parsed.messages.length;
	}
	if (type === 'transcript') {
		const value = parseJsonField(node, itemIndex, 'Transcript', param('transcript'));
		body.transcript = parseField(
			node,
			itemIndex,
			'Transcript',
			transcriptSchema,
			value,
		) as IDataObject;
	}
	return { type, body, summary, needsUpload: type === 'audio' && body.downloadUri === undefined };
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import type { TranscriptFormat } from '../../helpers/model';
import { toItem, transcriptText } from '../../helpers/output';
import { fetchResult } from '../../helpers/results';
import {
	parseField,
	readInteractionIdentifier,
	transcriptFormatSchema,
} from '../../helpers/validation';
import { interactionIdentifier, optionsCollection, transcriptFormat } from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	transcriptFormat,
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getTranscript'] } },
	properties,
);

const PATHS: Record<TranscriptFormat, string> = {
	punctuated: '/transcripts/punctuated',
	phraseByPhrase: '/transcript',
};

export function readTranscriptFormat(ctx: IExecuteFunctions, itemIndex: number): TranscriptFormat {
	const value = ctx.getNodeParameter('transcriptFormat', itemIndex, 'punctuated');
	return parseField(ctx.getNode(), itemIndex, 'Transcript Format', transcriptFormatSchema, value);
}

/**
 * The transcript with `text` added: the conversation as plain text. An empty transcript
 * (ElevateAI answers 204 when nothing was said) gives empty text rather than an error.
 */
export async function fetchTranscript(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identifier: string,
	format: TranscriptFormat,
): Promise<IDataObject> {
	const transcript = await fetchResult(ctx, itemIndex, identifier, PATHS[format]);
	return { ...transcript, text: transcriptText(format, transcript) };
}

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const format = readTranscriptFormat(this, itemIndex);
	const transcript = await fetchTranscript(this, itemIndex, identifier, format);
	return [toItem({ interactionIdentifier: identifier, ...transcript }, itemIndex)];
});

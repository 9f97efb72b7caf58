import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { toItem, withText } from '../../helpers/output';
import {
	readCallOptions,
	readInteractionIdentifier,
	readTranscriptFormat,
} from '../../helpers/validation';
import { fetchTranscript } from '../../transport/interactions';
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

/** An empty transcript (ElevateAI answers 204 when nothing was said) gives empty text, not an error. */
export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const format = readTranscriptFormat(this, itemIndex);
	const call = readCallOptions(this, itemIndex);
	const transcript = await fetchTranscript(this, call, identifier, format);
	return [
		toItem({ interactionIdentifier: identifier, ...withText(format, transcript) }, itemIndex),
	];
});

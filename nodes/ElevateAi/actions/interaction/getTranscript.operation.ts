import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import { readOutputSettings, transcriptBinary, transcriptJson } from '../../helpers/outputOptions';
import {
	readCallOptions,
	readInteractionIdentifier,
	readTranscriptFormat,
} from '../../helpers/validation';
import { fetchTranscript } from '../../transport/interactions';
import {
	agentParticipantOption,
	interactionIdentifier,
	optionsCollection,
	simple,
	transcriptFileOptions,
	transcriptFormat,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	transcriptFormat,
	simple,
	optionsCollection([agentParticipantOption, ...transcriptFileOptions]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getTranscript'] } },
	properties,
);

/** An empty transcript (ElevateAI answers 204 when nothing was said) gives empty text, not an error. */
export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const format = readTranscriptFormat(this, itemIndex);
	const settings = readOutputSettings(this, itemIndex, { files: true });
	const call = readCallOptions(this, itemIndex);
	const transcript = await fetchTranscript(this, call, identifier, format);
	return [
		toItem(
			interactionJson(identifier, inputJson(this, itemIndex), transcriptJson(transcript, settings)),
			itemIndex,
			await transcriptBinary(this, transcript, settings, `transcript-${identifier}`),
		),
	];
});

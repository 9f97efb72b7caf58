import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { readRecording } from '../../helpers/binary';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import { readCallOptions, readInteractionIdentifier } from '../../helpers/validation';
import { uploadRecording } from '../../transport/interactions';
import {
	binaryPropertyName,
	fileNameOption,
	interactionIdentifier,
	optionsCollection,
	notice,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	binaryPropertyName,
	notice(
		'uploadNotice',
		"The item's recording is streamed from n8n's binary store, so files of hundreds of MB are fine. Only audio interactions declared with Recording Source → Binary File accept an upload (with URL, ElevateAI fetches the recording itself).",
	),
	optionsCollection([fileNameOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['upload'] } },
	properties,
);

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const file = await readRecording(this, itemIndex);
	await uploadRecording(this, readCallOptions(this, itemIndex), identifier, file);
	return [
		toItem(
			interactionJson(identifier, inputJson(this, itemIndex), {
				uploaded: true,
				fileName: file.fileName,
				fileSize: file.fileSize,
			}),
			itemIndex,
		),
	];
});

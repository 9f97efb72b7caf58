import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import { readCallOptions, readInteractionIdentifier } from '../../helpers/validation';
import { deleteInteraction } from '../../transport/interactions';
import { interactionIdentifier, optionsCollection, notice } from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	notice(
		'deleteNotice',
		'Deleting removes the transcript, CX AI results and summary at ElevateAI at once (they are otherwise kept 45 days). It cannot be undone.',
	),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['delete'] } },
	properties,
);

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	await deleteInteraction(this, readCallOptions(this, itemIndex), identifier);
	return [
		toItem(interactionJson(identifier, inputJson(this, itemIndex), { deleted: true }), itemIndex),
	];
});

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { toItem } from '../../helpers/output';
import { readCallOptions, readInteractionIdentifier } from '../../helpers/validation';
import { fetchAiResults } from '../../transport/interactions';
import { interactionIdentifier, optionsCollection, notice } from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	notice(
		'aiNotice',
		'CX AI results exist only for interactions declared with Include CX AI Results on.',
	),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getAiResults'] } },
	properties,
);

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const results = await fetchAiResults(this, readCallOptions(this, itemIndex), identifier);
	return [toItem({ interactionIdentifier: identifier, ...results }, itemIndex)];
});

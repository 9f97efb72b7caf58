import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { toItem } from '../../helpers/output';
import { fetchResult } from '../../helpers/results';
import { readInteractionIdentifier } from '../../helpers/validation';
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

export async function fetchAiResults(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identifier: string,
): Promise<IDataObject> {
	return (await fetchResult(ctx, itemIndex, identifier, '/ai')) ?? {};
}

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const results = await fetchAiResults(this, itemIndex, identifier);
	return [toItem({ interactionIdentifier: identifier, ...results }, itemIndex)];
});

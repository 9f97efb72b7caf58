import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import { readCallOptions, readInteractionIdentifier } from '../../helpers/validation';
import { fetchDeclaration } from '../../transport/interactions';
import { interactionIdentifier, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [interactionIdentifier, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['get'] } },
	properties,
);

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const declared = await fetchDeclaration(this, readCallOptions(this, itemIndex), identifier);
	return [toItem(interactionJson(identifier, inputJson(this, itemIndex), declared), itemIndex)];
});

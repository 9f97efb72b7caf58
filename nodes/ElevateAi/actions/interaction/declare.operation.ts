import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { readDeclaration } from '../../helpers/declaration';
import { toItem } from '../../helpers/output';
import { readCallOptions } from '../../helpers/validation';
import { declareInteraction } from '../../transport/interactions';
import { declarationProperties, notice, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	...declarationProperties({
		recording: [
			{
				...notice(
					'uploadNextNotice',
					"Upload the recording next with an Upload node: the item's binary passes through to it",
				),
				displayOptions: { show: { interactionType: ['audio'], recordingSource: ['binary'] } },
			},
		],
	}),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['declare'] } },
	properties,
);

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const declaration = readDeclaration(this, itemIndex);
	const call = readCallOptions(this, itemIndex);
	const interactionIdentifier = await declareInteraction(this, call, declaration.body);
	// The recording rides along so that Declare → Upload needs no Merge node.
	const binary = this.getInputData()[itemIndex]?.binary;
	return [toItem({ interactionIdentifier, ...declaration.summary }, itemIndex, binary)];
});

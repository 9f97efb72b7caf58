import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import { aiResultsJson, readOutputSettings } from '../../helpers/outputOptions';
import { readCallOptions, readInteractionIdentifier } from '../../helpers/validation';
import { fetchAiResults } from '../../transport/interactions';
import {
	agentParticipantOption,
	interactionIdentifier,
	notice,
	optionsCollection,
	simple,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	notice(
		'aiNotice',
		'CX AI results exist only for interactions declared with Include CX AI Results on.',
	),
	simple,
	optionsCollection([agentParticipantOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getAiResults'] } },
	properties,
);

/** Simplified: `{ conversation, agent, customer }` (or participantOne/Two), each bundle → model → score. */
export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const settings = readOutputSettings(this, itemIndex, { files: false });
	const results = await fetchAiResults(this, readCallOptions(this, itemIndex), identifier);
	return [
		toItem(
			interactionJson(identifier, inputJson(this, itemIndex), aiResultsJson(results, settings)),
			itemIndex,
		),
	];
});

import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { GEN_AI_MAX_CONCURRENCY } from '../../helpers/contract';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import {
	readBoolean,
	readCallOptions,
	readInteractionIdentifier,
	readSummaryLanguage,
} from '../../helpers/validation';
import { fetchSummary } from '../../transport/interactions';
import {
	interactionIdentifier,
	optionsCollection,
	summaryLanguageOption,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	optionsCollection([
		{
			displayName: 'Include Details',
			name: 'includeDetails',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the summary details: reasons for the call, actions taken by the agent, entities and whether the issue was resolved',
		},
		summaryLanguageOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getSummary'] } },
	properties,
);

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const summary = await fetchSummary(this, readCallOptions(this, itemIndex), identifier, {
		includeDetails: readBoolean(this, itemIndex, 'options.includeDetails', 'Include Details'),
		language: readSummaryLanguage(this, itemIndex),
	});
	return [toItem(interactionJson(identifier, inputJson(this, itemIndex), summary), itemIndex)];
}, GEN_AI_MAX_CONCURRENCY);

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { perItem } from '../../helpers/batch';
import { DEFAULTS, GEN_AI_MAX_CONCURRENCY, optionValues } from '../../helpers/contract';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import {
	readCallOptions,
	readInteractionIdentifier,
	readParameter,
} from '../../helpers/validation';
import { fetchAgentInsight } from '../../transport/interactions';
import { insight, interactionIdentifier, notice, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	insight,
	notice(
		'agentInsightsNotice',
		"ElevateAI has not published the shape of these answers: the output is ElevateAI's JSON as it comes, plus the interaction ID.",
	),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getAgentInsights'] } },
	properties,
);

const insightSchema = z.enum(optionValues('insight'));

/** ElevateAI's answer as it comes: an object is spread, anything else goes under the insight's name. */
export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const chosen = readParameter(
		this,
		itemIndex,
		'insight',
		'Insight',
		insightSchema,
		DEFAULTS.insight,
	);
	const answer = await fetchAgentInsight(
		this,
		readCallOptions(this, itemIndex),
		identifier,
		chosen,
	);
	const json: IDataObject = {};
	if (answer && typeof answer === 'object' && !Array.isArray(answer)) Object.assign(json, answer);
	else if (answer !== undefined) json[chosen] = answer as IDataObject[string];
	return [toItem(interactionJson(identifier, inputJson(this, itemIndex), json), itemIndex)];
}, GEN_AI_MAX_CONCURRENCY);

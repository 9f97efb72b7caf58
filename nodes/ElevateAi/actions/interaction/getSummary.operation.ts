import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import { GEN_AI_MAX_CONCURRENCY } from '../../helpers/model';
import { toItem } from '../../helpers/output';
import { fetchResult } from '../../helpers/results';
import { readInteractionIdentifier } from '../../helpers/validation';
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

export interface SummaryRequest {
	includeDetails: boolean;
	language?: string;
}

/** The generative AI summary, and its details when asked: `{ summary, reasons?, … }`. */
export async function fetchSummary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identifier: string,
	request: SummaryRequest,
): Promise<IDataObject> {
	const headers = request.language ? { 'Accept-Language': request.language } : undefined;
	const summary = await fetchResult(ctx, itemIndex, identifier, '/gen-ai/cx/summary', headers);
	const result: IDataObject = { summary: (summary?.summary as string | undefined) ?? '' };
	if (request.includeDetails) {
		const details = await fetchResult(
			ctx,
			itemIndex,
			identifier,
			'/gen-ai/cx/summary/details',
			headers,
		);
		Object.assign(result, details);
	}
	return result;
}

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const summary = await fetchSummary(this, itemIndex, identifier, {
		includeDetails: this.getNodeParameter('options.includeDetails', itemIndex, false) === true,
		language:
			String(this.getNodeParameter('options.summaryLanguage', itemIndex, '')).trim() || undefined,
	});
	return [toItem({ interactionIdentifier: identifier, ...summary }, itemIndex)];
}, GEN_AI_MAX_CONCURRENCY);

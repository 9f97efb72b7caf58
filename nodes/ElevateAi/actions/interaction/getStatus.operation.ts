import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import type { InteractionStatusResponse } from '../../helpers/model';
import { toItem } from '../../helpers/output';
import { readInteractionIdentifier } from '../../helpers/validation';
import { elevateAiApiRequest } from '../../transport';
import { interactionIdentifier, optionsCollection } from '../common.descriptions';

const properties: INodeProperties[] = [interactionIdentifier, optionsCollection()];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['getStatus'] } },
	properties,
);

export async function fetchStatus(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identifier: string,
): Promise<InteractionStatusResponse> {
	const { body } = await elevateAiApiRequest<InteractionStatusResponse>(ctx, {
		method: 'GET',
		path: `/interactions/${identifier}/status`,
		itemIndex,
		retry: 'idempotent',
	});
	if (!body || typeof body.status !== 'string') {
		throw new NodeApiError(
			ctx.getNode(),
			{ message: 'ElevateAI returned a status answer without a status' },
			{ itemIndex, message: 'ElevateAI returned a status answer without a status' },
		);
	}
	return body;
}

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const status = await fetchStatus(this, itemIndex, identifier);
	return [toItem({ interactionIdentifier: identifier, ...status }, itemIndex)];
});

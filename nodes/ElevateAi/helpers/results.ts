import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { fetchStatus } from '../actions/interaction/getStatus.operation';
import { elevateAiApiRequest } from '../transport';

/**
 * Reads one result resource of a processed interaction. ElevateAI answers 404 both for unknown
 * interactions and for results that are not ready, so a 404 is followed by one status check to
 * tell the user which it is.
 */
export async function fetchResult(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identifier: string,
	path: string,
	headers?: IDataObject,
): Promise<IDataObject | undefined> {
	try {
		const { body } = await elevateAiApiRequest<IDataObject>(ctx, {
			method: 'GET',
			path: `/interactions/${identifier}${path}`,
			headers,
			itemIndex,
			retry: 'idempotent',
		});
		return body;
	} catch (error) {
		// Only the transport's own 404 needs a closer look; every other error passes unchanged.
		if (!(error instanceof NodeApiError))
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		const apiError = new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
		if (String(apiError.httpCode) !== '404') throw apiError;
		const status = await fetchStatus(ctx, itemIndex, identifier).catch(() => undefined);
		if (status && status.status !== 'processed') {
			throw new NodeOperationError(
				ctx.getNode(),
				`The results of interaction ${identifier} are not ready: its status is "${status.status}"`,
				{
					itemIndex,
					description:
						'Results can be read once the status is "processed". Put a Wait For Completion operation before this one.',
				},
			);
		}
		throw apiError;
	}
}

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from './concurrency';
import type { OperationExecutor } from './interfaces';
import { concurrencySchema, parseField } from './validation';

export const DEFAULT_CONCURRENCY = 5;

/** The batch's concurrency, read from the first item (it applies to the batch, not an item). */
export function concurrencyOf(ctx: IExecuteFunctions): number {
	const value = ctx.getNodeParameter('options.concurrency', 0, DEFAULT_CONCURRENCY);
	return parseField(ctx.getNode(), 0, 'Concurrency', concurrencySchema, value);
}

/**
 * Adapts an operation written for one item to the batch signature: items run with bounded
 * concurrency, each failure is returned as that item's outcome, and without Continue On Fail
 * no new item starts after the first failure.
 */
export function perItem(
	run: (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>,
	maxConcurrency = Infinity,
): OperationExecutor {
	return async function (this: IExecuteFunctions, itemIndexes, { continueOnFail }) {
		let failed = false;
		return await mapConcurrent(
			itemIndexes,
			Math.min(concurrencyOf(this), maxConcurrency),
			async (itemIndex) => {
				try {
					return await run.call(this, itemIndex);
				} catch (error) {
					failed = true;
					return error as Error;
				}
			},
			() => failed && !continueOnFail,
		);
	};
}

function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Ties an error to the interaction it concerns, so a Continue On Fail item can name it. */
export function withInteraction(
	ctx: IExecuteFunctions,
	error: unknown,
	identifier: string,
	itemIndex: number,
): Error {
	const nodeError = asNodeError(ctx, error, itemIndex);
	nodeError.context.interactionIdentifier = identifier;
	return nodeError;
}

/**
 * Notes on the error that stops a batch the interactions other items created but did not
 * finish, so that the router can list them instead of losing them.
 */
export function withUnfinished(
	ctx: IExecuteFunctions,
	error: unknown,
	identifiers: string[],
	itemIndex: number,
): Error {
	const nodeError = asNodeError(ctx, error, itemIndex);
	nodeError.context.unfinishedInteractions = identifiers;
	return nodeError;
}

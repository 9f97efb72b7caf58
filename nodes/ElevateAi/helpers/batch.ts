import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { LIMITS } from './contract';
import { mapConcurrent } from './concurrency';
import { toNodeError } from './errors';
import type { OperationExecutor } from './interfaces';
import { concurrencySchema, parseField } from './validation';

/** The batch's concurrency, read from the first item (it applies to the batch, not an item). */
export function concurrencyOf(ctx: IExecuteFunctions): number {
	const value = ctx.getNodeParameter('options.concurrency', 0, LIMITS.concurrency.default);
	return parseField(ctx.getNode(), 0, 'Concurrency', concurrencySchema, value);
}

/**
 * How many status checks and result reads a batch may have in flight: `readConcurrencyFactor`
 * times its Concurrency, at most the Concurrency option's maximum. Declares and uploads (billed,
 * heavy) keep to Concurrency itself; generative AI calls to `GEN_AI_MAX_CONCURRENCY`.
 */
export function readConcurrency(concurrency: number): number {
	return Math.min(concurrency * LIMITS.readConcurrencyFactor, LIMITS.concurrency.max);
}

/**
 * Adapts an operation written for one item to the batch signature: items run with bounded
 * concurrency, each failure is returned as that item's node error, and without Continue On Fail
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
					return toNodeError(this.getNode(), error, itemIndex);
				}
			},
			() => failed && !continueOnFail,
		);
	};
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
	const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
	nodeError.context.unfinishedInteractions = identifiers;
	return nodeError;
}

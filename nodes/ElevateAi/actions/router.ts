import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ItemOutcome, OperationModule } from '../helpers/interfaces';
import { isGuid } from '../helpers/contract';
import { toNodeError } from '../helpers/errors';
import { compactForTool, toItem } from '../helpers/output';
import type { SideEffects } from '../helpers/sideEffects';
import {
	addSideEffect,
	describeSideEffects,
	mergeSideEffects,
	sideEffectsOfOutputs,
} from '../helpers/sideEffects';
import { isToolRun } from '../helpers/toolRun';
import { operations } from './interaction';
import type { ElevateAiType } from './node.type';

/** The identifier an error concerns: set on it by the operation, or the item's own parameter. */
function identifierFor(
	ctx: IExecuteFunctions,
	error: Error,
	itemIndex: number,
): string | undefined {
	const fromError = (error as NodeApiError).context?.interactionIdentifier;
	if (isGuid(fromError)) return fromError;
	try {
		const fromParameter = ctx.getNodeParameter('interactionIdentifier', itemIndex, '');
		return isGuid(fromParameter) ? fromParameter : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Runs the chosen operation on the whole batch and applies the one error policy: with Continue
 * On Fail a failed item becomes `{ error, interactionIdentifier }`, otherwise the first failure
 * (in item order) stops the node.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter<ElevateAiType>('resource', 0);
	const operation = this.getNodeParameter('operation', 0) as ElevateAiType['operation'];
	const module = resource === 'interaction' ? operations[operation] : undefined;
	if (!module) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}

	const continueOnFail = this.continueOnFail();
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const asTool = isToolRun(this);
	const outcomes = await module.execute.call(
		this,
		items.map((_, index) => index),
		{ continueOnFail },
	);

	const outputs: INodeExecutionData[][] = Array.from(
		{ length: module.outputCount?.(this) ?? 1 },
		() => [],
	);
	const output = outputs[0];
	for (const [itemIndex, outcome] of outcomes.entries()) {
		if (outcome === undefined) continue;
		if (!(outcome instanceof Error)) {
			const { output: index, items: produced } = Array.isArray(outcome)
				? { output: 0, items: outcome }
				: outcome;
			outputs[index].push(
				...(asTool
					? produced.map((item) => ({ ...item, json: compactForTool(item.json) }))
					: produced),
			);
			continue;
		}
		const error = toNodeError(this.getNode(), outcome, itemIndex);
		if (!continueOnFail) throw withSideEffects(error, module, outcomes);
		const interactionIdentifier = identifierFor(this, outcome, itemIndex);
		const json = toErrorOutput
			? errorOutputJson(error, interactionIdentifier, items[itemIndex]?.json)
			: errorJson(error, interactionIdentifier);
		output.push(toItem(json, itemIndex));
	}
	return outputs;
}

/** The json of a failed item under Continue (using regular output): flat fields with the interaction. */
function errorJson(
	error: NodeApiError | NodeOperationError,
	interactionIdentifier: string | undefined,
): IDataObject {
	return {
		error: error.message,
		...(error.description ? { errorDescription: error.description } : {}),
		...(interactionIdentifier ? { interactionIdentifier } : {}),
	};
}

/**
 * The json of a failed item under Continue (using error output): exactly `{ error }` or
 * `{ error, message }`, the only json that n8n 1.x and 2.0 route to the error output (2.41 also
 * accepts a `details` key; an item-level `error` routes everywhere, but n8n leaves it on the item,
 * so a pass-through node behind the error branch would route the item to its own error output
 * again). n8n merges the input item's fields back in, so an `interactionIdentifier` the input
 * already has comes back; one the input lacks (an interaction the node created, e.g. Transcribe)
 * goes into `message`.
 */
function errorOutputJson(
	error: NodeApiError | NodeOperationError,
	interactionIdentifier: string | undefined,
	input: IDataObject | undefined,
): IDataObject {
	const unseen =
		interactionIdentifier !== undefined && input?.interactionIdentifier !== interactionIdentifier;
	const message = [error.description, unseen ? `Interaction ${interactionIdentifier}.` : '']
		.filter((part) => !!part)
		.join(' ');
	return { error: error.message, ...(message ? { message } : {}) };
}

/**
 * A stopped batch must not hide what it already did: the error lists the interactions created,
 * the recordings uploaded, the interactions deleted and the results left undeleted, whichever
 * item did it (items run concurrently, so later items may have finished too).
 */
function withSideEffects<E extends NodeApiError | NodeOperationError>(
	error: E,
	module: OperationModule,
	outcomes: Array<ItemOutcome | undefined>,
): E {
	const carried: SideEffects[] = [];
	const created: SideEffects = {};
	for (const outcome of outcomes) {
		if (!(outcome instanceof Error)) continue;
		const context = (outcome as NodeApiError).context ?? {};
		carried.push(context.sideEffects as SideEffects);
		if (module.createsInteractions) {
			addSideEffect(created, 'created', [context.interactionIdentifier]);
			if (Array.isArray(context.unfinishedInteractions))
				addSideEffect(created, 'created', context.unfinishedInteractions);
		}
	}
	const finished = module.sideEffect ? sideEffectsOfOutputs(module.sideEffect, outcomes) : {};
	const text = describeSideEffects(mergeSideEffects(...carried, finished, created));
	if (text !== '') error.description = `${error.description ? `${error.description} ` : ''}${text}`;
	return error;
}

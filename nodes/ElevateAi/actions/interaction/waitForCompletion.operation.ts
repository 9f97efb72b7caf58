import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOf } from '../../helpers/batch';
import { mapConcurrent } from '../../helpers/concurrency';
import type { InteractionStatusResponse, WaitMode } from '../../helpers/contract';
import { guidedPollSeconds, isInteractionType, statusOutcome } from '../../helpers/contract';
import type { CallOptions, ItemOutcome, OperationExecutor } from '../../helpers/interfaces';
import { carriedExternalId, toItem } from '../../helpers/output';
import type { WaitTarget } from '../../helpers/polling';
import { processingFailedError, waitForInteractions, waitTimeoutError } from '../../helpers/polling';
import type { LoopState } from '../../helpers/route';
import { readLoopState, STILL_PROCESSING_OUTPUT, stillProcessingJson } from '../../helpers/route';
import {
	readCallOptions,
	readInteractionIdentifier,
	readTimeoutMs,
	readWaitSettings,
} from '../../helpers/validation';
import { fetchDeclaration, fetchStatus } from '../../transport/interactions';
import {
	interactionIdentifier,
	optionsCollection,
	pollInterval,
	timeout,
	notice,
} from '../common.descriptions';

const pollOnly = { show: { waitMode: ['poll'] } };
const routeOnly = { show: { waitMode: ['route'] } };

const properties: INodeProperties[] = [
	interactionIdentifier,
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		noDataExpression: true,
		default: 'poll',
		options: [
			{
				name: 'Check Once and Route',
				value: 'route',
				description:
					'Check each item once: finished ones go to Processed, the others to Still Processing, to loop back through a Wait node. Frees the worker while ElevateAI works (queue mode, long recordings).',
			},
			{
				name: 'Poll Until Done',
				value: 'poll',
				description:
					'Check at an interval inside this node until every item is finished (short waits, manual runs, AI tools)',
			},
		],
		description: 'How to wait for ElevateAI to finish processing',
	},
	{ ...pollInterval, displayOptions: pollOnly },
	{
		...timeout,
		description:
			'How long to wait for processing before the item fails. In Check Once and Route mode it counts from the first check (waitStartedAt on the item).',
	},
	{
		...notice(
			'waitNotice',
			'All input items are waited on together, so a batch takes about as long as its slowest interaction.',
		),
		displayOptions: pollOnly,
	},
	{
		...notice(
			'routeNotice',
			'Connect Still Processing to a Wait node (2 minutes or more; n8n parks waits over 65 seconds in the database and frees the worker) and the Wait node back to this node.',
		),
		displayOptions: routeOnly,
	},
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['waitForCompletion'] } },
	properties,
);

interface RouteTarget extends CallOptions {
	position: number;
	identifier: string;
	timeoutMs: number;
	state: LoopState;
}

/** Route mode: one status check per item, no sleeping; unfinished items leave on output 1. */
async function checkOnceAndRoute(
	ctx: IExecuteFunctions,
	itemIndexes: number[],
	continueOnFail: boolean,
): Promise<Array<ItemOutcome | undefined>> {
	const outcomes: Array<ItemOutcome | undefined> = new Array(itemIndexes.length).fill(undefined);
	const node = ctx.getNode();
	const items = ctx.getInputData();
	const targets: RouteTarget[] = [];
	const now = Date.now();
	for (const [position, itemIndex] of itemIndexes.entries()) {
		try {
			const identifier = readInteractionIdentifier(ctx, itemIndex);
			const timeoutMs = readTimeoutMs(ctx, itemIndex);
			const state = readLoopState(node, itemIndex, items[itemIndex]?.json ?? {}, now);
			targets.push({ ...readCallOptions(ctx, itemIndex), position, identifier, timeoutMs, state });
		} catch (error) {
			outcomes[position] = error as Error;
			// Bad input stops the batch before any request unless failures are to be kept as items.
			if (!continueOnFail) return outcomes;
		}
	}
	let failed = false;
	await mapConcurrent(
		targets,
		concurrencyOf(ctx),
		async (target) => {
			const { position, itemIndex, identifier, timeoutMs, state } = target;
			const input = items[itemIndex]?.json;
			try {
				const status = await fetchStatus(ctx, target, identifier);
				const outcome = statusOutcome(status.status);
				if (outcome === 'done') {
					outcomes[position] = [toItem(finalStatus(identifier, status, input), itemIndex)];
				} else if (outcome === 'failed') {
					outcomes[position] = processingFailedError(node, identifier, itemIndex, status);
				} else if (Date.now() - state.startedAt >= timeoutMs) {
					outcomes[position] = waitTimeoutError(node, identifier, itemIndex, timeoutMs, status.status);
				} else {
					outcomes[position] = {
						output: STILL_PROCESSING_OUTPUT,
						items: [
							toItem(
								stillProcessingJson(
									identifier,
									status.status,
									state,
									carriedExternalId(input, identifier).externalIdentifier as string | undefined,
								),
								itemIndex,
							),
						],
					};
				}
			} catch (error) {
				outcomes[position] = error as Error;
			}
			if (outcomes[position] instanceof Error) failed = true;
		},
		() => failed && !continueOnFail,
	);
	return outcomes;
}

function waitModeOf(ctx: IExecuteFunctions): WaitMode {
	return ctx.getNodeParameter('waitMode', 0, 'poll') === 'route' ? 'route' : 'poll';
}

/** Two outputs (Processed, Still Processing) in route mode, one otherwise. */
export function outputCount(ctx: IExecuteFunctions): number {
	return waitModeOf(ctx) === 'route' ? 2 : 1;
}

export const execute: OperationExecutor = async function (
	this: IExecuteFunctions,
	itemIndexes,
	{ continueOnFail },
) {
	if (waitModeOf(this) === 'route') return await checkOnceAndRoute(this, itemIndexes, continueOnFail);
	const outcomes: Array<ItemOutcome | undefined> = new Array(itemIndexes.length).fill(undefined);
	const targets: WaitTarget[] = [];
	const positions: number[] = [];
	const typeUnknown = new Set<WaitTarget>();
	const items = this.getInputData();
	for (const [position, itemIndex] of itemIndexes.entries()) {
		try {
			const identifier = readInteractionIdentifier(this, itemIndex);
			// Declare (and Transcribe) pass the interaction's type on.
			const type = items[itemIndex]?.json?.type;
			const { automatic, ...wait } = readWaitSettings(this, itemIndex, type);
			const target = { ...readCallOptions(this, itemIndex), identifier, ...wait };
			if (automatic && !isInteractionType(type)) typeUnknown.add(target);
			targets.push(target);
			positions.push(position);
		} catch (error) {
			outcomes[position] = error as Error;
			// Bad input stops the batch before any request unless failures are to be kept as items.
			if (!continueOnFail) return outcomes;
		}
	}
	const statuses = await waitForInteractions(
		this,
		targets,
		async (target) => {
			const status = await fetchStatus(this, target, target.identifier);
			if (typeUnknown.delete(target) && statusOutcome(status.status) === 'pending') {
				await learnType(this, target);
			}
			return status;
		},
		!continueOnFail,
	);
	statuses.forEach((status, i) => {
		const { itemIndex, identifier } = targets[i];
		if (status === undefined || status instanceof Error) outcomes[positions[i]] = status;
		else
			outcomes[positions[i]] = [
				toItem(finalStatus(identifier, status, items[itemIndex]?.json), itemIndex),
			];
	});
	return outcomes;
};

/**
 * An automatic Poll Interval without the type in the input: once the first check finds the
 * interaction still processing (so the node will sleep), one read of the declared parameters sets
 * ElevateAI's pace for its type. A failed read keeps audio's (slower) pace; the status checks
 * that follow report whatever is wrong with the interaction.
 */
async function learnType(ctx: IExecuteFunctions, target: WaitTarget): Promise<void> {
	try {
		const declared = await fetchDeclaration(ctx, target, target.identifier);
		target.intervalMs = guidedPollSeconds(declared?.type) * 1000;
	} catch {
		// keep audio's pace (see above)
	}
}

/**
 * The final status under one ID (`interactionIdentifier`; ElevateAI's own `identifier` is the
 * same value), with the input's `externalIdentifier` carried on so the next node needs no reach back.
 */
function finalStatus(
	identifier: string,
	status: InteractionStatusResponse,
	input: IDataObject | undefined,
): IDataObject {
	const rest = { ...status } as IDataObject;
	delete rest.identifier;
	return { interactionIdentifier: identifier, ...carriedExternalId(input, identifier), ...rest };
}

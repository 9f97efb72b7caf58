import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOf } from '../../helpers/batch';
import type { ItemOutcome, OperationExecutor } from '../../helpers/interfaces';
import type { InteractionStatusResponse } from '../../helpers/model';
import { statusOutcome } from '../../helpers/model';
import { toItem } from '../../helpers/output';
import { pollUntilSettled } from '../../helpers/polling';
import {
	parseField,
	pollIntervalSchema,
	readInteractionIdentifier,
	timeoutSchema,
} from '../../helpers/validation';
import {
	interactionIdentifier,
	optionsCollection,
	pollInterval,
	timeout,
	notice,
} from '../common.descriptions';
import { fetchStatus } from './getStatus.operation';

const properties: INodeProperties[] = [
	interactionIdentifier,
	{
		...pollInterval,
		// Declare passes the interaction type on, so chat and transcript interactions are polled faster.
		default: '={{ ["chat", "transcript"].includes($json.type) ? 5 : 30 }}',
	},
	timeout,
	notice(
		'waitNotice',
		'All input items are waited on together, so a batch takes about as long as its slowest interaction.',
	),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['waitForCompletion'] } },
	properties,
);

export interface WaitTarget {
	itemIndex: number;
	identifier: string;
	intervalMs: number;
	timeoutMs: number;
}

export function readWaitSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	defaultIntervalSeconds = 30,
) {
	const node = ctx.getNode();
	const interval = parseField(
		node,
		itemIndex,
		'Poll Interval',
		pollIntervalSchema,
		ctx.getNodeParameter('pollInterval', itemIndex, defaultIntervalSeconds),
	);
	const minutes = parseField(
		node,
		itemIndex,
		'Timeout',
		timeoutSchema,
		ctx.getNodeParameter('timeout', itemIndex, 60),
	);
	return { intervalMs: interval * 1000, timeoutMs: minutes * 60_000 };
}

/** Waits on all targets in one polling loop; one final status or error per target. */
export async function waitForInteractions(
	ctx: IExecuteFunctions,
	targets: WaitTarget[],
	stopOnFirstError: boolean,
): Promise<Array<InteractionStatusResponse | Error | undefined>> {
	const node = ctx.getNode();
	return await pollUntilSettled<InteractionStatusResponse>(
		ctx,
		targets.map((target) => ({
			name: target.identifier,
			itemIndex: target.itemIndex,
			intervalMs: target.intervalMs,
			timeoutMs: target.timeoutMs,
			check: async () => await fetchStatus(ctx, target.itemIndex, target.identifier),
		})),
		{
			concurrency: concurrencyOf(ctx),
			stopOnFirstError,
			classify: (status) => {
				const outcome = statusOutcome(status.status);
				return outcome === 'success' ? 'done' : outcome === 'failure' ? 'failed' : 'pending';
			},
			failure: (status, job) =>
				new NodeOperationError(
					node,
					`ElevateAI could not process interaction ${job.name}: ${status.status}`,
					{
						itemIndex: job.itemIndex,
						description: status.errorMessage
							? `ElevateAI says: ${status.errorMessage}`
							: 'ElevateAI gave no reason. Check the recording (format, length) and try again.',
					},
				),
			timeout: (last, job) =>
				new NodeOperationError(
					node,
					`Interaction ${job.name} did not finish within ${job.timeoutMs / 60_000} minutes`,
					{
						itemIndex: job.itemIndex,
						description: `Its last status was "${last?.status ?? 'unknown'}". Raise the Timeout, or check again later with Get Status or Wait For Completion: the interaction keeps processing at ElevateAI.`,
					},
				),
		},
	);
}

export const execute: OperationExecutor = async function (
	this: IExecuteFunctions,
	itemIndexes,
	{ continueOnFail },
) {
	const outcomes: Array<ItemOutcome | undefined> = new Array(itemIndexes.length).fill(undefined);
	const targets: WaitTarget[] = [];
	const positions: number[] = [];
	for (const [position, itemIndex] of itemIndexes.entries()) {
		try {
			const identifier = readInteractionIdentifier(this, itemIndex);
			targets.push({ itemIndex, identifier, ...readWaitSettings(this, itemIndex) });
			positions.push(position);
		} catch (error) {
			outcomes[position] = error as Error;
			// Bad input stops the batch before any request unless failures are to be kept as items.
			if (!continueOnFail) return outcomes;
		}
	}
	const statuses = await waitForInteractions(this, targets, !continueOnFail);
	statuses.forEach((status, i) => {
		const { itemIndex, identifier } = targets[i];
		if (status === undefined || status instanceof Error) outcomes[positions[i]] = status;
		else
			outcomes[positions[i]] = [
				toItem({ interactionIdentifier: identifier, ...status }, itemIndex),
			];
	});
	return outcomes;
};

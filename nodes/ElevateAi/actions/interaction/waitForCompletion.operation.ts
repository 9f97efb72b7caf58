import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { POLL_GUIDANCE_SECONDS } from '../../helpers/contract';
import type { ItemOutcome, OperationExecutor } from '../../helpers/interfaces';
import { toItem } from '../../helpers/output';
import type { WaitTarget } from '../../helpers/polling';
import { waitForInteractions } from '../../helpers/polling';
import {
	readCallOptions,
	readInteractionIdentifier,
	readWaitSettings,
} from '../../helpers/validation';
import { fetchStatus } from '../../transport/interactions';
import {
	interactionIdentifier,
	optionsCollection,
	pollInterval,
	timeout,
	notice,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	{
		...pollInterval,
		// Declare passes the interaction type on, so chat and transcript interactions are polled faster.
		default: `={{ ["chat", "transcript"].includes($json.type) ? ${POLL_GUIDANCE_SECONDS.chat} : ${POLL_GUIDANCE_SECONDS.audio} }}`,
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
			const wait = readWaitSettings(this, itemIndex);
			targets.push({ ...readCallOptions(this, itemIndex), identifier, ...wait });
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
		async (target) => await fetchStatus(this, target, target.identifier),
		!continueOnFail,
	);
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

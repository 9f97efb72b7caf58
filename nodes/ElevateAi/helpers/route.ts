import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { invalidItemMessage } from './errors';

/**
 * Route mode of Wait For Completion: the node checks each item once and sends the unfinished ones
 * to its Still Processing output, from where a Wait node brings them back. n8n parks a Wait of
 * more than 65 s in the database, so no worker is held while ElevateAI processes. What must
 * survive the loop travels on the item itself: when the wait started and how many checks ran.
 */

export const PROCESSED_OUTPUT = 0;
export const STILL_PROCESSING_OUTPUT = 1;

/** Clocks of n8n's main and worker processes may differ a little; more than this is a bad value. */
const CLOCK_SKEW_MS = 60_000;

export interface LoopState {
	/** Epoch ms of the first check. */
	startedAt: number;
	/** Checks before this one. */
	checks: number;
}

/**
 * The loop state an item brings back from the Still Processing output, or a fresh one. An item
 * that carries `waitStartedAt` or `checks` with a value the node did not write fails with the
 * field and the item named, rather than silently restarting (or never ending) the timeout.
 */
export function readLoopState(
	node: INode,
	itemIndex: number,
	json: IDataObject,
	now: number,
): LoopState {
	const rawStart = json.waitStartedAt;
	const rawChecks = json.checks;
	let startedAt = now;
	if (rawStart !== undefined && rawStart !== null && rawStart !== '') {
		const parsed =
			typeof rawStart === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(rawStart)
				? Date.parse(rawStart)
				: NaN;
		if (!Number.isFinite(parsed) || parsed > now + CLOCK_SKEW_MS) {
			throw new NodeOperationError(
				node,
				invalidItemMessage(
					'waitStartedAt',
					'must be an ISO 8601 date-time that is not in the future',
					itemIndex,
				),
				{
					itemIndex,
					description: `Received ${JSON.stringify(rawStart).slice(0, 100)}. Connect the Still Processing output (through a Wait node) back to this node unchanged, or remove the field.`,
				},
			);
		}
		startedAt = Math.min(parsed, now);
	}
	let checks = 0;
	if (rawChecks !== undefined && rawChecks !== null) {
		if (typeof rawChecks !== 'number' || !Number.isInteger(rawChecks) || rawChecks < 0) {
			throw new NodeOperationError(
				node,
				invalidItemMessage('checks', 'must be a whole number of 0 or more', itemIndex),
				{ itemIndex, description: `Received ${JSON.stringify(rawChecks).slice(0, 100)}.` },
			);
		}
		checks = rawChecks;
	}
	return { startedAt, checks };
}

/** The json of an item on Still Processing; the CRM's `externalIdentifier` travels round the loop. */
export function stillProcessingJson(
	identifier: string,
	status: string,
	state: LoopState,
	externalIdentifier?: string,
): IDataObject {
	return {
		interactionIdentifier: identifier,
		...(externalIdentifier ? { externalIdentifier } : {}),
		status,
		waitStartedAt: new Date(state.startedAt).toISOString(),
		checks: state.checks + 1,
	};
}

/**
 * n8n computes the outputs from this expression on the node's parameters: two in route mode,
 * one otherwise (so existing workflows keep their single output).
 */
export const OUTPUTS_EXPRESSION =
	'={{ $parameter.operation === "waitForCompletion" && $parameter.waitMode === "route" ? [{ "type": "main", "displayName": "Processed" }, { "type": "main", "displayName": "Still Processing" }] : ["main"] }}';

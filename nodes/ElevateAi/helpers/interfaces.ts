import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { SideEffect } from './sideEffects';

/** Items for another output than the first (Wait For Completion's Still Processing). */
export interface OutputItems {
	output: number;
	items: INodeExecutionData[];
}

/** What an operation produced for one input item: its output items, or the error for it. */
export type ItemOutcome = INodeExecutionData[] | OutputItems | Error;

export interface BatchContext {
	continueOnFail: boolean;
}

/**
 * Every operation receives the whole batch of input item indexes and returns one outcome per
 * index (`undefined` for items never started because an earlier one failed). Operations that
 * work item by item are wrapped by `perItem`; waiting operations handle the batch together.
 */
export type OperationExecutor = (
	this: IExecuteFunctions,
	itemIndexes: number[],
	batch: BatchContext,
) => Promise<Array<ItemOutcome | undefined>>;

export interface OperationModule {
	description: INodeProperties[];
	execute: OperationExecutor;
	/** Operations that create interactions report the ones created before a batch stopped. */
	createsInteractions?: boolean;
	/** How many outputs the node has with these parameters (1 when absent). */
	outputCount?: (ctx: IExecuteFunctions) => number;
	/** What a finished item did at ElevateAI, listed in the error when a batch stops. */
	sideEffect?: SideEffect;
}

/**
 * What every call of the ElevateAI client needs to know about its item: which one it is (for
 * the credential and the error) and how often a failed request may be repeated. Operations read
 * it from the node's parameters (`readCallOptions`); the transport never reads parameters.
 */
export interface CallOptions {
	itemIndex: number;
	maxRetries: number;
}

import type { INodeExecutionData } from 'n8n-workflow';

import { isGuid } from './contract';

/**
 * What a batch already did at ElevateAI before it stopped. A stopped node discards every output,
 * so its error must say what happened, or a rerun declares twice, uploads into a 409, or never
 * learns that results were deleted.
 */
export type SideEffect = 'created' | 'uploaded' | 'deleted' | 'kept';
export type SideEffects = Partial<Record<SideEffect, string[]>>;

const SENTENCES: Record<SideEffect, string> = {
	created: 'Interactions created before the node stopped',
	uploaded: 'Recordings uploaded before the node stopped',
	deleted: 'Interactions deleted before the node stopped',
	kept: 'Not deleted, so their results are still at ElevateAI',
};
const ORDER: SideEffect[] = ['created', 'uploaded', 'deleted', 'kept'];

/** Adds identifiers to a list of side effects, keeping each once and in first-seen order. */
export function addSideEffect(
	effects: SideEffects,
	kind: SideEffect,
	identifiers: unknown[],
): void {
	const list = (effects[kind] ??= []);
	for (const identifier of identifiers) {
		if (isGuid(identifier) && !list.includes(identifier)) list.push(identifier);
	}
}

/** Merges several lists, e.g. those carried by the errors of one batch. */
export function mergeSideEffects(...all: Array<SideEffects | undefined>): SideEffects {
	const merged: SideEffects = {};
	for (const effects of all) {
		for (const kind of ORDER) if (effects?.[kind]) addSideEffect(merged, kind, effects[kind]);
	}
	return merged;
}

/** The identifiers of items that finished (their `interactionIdentifier`), for the given effect. */
export function sideEffectsOfOutputs(
	kind: SideEffect,
	outputs: Array<INodeExecutionData[] | { items: INodeExecutionData[] } | Error | undefined>,
): SideEffects {
	const effects: SideEffects = {};
	for (const outcome of outputs) {
		if (outcome === undefined || outcome instanceof Error) continue;
		const items = Array.isArray(outcome) ? outcome : outcome.items;
		addSideEffect(
			effects,
			kind,
			items.map((item) => item.json.interactionIdentifier),
		);
	}
	return effects;
}

/** One sentence per kind, e.g. `Recordings uploaded before the node stopped: 3fa8…, 8d2e….` */
export function describeSideEffects(effects: SideEffects): string {
	return ORDER.filter((kind) => (effects[kind] ?? []).length > 0)
		.map((kind) => `${SENTENCES[kind]}: ${(effects[kind] as string[]).join(', ')}.`)
		.join(' ');
}

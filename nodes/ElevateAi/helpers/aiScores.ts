import type { IDataObject } from 'n8n-workflow';

import type { AgentParticipant } from './transcript';
import { PARTICIPANTS, speakerKey } from './transcript';

/**
 * The simplified CX AI results: ElevateAI's five levels (participant → enlightenBundles →
 * models → name/score) flattened to `{ speaker: { bundle: { model: score } } }` with camel-case
 * keys, e.g. `agent.customerSatisfaction.activeListening`, ready for a CRM field mapping.
 * Speakers are `conversation` (ElevateAI's allParticipants), then `agent`/`customer` when the
 * agent is known, otherwise `participantOne`/`participantTwo`.
 */

/** "Customer Satisfaction" → "customerSatisfaction"; "activeListening" stays as it is. */
export function camelKey(name: unknown): string {
	const words = String(name ?? '')
		.normalize('NFKC')
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
	if (words.length === 0) return 'unnamed';
	return words
		.map((word, index) =>
			index === 0
				? word.charAt(0).toLowerCase() + word.slice(1)
				: word.charAt(0).toUpperCase() + word.slice(1),
		)
		.join('');
}

/** Adds `key` to `target`, suffixing 2, 3, … if two names read the same. */
function put(target: IDataObject, key: string, value: unknown): void {
	let unique = key;
	for (let n = 2; Object.prototype.hasOwnProperty.call(target, unique); n++) unique = `${key}${n}`;
	target[unique] = value as IDataObject[string];
}

function bundleScores(group: unknown): IDataObject | undefined {
	const bundles = (group as IDataObject | undefined)?.enlightenBundles;
	if (!Array.isArray(bundles)) return undefined;
	const scores: IDataObject = {};
	for (const bundle of bundles as IDataObject[]) {
		const models: IDataObject = {};
		for (const model of Array.isArray(bundle?.models) ? (bundle.models as IDataObject[]) : []) {
			const score = Number(model?.score);
			put(models, camelKey(model?.name), Number.isFinite(score) ? score : null);
		}
		put(scores, camelKey(bundle?.name), models);
	}
	return scores;
}

export function simplifyAiResults(
	ai: IDataObject | undefined,
	agent: AgentParticipant,
): IDataObject {
	const simplified: IDataObject = {};
	if (!ai) return simplified;
	const conversation = bundleScores(ai.allParticipants);
	if (conversation) simplified.conversation = conversation;
	for (const participant of PARTICIPANTS) {
		const scores = bundleScores(ai[participant]);
		if (scores) simplified[speakerKey(participant, agent)] = scores;
	}
	return simplified;
}

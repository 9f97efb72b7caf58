/**
 * A batch under fire: 200 chat items through Declare → Wait For Completion against the
 * emulator while about a fifth of all requests get 429 or 503 (seeded, so the run is
 * reproducible) and a couple of declares lose their answer. With Continue On Fail on, every
 * item must end either processed or with its own clear error, no interaction may be created
 * twice, and none may be lost: every interaction the emulator holds is either in an item's
 * output or named by an item's "may have been created" error (found by External Identifier).
 *
 * Real timers: the faults carry Retry-After: 0 and the emulator's stages last 20 ms.
 */
import type { INodeExecutionData } from 'n8n-workflow';

import { runChain } from '../helpers/engine';
import type { Emulator } from './helpers';
import { chatJson, emulatorCredentials, startEmulator, step } from './helpers';

const ITEMS = 200;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ timing: { stageMs: 20 }, seed: 20240101 });
});
afterAll(async () => await emulator.close());

it('keeps 200 chats whole through a 429/503 storm: each processed or clearly failed, none twice, none lost', async () => {
	// First matching rule wins: a few lost declare answers, then 429s and 503s on everything.
	emulator.addFault({ method: 'POST', path: '^/interactions$', action: 'drop-after-body', probability: 0.02, times: 2 });
	emulator.addFault({ probability: 0.15, times: -1, status: 429, headers: { 'Retry-After': '0' }, body: { errorMessage: 'Too many requests' } });
	emulator.addFault({ probability: 0.08, times: -1, status: 503, headers: { 'Retry-After': '0' }, body: { errorMessage: 'Busy' } });

	const items: INodeExecutionData[] = Array.from({ length: ITEMS }, (_, i) => ({
		json: { externalIdentifier: `crm-${i}`, chat: chatJson(i) },
	}));
	const started = Date.now();
	const result = await runChain({
		items,
		credentials: emulatorCredentials(emulator),
		chain: [
			step(
				'Declare',
				'declare',
				{
					interactionType: 'chat',
					chat: '={{ JSON.stringify($json.chat) }}',
					additionalFields: { externalIdentifier: '={{ $json.externalIdentifier }}' },
					options: { concurrency: 10 },
				},
				true,
			),
			step('Wait', 'waitForCompletion', { pollInterval: 1, timeout: 1, options: { concurrency: 10 } }, true),
		],
	});
	const elapsed = Date.now() - started;
	expect(result.error).toBeUndefined();

	const declared = result.output('Declare');
	const waited = result.output('Wait');
	expect(declared).toHaveLength(ITEMS);
	expect(waited).toHaveLength(ITEMS);

	const stats = emulator.stats();
	const interactions = [...emulator.interactions.values()];
	const byExternal = new Map<string, string[]>();
	for (const interaction of interactions) {
		const key = String(interaction.declared.externalIdentifier);
		byExternal.set(key, [...(byExternal.get(key) ?? []), interaction.identifier]);
	}

	// No interaction was created twice.
	for (const [external, ids] of byExternal) expect({ external, ids: ids.length }).toEqual({ external, ids: 1 });
	expect(stats.declares).toBe(interactions.length);

	const accounted = new Set<string>();
	let processed = 0;
	let lostAnswers = 0;
	let failedDeclares = 0;
	for (let i = 0; i < ITEMS; i++) {
		const external = `crm-${i}`;
		const declareItem = declared[i];
		const waitItem = waited[i];
		expect(declareItem.pairedItem).toEqual({ item: i });
		expect(waitItem.pairedItem).toEqual({ item: i });
		const id = declareItem.json.interactionIdentifier;

		if (typeof id === 'string') {
			// Declared: the item's ID is the one interaction with its External Identifier…
			expect(id).toMatch(GUID);
			expect(byExternal.get(external)).toEqual([id]);
			accounted.add(id);
			// …and it was waited on to the end, or failed with an error about that interaction.
			if (waitItem.json.error === undefined) {
				expect(waitItem.json).toMatchObject({ interactionIdentifier: id, status: 'processed' });
				processed += 1;
			} else {
				expect(waitItem.json.interactionIdentifier).toBe(id);
				expect(waitItem.json.error).toMatch(/^ElevateAI error (429|503): .* \(after 6 attempts\)$/);
			}
			continue;
		}

		// Not declared: the item says why, in its own words.
		const error = String(declareItem.json.error);
		if (/broke before an answer arrived/.test(error)) {
			// The declare got through but its answer was lost: the item says so and points to the
			// External Identifier, under which exactly one interaction exists.
			expect(declareItem.json.errorDescription).toMatch(/may have been created.*search by its External Identifier/s);
			expect(byExternal.get(external)).toHaveLength(1);
			accounted.add((byExternal.get(external) as string[])[0]);
			lostAnswers += 1;
		} else {
			// Refused by a 429/503 storm longer than the retries: nothing was created.
			expect(error).toMatch(/^ElevateAI error (429|503): .* \(after 6 attempts\)$/);
			expect(byExternal.has(external)).toBe(false);
			failedDeclares += 1;
		}
		expect(waitItem.json.error).toBe(`Invalid Interaction ID: it is empty [item ${i}]`);
	}

	// None lost: every interaction at the emulator belongs to an item.
	expect(accounted.size).toBe(interactions.length);
	expect(processed + lostAnswers + failedDeclares).toBeGreaterThan(ITEMS - 5);
	expect(processed).toBeGreaterThan(ITEMS * 0.95);

	// The storm really happened, and the retries went through it.
	const kinds = stats.faultsApplied.map((f) => f.kind);
	expect(kinds.filter((k) => k === 'status 429').length).toBeGreaterThan(40);
	expect(kinds.filter((k) => k === 'status 503').length).toBeGreaterThan(15);
	expect(elapsed).toBeLessThan(60_000);
	// eslint-disable-next-line no-console
	console.info(
		`batch: ${ITEMS} items in ${elapsed} ms; ${stats.totalRequests} requests, ${kinds.length} faults; ` +
			`${processed} processed, ${lostAnswers} lost declare answers, ${failedDeclares} declares refused`,
	);
}, 90_000);

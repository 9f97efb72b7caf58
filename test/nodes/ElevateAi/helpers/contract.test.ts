import type { INodeProperties } from 'n8n-workflow';

import { ElevateAi } from '../../../../nodes/ElevateAi/ElevateAi.node';
import type { OptionList } from '../../../../nodes/ElevateAi/helpers/contract';
import {
	CHAT_LANGUAGE_TAGS,
	DEFAULTS,
	GEN_AI_MAX_CONCURRENCY,
	LIMITS,
	OPTION_NAMES,
	POLL_GUIDANCE_SECONDS,
	STATUSES_AWAITING_FILE,
	STATUSES_WITH_FILE,
	STATUS_OUTCOME,
	guidedPollSeconds,
	isGuid,
	optionValues,
	statusOutcome,
} from '../../../../nodes/ElevateAi/helpers/contract';
import {
	concurrencySchema,
	interactionTypeSchema,
	languageTagSchema,
	maxRetriesSchema,
	transcriptFormatSchema,
} from '../../../../nodes/ElevateAi/helpers/validation';
import { ID } from '../../../helpers/context';

const properties = new ElevateAi().description.properties;

/** Every parameter of that name, wherever it sits (top level, a collection, an operation's copy). */
function parameters(name: string, list: INodeProperties[] = properties): INodeProperties[] {
	return list.flatMap((property) => [
		...(property.name === name ? [property] : []),
		...(property.type === 'collection' ? parameters(name, property.options as INodeProperties[]) : []),
	]);
}

describe('helpers/contract', () => {
	describe('statuses', () => {
		it('should tell a wait that processed is done, the three failures failed, and everything else pending', () => {
			expect(statusOutcome('processed')).toBe('done');
			for (const status of ['fileUploadFailed', 'fileDownloadFailed', 'processingFailed']) {
				expect(statusOutcome(status)).toBe('failed');
			}
			const pending = Object.keys(STATUS_OUTCOME).filter((s) => s !== 'processed' && !s.endsWith('Failed'));
			expect(pending).toHaveLength(9);
			pending.forEach((status) => expect(statusOutcome(status)).toBe('pending'));
		});

		it('should treat an unknown status (a newer API) as still pending', () => {
			expect(statusOutcome('fileScanning')).toBe('pending');
			expect(statusOutcome(undefined)).toBe('pending');
		});

		it('should keep the upload status lists to known statuses that never overlap', () => {
			for (const status of [...STATUSES_AWAITING_FILE, ...STATUSES_WITH_FILE]) {
				expect(Object.keys(STATUS_OUTCOME)).toContain(status);
			}
			expect(STATUSES_AWAITING_FILE.filter((s) => STATUSES_WITH_FILE.includes(s))).toEqual([]);
		});
	});

	it('should accept GUIDs in any case and nothing else', () => {
		expect(isGuid(ID)).toBe(true);
		expect(isGuid(ID.toUpperCase())).toBe(true);
		expect(isGuid(`${ID}/../x`)).toBe(false);
		expect(isGuid(` ${ID}`)).toBe(false);
		expect(isGuid(42)).toBe(false);
	});

	describe('one source for the editor and the validation', () => {
		it.each(Object.keys(OPTION_NAMES) as OptionList[])('should offer exactly the contract\'s %s values, with its default', (list) => {
			const found = parameters(list);
			expect(found.length).toBeGreaterThan(0);
			for (const parameter of found) {
				const offered = (parameter.options as Array<{ name: string; value: string }>).map((o) => [o.value, o.name]);
				// Chat's Language offers only the contract's chat languages (with their names).
				const chatOnly = list === 'languageTag' && parameter.displayOptions?.show?.interactionType?.join() === 'chat';
				const expected = chatOnly
					? Object.fromEntries(CHAT_LANGUAGE_TAGS.map((tag) => [tag, OPTION_NAMES.languageTag[tag]]))
					: OPTION_NAMES[list];
				expect(Object.fromEntries(offered)).toEqual(expected);
				expect(parameter.default).toBe(DEFAULTS[list]);
			}
		});

		it('should validate the same values the editor offers', () => {
			expect(interactionTypeSchema.options).toEqual(optionValues('interactionType'));
			expect(languageTagSchema.options).toEqual(Object.keys(OPTION_NAMES.languageTag));
			expect(transcriptFormatSchema.options).toEqual(['punctuated', 'phraseByPhrase']);
		});

		it('should give Concurrency and Max Retries the contract\'s defaults and bounds, in the editor and the schema', () => {
			for (const [name, schema] of [['concurrency', concurrencySchema], ['maxRetries', maxRetriesSchema]] as const) {
				const limit = LIMITS[name];
				for (const parameter of parameters(name)) {
					expect(parameter.default).toBe(limit.default);
					expect(parameter.typeOptions).toEqual({ minValue: limit.min, maxValue: limit.max });
				}
				expect(schema.safeParse(limit.min).success).toBe(true);
				expect(schema.safeParse(limit.max).success).toBe(true);
				expect(schema.safeParse(limit.min - 1).success).toBe(false);
				expect(schema.safeParse(limit.max + 1).success).toBe(false);
			}
			expect(LIMITS.concurrency).toEqual({ default: 5, min: 1, max: 50 });
			expect(LIMITS.maxRetries).toEqual({ default: 5, min: 0, max: 10 });
			expect(GEN_AI_MAX_CONCURRENCY).toBe(10);
		});

		it('should default the Poll Interval to automatic (0), which is ElevateAI\'s guidance: 30 s for audio, 5 s for chat and transcripts', () => {
			expect(POLL_GUIDANCE_SECONDS).toEqual({ audio: 30, chat: 5, transcript: 5 });
			const defaults = parameters('pollInterval').map((p) => p.default);
			expect(defaults.length).toBeGreaterThan(0);
			expect(new Set(defaults)).toEqual(new Set([LIMITS.pollIntervalSeconds.automatic]));
			expect(LIMITS.pollIntervalSeconds.automatic).toBe(0);
			expect(['audio', 'chat', 'transcript', undefined, 'bogus'].map(guidedPollSeconds)).toEqual([30, 5, 5, 30, 30]);
		});
	});
});

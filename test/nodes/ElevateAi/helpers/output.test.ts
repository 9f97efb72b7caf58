import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import {
	carriedExternalId,
	compactForTool,
	forPeople,
	interactionJson,
	toItem,
	withoutPassword,
} from '../../../../nodes/ElevateAi/helpers/output';
import { conversationText, normalizeTranscript } from '../../../../nodes/ElevateAi/helpers/transcript';

const transcriptText = (_format: 'punctuated' | 'phraseByPhrase', transcript: object | undefined) =>
	conversationText(normalizeTranscript(transcript as never).segments, undefined);

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const OTHER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const isNested = (value: unknown) => typeof value === 'object' && value !== null;

describe('helpers/output', () => {
	describe('forPeople (key order for people)', () => {
		it('should put text and summary first, short fields next, objects and arrays last, in their order', () => {
			const json = { interactionIdentifier: ID, sentenceSegments: [1], summary: 's', status: 'processed', aiResults: {}, text: 't', deleted: null };
			expect(Object.keys(forPeople(json))).toEqual(['text', 'summary', 'interactionIdentifier', 'status', 'deleted', 'sentenceSegments', 'aiResults']);
		});

		it('should keep every key and value, only reordered (property)', () => {
			// JavaScript lists integer-like keys ("0", "42") first whatever the order: not field names we output.
			const key = fc.string().filter((k) => !/^(0|[1-9]\d*)$/.test(k));
			const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.dictionary(fc.string(), fc.integer()));
			fc.assert(
				fc.property(fc.dictionary(fc.oneof(fc.constantFrom('text', 'summary', 'interactionIdentifier'), key), value), (json) => {
					const ordered = forPeople(json as IDataObject);
					expect(ordered).toEqual(json);
					const keys = Object.keys(ordered);
					expect(keys.sort()).toEqual(Object.keys(json).sort());
					const inOrder = Object.keys(ordered);
					const readable: string[] = inOrder.filter((k) => k === 'text' || k === 'summary');
					expect(inOrder.slice(0, readable.length)).toEqual(readable);
					const firstNested = inOrder.findIndex((k) => !readable.includes(k) && isNested(ordered[k]));
					if (firstNested >= 0) expect(inOrder.slice(firstNested).every((k) => isNested(ordered[k]))).toBe(true);
				}),
				{ numRuns: 1000 },
			);
		});
	});

	describe('carriedExternalId', () => {
		it.each([
			[{ externalIdentifier: 'CRM-1' }, { externalIdentifier: 'CRM-1' }],
			[{ interactionIdentifier: ID, externalIdentifier: 'CRM-1' }, { externalIdentifier: 'CRM-1' }],
			[{ interactionIdentifier: ` ${ID.toUpperCase()} `, externalIdentifier: 'CRM-1' }, { externalIdentifier: 'CRM-1' }],
			[{ interactionIdentifier: '', externalIdentifier: 'CRM-1' }, { externalIdentifier: 'CRM-1' }],
			[{ interactionIdentifier: OTHER, externalIdentifier: 'CRM-1' }, {}],
			[{ externalIdentifier: '' }, {}],
			[{ externalIdentifier: ' ' }, {}],
			[{ externalIdentifier: 7 }, {}],
			[{}, {}],
			[undefined, {}],
		])('%p → %p', (input, expected) => {
			expect(carriedExternalId(input as IDataObject | undefined, ID)).toEqual(expected);
		});
	});

	describe('interactionJson', () => {
		it('should keep the ID the node used, even when the result has another, and let the result\'s CRM ID win', () => {
			const json = interactionJson(ID, { externalIdentifier: 'INPUT' }, { interactionIdentifier: OTHER, externalIdentifier: 'DECLARED', text: 'x' });
			expect(json).toEqual({ text: 'x', interactionIdentifier: ID, externalIdentifier: 'DECLARED' });
			expect(Object.keys(json)).toEqual(['text', 'interactionIdentifier', 'externalIdentifier']);
		});
	});

	describe('toItem', () => {
		it('should always set pairedItem and attach binary data only when there is some', () => {
			expect(toItem({ a: 1 }, 3)).toEqual({ json: { a: 1 }, pairedItem: { item: 3 } });
			expect(toItem({ a: 1 }, 0, {})).toEqual({ json: { a: 1 }, pairedItem: { item: 0 } });
			const binary = { data: { data: 'UklGRg==', mimeType: 'audio/wav' } };
			expect(toItem({ a: 1 }, 1, binary)).toEqual({ json: { a: 1 }, pairedItem: { item: 1 }, binary });
		});
	});

	describe('transcriptText (punctuated)', () => {
		it('should order sentences by time and merge consecutive sentences of the same speaker', () => {
			const transcript = {
				sentenceSegments: [
					{ participant: 'participantTwo', startTimeOffset: 2000, phrase: 'Yes.' },
					{ participant: 'participantOne', startTimeOffset: 0, phrase: ' Hello. ' },
					{ participant: 'participantOne', startTimeOffset: 900, phrase: 'Can you hear me?' },
					{ participant: 'participantTwo', startTimeOffset: 3000, phrase: '' },
					{ participant: 'participantOne', startTimeOffset: 4000, phrase: 'Great.' },
				],
			};

			expect(transcriptText('punctuated', transcript)).toBe(
				'Participant One: Hello. Can you hear me?\nParticipant Two: Yes.\nParticipant One: Great.',
			);
		});

		it('should keep an unknown participant name and give empty text for no segments', () => {
			expect(transcriptText('punctuated', { sentenceSegments: [{ participant: 'bot', startTimeOffset: 0, phrase: 'Hi' }] })).toBe('bot: Hi');
			expect(transcriptText('punctuated', { sentenceSegments: [] })).toBe('');
			expect(transcriptText('punctuated', {})).toBe('');
			expect(transcriptText('punctuated', undefined)).toBe('');
		});
	});

	describe('transcriptText (phraseByPhrase)', () => {
		it('should interleave both participants by the start offset of each phrase segment', () => {
			const transcript = {
				participantOne: {
					phrases: ['hello', 'how can i help', 'sure'],
					phraseSegments: [
						{ startTimeOffset: 0, phraseIndex: 0 },
						{ startTimeOffset: 800, phraseIndex: 1 },
						{ startTimeOffset: 5000, phraseIndex: 2 },
					],
				},
				participantTwo: {
					phrases: ['my bill'],
					phraseSegments: [{ startTimeOffset: 2000, phraseIndex: 0 }],
				},
			};

			expect(transcriptText('phraseByPhrase', transcript)).toBe(
				'Participant One: hello how can i help\nParticipant Two: my bill\nParticipant One: sure',
			);
		});

		it('should find a phrase\'s segment by phraseIndex, not by position', () => {
			const transcript = {
				participantOne: {
					phrases: ['first', 'second'],
					phraseSegments: [
						{ startTimeOffset: 3000, phraseIndex: 1 },
						{ startTimeOffset: 0, phraseIndex: 0 },
					],
				},
				participantTwo: { phrases: ['middle'], phraseSegments: [{ startTimeOffset: 1000, phraseIndex: 0 }] },
			};

			expect(transcriptText('phraseByPhrase', transcript)).toBe(
				'Participant One: first\nParticipant Two: middle\nParticipant One: second',
			);
		});

		it('should fall back to allParticipants, without labels, when there are no per-participant phrases', () => {
			const transcript = {
				allParticipants: { phrases: ['hello', 'there'], phraseSegments: [] },
				participantOne: { phrases: [], phraseSegments: [] },
			};

			expect(transcriptText('phraseByPhrase', transcript)).toBe('hello there');
		});
	});

	describe('withoutPassword', () => {
		it.each([
			['sftp://user:pa55@files.example.com:22/~/a.wav;type=d', 'sftp://user:***@files.example.com:22/~/a.wav;type=d'],
			['https://u:p@storage.example.com/a.wav?sig=1', 'https://u:***@storage.example.com/a.wav?sig=1'],
			['https://storage.example.com/a.wav?sig=1', 'https://storage.example.com/a.wav?sig=1'],
			['sftp://user@files.example.com/~/a.wav', 'sftp://user@files.example.com/~/a.wav'],
			['not a url', 'not a url'],
		])('should show %s as %s', (uri, shown) => {
			expect(withoutPassword(uri)).toBe(shown);
		});
	});

	describe('compactForTool', () => {
		const bundles = {
			enlightenBundles: [
				{ name: 'Customer Satisfaction', models: [{ name: 'Overall', score: 2.5, minScore: -1, quartile1: 0.4 }] },
				{ name: 'Vulnerable Customer', models: [{ name: 'Any', score: 0.1 }] },
			],
			voiceActivitySegments: [{ startTimeOffset: 0, endTimeOffset: 900, result: 'voice' }],
		};
		const scores = { customerSatisfaction: { overall: 2.5 }, vulnerableCustomer: { any: 0.1 } };

		it('should give a raw Transcribe output the simplified transcript and scores', () => {
			const compact = compactForTool({
				interactionIdentifier: 'id-1',
				status: 'processed',
				sentenceSegments: [{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 1200, phrase: 'Hi' }],
				redactionSegments: [],
				text: 'Agent: Hi',
				summary: 'A short call.',
				aiResults: { participantOne: bundles, allParticipants: bundles },
			});

			expect(compact).toEqual({
				interactionIdentifier: 'id-1',
				status: 'processed',
				text: 'Agent: Hi',
				participantOneText: 'Hi',
				participantTwoText: '',
				durationSeconds: 1.2,
				redacted: false,
				summary: 'A short call.',
				aiResults: { participantOne: scores, conversation: scores },
			});
		});

		it('should reduce a raw Get AI Results output (groups at the top level) to the simplified scores', () => {
			expect(compactForTool({ interactionIdentifier: 'id-2', participantTwo: bundles })).toEqual({
				interactionIdentifier: 'id-2',
				participantTwo: scores,
			});
		});

		it('should leave simplified outputs and outputs without segments or scores as they are', () => {
			const status = { interactionIdentifier: 'id-3', status: 'processing', errorMessage: null };
			expect(compactForTool(status)).toEqual(status);
			const simplified = { interactionIdentifier: 'id-4', participantOne: scores, conversation: scores };
			expect(compactForTool(simplified)).toEqual(simplified);
			const transcript = { interactionIdentifier: 'id-5', text: 'Participant One: Hi', participantOneText: 'Hi', participantTwoText: '', durationSeconds: 1, redacted: false };
			expect(compactForTool(transcript)).toEqual(transcript);
		});
	});
});

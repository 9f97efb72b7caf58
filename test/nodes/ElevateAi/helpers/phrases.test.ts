import fc from 'fast-check';

import { findPhrases, normalizeWords, parsePhrases } from '../../../../nodes/ElevateAi/helpers/phrases';
import { normalizeTranscript } from '../../../../nodes/ElevateAi/helpers/transcript';

const call = normalizeTranscript({
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 800, endTimeOffset: 5200, phrase: 'Thank you for calling Northwind Energy. This call is RECORDED for quality!' },
		{ participant: 'participantTwo', startTimeOffset: 6000, endTimeOffset: 9000, phrase: "I'm switching to Contoso, I don't want a recall." },
		{ participant: 'participantOne', startTimeOffset: 40_000, endTimeOffset: 42_000, phrase: 'Is there anything else, this call is recorded.' },
	],
	redactionSegments: [],
});

const words = normalizeTranscript({
	participantOne: {
		phrases: ['this', 'call', 'is', 'recorded'],
		phraseSegments: [0, 1, 2, 3].map((i) => ({ startTimeOffset: 1000 + i * 300, endTimeOffset: 1250 + i * 300, phraseIndex: i })),
	},
	participantTwo: {
		phrases: ['okay'],
		phraseSegments: [{ startTimeOffset: 3000, endTimeOffset: 3300, phraseIndex: 0 }],
	},
});

describe('helpers/phrases', () => {
	it('should normalise case, punctuation, apostrophes and Unicode compatibility forms', () => {
		expect(normalizeWords("  This CALL is, recorded!  Don’t  ")).toEqual(['this', 'call', 'is', 'recorded', 'dont']);
		expect(normalizeWords('ﬁnal café — naïve 日本語')).toEqual(['final', 'café', 'naïve', '日本語']);
	});

	it('should find whole-word phrases, ignoring case and punctuation, with who said it, when, and the sentence', () => {
		const result = findPhrases(call, { phrases: ['this call is recorded', 'Contoso', 'call', 'refund'], agent: 'participantOne' });
		expect(result.allFound).toBe(false);
		expect(result.found).toEqual(['this call is recorded', 'Contoso', 'call']);
		expect(result.missing).toEqual(['refund']);
		expect(result.matches.filter((m) => m.phrase === 'this call is recorded')).toEqual([
			{
				phrase: 'this call is recorded',
				participant: 'participantOne',
				speaker: 'Agent',
				startTimeOffset: 800,
				endTimeOffset: 5200,
				sentence: 'Thank you for calling Northwind Energy. This call is RECORDED for quality!',
			},
			expect.objectContaining({ startTimeOffset: 40_000, speaker: 'Agent' }),
		]);
		// "call" is not matched inside "calling" or "recall".
		expect(result.matches.filter((m) => m.phrase === 'call').map((m) => m.startTimeOffset)).toEqual([800, 40_000]);
		const starts = result.matches.map((m) => m.startTimeOffset);
		expect(starts).toEqual([...starts].sort((a, b) => a - b));
	});

	it('should only count the chosen speaker and the first seconds', () => {
		expect(findPhrases(call, { phrases: ['contoso'], participant: 'participantOne', agent: undefined }).missing).toEqual(['contoso']);
		expect(findPhrases(call, { phrases: ['contoso'], participant: 'participantTwo', agent: undefined }).allFound).toBe(true);
		const early = findPhrases(call, { phrases: ['this call is recorded', 'anything else'], withinMs: 30_000, agent: undefined });
		expect(early.found).toEqual(['this call is recorded']);
		expect(early.missing).toEqual(['anything else']);
		expect(early.matches).toHaveLength(1);
		expect(findPhrases(call, { phrases: ['anything else'], withinMs: 0, agent: undefined }).allFound).toBe(true);
	});

	it('should match across phrase-by-phrase segments of one speaker, with their exact offsets', () => {
		const result = findPhrases(words, { phrases: ['This call is recorded.', 'recorded okay'], agent: undefined });
		expect(result.matches).toEqual([
			{ phrase: 'This call is recorded.', participant: 'participantOne', speaker: 'Participant One', startTimeOffset: 1000, endTimeOffset: 2150, sentence: 'this call is recorded' },
		]);
		// A phrase never spans two speakers.
		expect(result.missing).toEqual(['recorded okay']);
	});

	it('should find nothing in an empty transcript (204)', () => {
		expect(findPhrases(normalizeTranscript(undefined), { phrases: ['hello'], agent: undefined })).toEqual({ allFound: false, found: [], missing: ['hello'], matches: [] });
	});

	describe('parsePhrases', () => {
		it('should read one phrase per line or an array, dropping empty lines and duplicates', () => {
			expect(parsePhrases('this call is recorded\r\n\n  Contoso \nTHIS CALL IS RECORDED.')).toEqual(['this call is recorded', 'Contoso']);
			expect(parsePhrases(['a b', ' ', 'c', 42])).toEqual(['a b', 'c', '42']);
		});

		it.each([
			[undefined, 'must contain at least one phrase'],
			['\n \n', 'must contain at least one phrase'],
			[{ a: 1 }, 'must be text with one phrase per line, or an array of phrases'],
			[['ok', { a: 1 }], 'must contain only text phrases'],
			['?!', 'has a phrase without any words ("?!")'],
			['x'.repeat(201), expect.stringContaining('longer than 200 characters')],
			[Array.from({ length: 101 }, (_, i) => `p${i}`), 'has 101 phrases; at most 100 are allowed'],
		])('should explain what is wrong with %p', (value, problem) => {
			expect(parsePhrases(value)).toEqual(problem);
		});
	});

	describe('properties', () => {
		const word = fc.stringMatching(/^[a-zàáâãäåçèéêëìíîïñòóôõöùúûüý]{1,8}$/);
		const sentence = fc.array(word, { minLength: 1, maxLength: 12 });

		it('should find any run of a sentence\'s words however it is cased and punctuated, and never a word not said', () => {
			fc.assert(
				fc.property(sentence, fc.nat(), fc.nat(), fc.constantFrom(',', '.', '!', ' -', '?'), (ws, a, b, mark) => {
					const from = a % ws.length;
					const to = from + (b % (ws.length - from));
					const spoken = ws.map((w, i) => (i % 2 ? w.toUpperCase() : w) + (i % 3 === 0 ? mark : '')).join(' ');
					const transcript = normalizeTranscript({ sentenceSegments: [{ participant: 'participantTwo', startTimeOffset: 0, endTimeOffset: 100, phrase: spoken }] });
					const phrase = ws.slice(from, to + 1).join(' ');
					expect(findPhrases(transcript, { phrases: [phrase], agent: undefined }).allFound).toBe(true);
					expect(findPhrases(transcript, { phrases: [`${phrase} zzzzzzzzz`], agent: undefined }).allFound).toBe(false);
					expect(findPhrases(transcript, { phrases: [phrase], participant: 'participantOne', agent: undefined }).allFound).toBe(false);
				}),
				{ numRuns: 300 },
			);
		});
	});
});

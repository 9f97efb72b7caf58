import { compactForTool, toItem, withoutPassword } from '../../../../nodes/ElevateAi/helpers/output';
import { conversationText, normalizeTranscript } from '../../../../nodes/ElevateAi/helpers/transcript';

const transcriptText = (_format: 'punctuated' | 'phraseByPhrase', transcript: object | undefined) =>
	conversationText(normalizeTranscript(transcript as never).segments, undefined);

describe('helpers/output', () => {
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

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/getTranscript.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, fakeApi, fakeContext } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const PUNCTUATED = {
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 1500, phrase: 'Hello, how can I help?', score: 0.98 },
		{ participant: 'participantTwo', startTimeOffset: 1600, endTimeOffset: 3500, phrase: 'I have a question.', score: 0.97 },
		{ participant: 'participantTwo', startTimeOffset: 3600, endTimeOffset: 4200, phrase: 'About my bill.', score: 0.95 },
		{ participant: 'participantOne', startTimeOffset: 4300, endTimeOffset: 5000, phrase: 'Sure.', score: 0.99 },
	],
	redactionSegments: [{ startTimeOffset: 2000, endTimeOffset: 2500, result: 'card', score: 0.9 }],
};

const PHRASES = {
	allParticipants: { phrases: ['hello how can i help', 'i have a question'], phraseSegments: [] },
	participantOne: {
		phrases: ['hello how can i help', 'sure'],
		phraseSegments: [
			{ startTimeOffset: 0, endTimeOffset: 1500, phraseIndex: 0, score: 0.9 },
			{ startTimeOffset: 4300, endTimeOffset: 5000, phraseIndex: 1, score: 0.9 },
		],
	},
	participantTwo: {
		phrases: ['i have a question'],
		phraseSegments: [{ startTimeOffset: 1600, endTimeOffset: 3500, phraseIndex: 0, score: 0.8 }],
	},
	redactionSegments: [],
};

describe('interaction:getTranscript', () => {
	beforeEach(() => request.mockReset());

	it('should GET the punctuated transcript by default and add the conversation as text', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED });
		const fake = fakeContext({ params: { operation: 'getTranscript', simple: false }, items: [{ json: { interactionIdentifier: ID } }] });

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'GET',
			path: `/interactions/${ID}/transcripts/punctuated`,
			headers: undefined,
			itemIndex: 0,
			retry: 'idempotent',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						...PUNCTUATED,
						text: 'Participant One: Hello, how can I help?\nParticipant Two: I have a question. About my bill.\nParticipant One: Sure.',
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should GET the phrase-by-phrase transcript and interleave both participants by time in text', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcript': () => PHRASES });
		const fake = fakeContext({
			params: { operation: 'getTranscript', interactionIdentifier: ID, transcriptFormat: 'phraseByPhrase', simple: false },
		});

		const outcomes = await fake.run(execute);

		expect(request.mock.calls[0][1].path).toBe(`/interactions/${ID}/transcript`);
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						...PHRASES,
						text: 'Participant One: hello how can i help\nParticipant Two: i have a question\nParticipant One: sure',
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it.each(['punctuated', 'phraseByPhrase'])(
		'should give empty text for an empty %s transcript (204, no body)',
		async (transcriptFormat) => {
			fakeApi(request, {
				'GET /interactions/:id/transcripts/punctuated': () => undefined,
				'GET /interactions/:id/transcript': () => undefined,
			});
			const fake = fakeContext({ params: { operation: 'getTranscript', interactionIdentifier: ID, transcriptFormat, simple: false } });

			expect(await fake.run(execute)).toEqual([
				[{ json: { interactionIdentifier: ID, text: '' }, pairedItem: { item: 0 } }],
			]);
		},
	);

	it('should reject an unknown format, named with its item, before any request', async () => {
		const fake = fakeContext({
			params: { operation: 'getTranscript', interactionIdentifier: ID, transcriptFormat: 'srt' },
		});

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe('Invalid Transcript Format: must be one of: punctuated, phraseByPhrase [item 0]');
		expect(request).not.toHaveBeenCalled();
	});
});

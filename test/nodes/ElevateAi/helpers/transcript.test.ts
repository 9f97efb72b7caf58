import {
	agentFromChat,
	conversationText,
	normalizeTranscript,
	simplifyTranscript,
	speakerLabel,
} from '../../../../nodes/ElevateAi/helpers/transcript';

/** The emulator's phrase-by-phrase shape: unique phrases, segments pointing into them. */
const phraseByPhrase = {
	allParticipants: { phrases: ['ignored'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 1, phraseIndex: 0 }] },
	participantOne: {
		phrases: ['thank', 'you', 'bye'],
		phraseSegments: [
			{ startTimeOffset: 0, endTimeOffset: 300, phraseIndex: 0, score: 0.9 },
			{ startTimeOffset: 340, endTimeOffset: 600, phraseIndex: 1, score: 0.9 },
			{ startTimeOffset: 5000, endTimeOffset: 5400, phraseIndex: 0, score: 0.9 },
			{ startTimeOffset: 5450, endTimeOffset: 5700, phraseIndex: 1, score: 0.9 },
		],
	},
	participantTwo: {
		phrases: ['you', 'too'],
		phraseSegments: [
			{ startTimeOffset: 2000, endTimeOffset: 2200, phraseIndex: 0 },
			{ startTimeOffset: 2250, endTimeOffset: 2600, phraseIndex: 1 },
		],
	},
	redactionSegments: [],
};

const punctuated = {
	sentenceSegments: [
		{ participant: 'participantTwo', startTimeOffset: 2100, endTimeOffset: 4000, phrase: 'My bill\nis wrong.', score: 0.9 },
		{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 1900, phrase: 'Hello, how can I help?' },
		{ participant: 'participantOne', startTimeOffset: 4200, endTimeOffset: 5000, phrase: 'Let me look.' },
		{ participant: 'participantOne', startTimeOffset: 5100, endTimeOffset: 6049, phrase: 'Found it.' },
	],
	redactionSegments: [{ startTimeOffset: 3000, endTimeOffset: 3500, result: 'Credit Card', score: 0.97 }],
};

describe('helpers/transcript', () => {
	it('should rebuild phrase-by-phrase text from the segments, so a repeated phrase is said twice', () => {
		const { granularity, segments } = normalizeTranscript(phraseByPhrase);
		expect(granularity).toBe('phrase');
		expect(conversationText(segments, undefined)).toBe(
			'Participant One: thank you\nParticipant Two: you too\nParticipant One: thank you',
		);
	});

	it('should label the agent and the customer when the agent participant is known', () => {
		const { segments } = normalizeTranscript(punctuated);
		expect(conversationText(segments, 'participantOne')).toBe(
			'Agent: Hello, how can I help?\nCustomer: My bill is wrong.\nAgent: Let me look. Found it.',
		);
		expect(conversationText(segments, 'participantTwo')).toBe(
			'Customer: Hello, how can I help?\nAgent: My bill is wrong.\nCustomer: Let me look. Found it.',
		);
	});

	it('should give the simplified transcript without segments, with per-speaker text, duration and redaction', () => {
		expect(simplifyTranscript(punctuated, 'participantOne')).toEqual({
			text: 'Agent: Hello, how can I help?\nCustomer: My bill is wrong.\nAgent: Let me look. Found it.',
			agentText: 'Hello, how can I help? Let me look. Found it.',
			customerText: 'My bill is wrong.',
			durationSeconds: 6,
			redacted: true,
		});
		expect(simplifyTranscript(phraseByPhrase, undefined)).toEqual({
			text: 'Participant One: thank you\nParticipant Two: you too\nParticipant One: thank you',
			participantOneText: 'thank you thank you',
			participantTwoText: 'you too',
			durationSeconds: 5.7,
			redacted: false,
		});
	});

	it('should give an empty simplified transcript for no speech (204) and odd shapes', () => {
		const empty = { text: '', participantOneText: '', participantTwoText: '', durationSeconds: 0, redacted: false };
		expect(simplifyTranscript(undefined, undefined)).toEqual(empty);
		expect(simplifyTranscript({}, undefined)).toEqual(empty);
		expect(simplifyTranscript({ sentenceSegments: [null, { phrase: 7 }] } as never, undefined).text).toBe('7');
	});

	it('should fall back to allParticipants without labels, and to phrase order when there are no segments', () => {
		const { segments } = normalizeTranscript({
			allParticipants: { phrases: ['hello', 'there'], phraseSegments: [] },
			participantOne: { phrases: [], phraseSegments: [] },
		});
		expect(conversationText(segments, 'participantOne')).toBe('hello there');
	});

	it('should keep unicode text and unknown participant names', () => {
		const { segments } = normalizeTranscript({
			sentenceSegments: [
				{ participant: 'bot', startTimeOffset: 0, endTimeOffset: 10, phrase: 'Olá, tudo bem? 日本語 👋' },
			],
		});
		expect(conversationText(segments, 'participantOne')).toBe('bot: Olá, tudo bem? 日本語 👋');
		expect(speakerLabel(undefined, 'participantOne')).toBe('');
	});

	it('should take the agent from the roles a chat declared', () => {
		expect(agentFromChat({ participants: [{ participant_id: '1', role: 'Agent' }, { participant_id: '2', role: 'customer' }] })).toBe('participantOne');
		expect(agentFromChat({ participants: [{ participant_id: '1', role: 'bot' }] })).toBeUndefined();
		expect(agentFromChat(undefined)).toBeUndefined();
	});
});

import type { INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/findPhrases.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';
import type { FakeItemSpec } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

/** ElevateAI's punctuated transcript: the agent (participant one) discloses the recording late. */
const PUNCTUATED = {
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 500, endTimeOffset: 3000, phrase: 'Thank you for calling Northwind.' },
		{ participant: 'participantTwo', startTimeOffset: 3500, endTimeOffset: 6000, phrase: 'Hi, I want to cancel my contract.' },
		{ participant: 'participantOne', startTimeOffset: 45_000, endTimeOffset: 48_000, phrase: 'Note that this call is recorded.' },
	],
	redactionSegments: [],
};

const run = async (params: INodeParameters, items: FakeItemSpec[] = [{ json: { interactionIdentifier: ID } }]) => {
	const fake = fakeContext({ params: { operation: 'findPhrases', ...params }, items });
	return { fake, outcomes: await fake.run(execute) };
};

describe('interaction:findPhrases', () => {
	beforeEach(() => request.mockReset());

	it('should read the punctuated transcript and report found, missing and each match', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED });

		const { fake, outcomes } = await run({ phrases: 'this call is recorded\nCANCEL\nrefund\n\ncancel' });

		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, expect.objectContaining({ method: 'GET', path: `/interactions/${ID}/transcripts/punctuated`, itemIndex: 0 }));
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						allFound: false,
						// Blank lines and repeats (ignoring case) are dropped; the order is the user's.
						found: ['this call is recorded', 'CANCEL'],
						missing: ['refund'],
						matches: [
							{
								phrase: 'CANCEL',
								participant: 'participantTwo',
								speaker: 'Participant Two',
								startTimeOffset: 3500,
								endTimeOffset: 6000,
								sentence: 'Hi, I want to cancel my contract.',
							},
							expect.objectContaining({ phrase: 'this call is recorded', participant: 'participantOne', startTimeOffset: 45_000 }),
						],
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should take the phrases as an array from an expression', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED });

		const { outcomes } = await run({ phrases: ['Thank you for calling', 'goodbye'] });

		expect(outcomes[0]).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ found: ['Thank you for calling'], missing: ['goodbye'] }) }),
		]);
	});

	it('should count only the agent when Speaker is Agent and the agent is named, within the first seconds', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED });

		const { outcomes } = await run({
			phrases: 'cancel\nthank you\nthis call is recorded',
			speaker: 'agent',
			withinSeconds: 30,
			options: { agentParticipant: 'participantOne' },
		});

		const [[{ json }]] = outcomes as [[{ json: Record<string, unknown> }]];
		// "cancel" is the customer's; the disclosure comes after 30 s.
		expect(json).toMatchObject({ allFound: false, found: ['thank you'], missing: ['cancel', 'this call is recorded'] });
		expect(json.matches).toEqual([expect.objectContaining({ phrase: 'thank you', speaker: 'Agent', participant: 'participantOne' })]);
	});

	it('should count the customer as the participant that is not the agent', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED });

		const { outcomes } = await run({ phrases: 'cancel\nthank you', speaker: 'customer', options: { agentParticipant: 'participantOne' } });

		expect(outcomes[0]).toEqual([expect.objectContaining({ json: expect.objectContaining({ found: ['cancel'], missing: ['thank you'] }) })]);
	});

	it('should give every phrase as missing for an empty transcript', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => undefined });

		const { outcomes } = await run({ phrases: 'hello' });

		expect(outcomes).toEqual([[{ json: { interactionIdentifier: ID, allFound: false, found: [], missing: ['hello'], matches: [] }, pairedItem: { item: 0 } }]]);
	});

	it.each([
		['no phrase', { phrases: ' \n ' }, 'Invalid Phrases: it must contain at least one phrase [item 0]'],
		['a phrase without words', { phrases: '?!' }, 'Invalid Phrases: it has a phrase without any words ("?!") [item 0]'],
		['too many phrases', { phrases: Array.from({ length: 101 }, (_, i) => `phrase ${i}`) }, 'Invalid Phrases: it has 101 phrases; at most 100 are allowed [item 0]'],
		['a role as Speaker without the Agent Participant', { phrases: 'hello', speaker: 'agent' }, 'Invalid Speaker: "Agent" needs to know which participant is the agent [item 0]'],
		['an unknown Speaker', { phrases: 'hello', speaker: 'supervisor' }, 'Invalid Speaker: must be one of: any, agent, customer, participantOne, participantTwo [item 0]'],
		['a negative Within First Seconds', { phrases: 'hello', withinSeconds: -1 }, 'Invalid Within First Seconds: must be 0 (the whole call) or more [item 0]'],
	])('should refuse %s before any request', async (_, params, message) => {
		const { outcomes } = await run(params);

		expect(outcomes[0]).toBeInstanceOf(NodeOperationError);
		expect((outcomes[0] as Error).message).toContain(message);
		expect(request).not.toHaveBeenCalled();
	});

	it('should read each item with its own interaction and phrases', async () => {
		fakeApi(request, { 'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED });

		const { outcomes } = await run({ phrases: '={{ $json.phrases }}' }, [
			{ json: { interactionIdentifier: ID, phrases: ['cancel'] } },
			{ json: { interactionIdentifier: ID2, phrases: 'refund' } },
		]);

		expect(requestLines(request)).toEqual([
			`GET /interactions/${ID}/transcripts/punctuated`,
			`GET /interactions/${ID2}/transcripts/punctuated`,
		]);
		const results = outcomes.map((o) => (o as [{ json: Record<string, unknown> }])[0].json);
		expect(results.map(({ interactionIdentifier, found, missing }) => ({ interactionIdentifier, found, missing }))).toEqual([
			{ interactionIdentifier: ID, found: ['cancel'], missing: [] },
			{ interactionIdentifier: ID2, found: [], missing: ['refund'] },
		]);
	});
});

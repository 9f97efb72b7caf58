import type { INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/declare.operation';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, apiError, fakeApi, fakeContext } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const CHAT = {
	participants: [
		{ participant_id: '1', name: 'Ana', role: 'agent' },
		{ participant_id: '2', name: 'Bo', role: 'customer' },
	],
	messages: [
		{ participant_id: '2', timestamp: '2024-01-15T10:00:00Z', content: 'My router is down' },
		{ participant_id: '1', timestamp: '2024-01-15T10:00:20+01:00', content: 'Let me check' },
	],
};

const TRANSCRIPT = {
	participantOne: {
		phrases: ['hello how can i help'],
		phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 1500, phraseIndex: 0, score: 0.98 }],
	},
	participantTwo: {
		phrases: ['my bill is wrong'],
		phraseSegments: [{ startTimeOffset: 1600, endTimeOffset: 3500, phraseIndex: 0 }],
	},
};

const METADATA = {
	direction: 'inbound',
	recorded: '2023-08-03T15:27:09Z',
	agent: { id: 'a-17', name: 'Ana', supervisor: { id: 's-2', name: 'Sam' } },
	custom: { integers: { integer8: '42' }, dateTimes: { dateTime1: '2023-08-03T15:27:09.123Z' } },
};

function answerDeclare(identifier = ID) {
	fakeApi(request, { 'POST /interactions': () => ({ interactionIdentifier: identifier }) });
}

describe('interaction:declare', () => {
	beforeEach(() => request.mockReset());

	it('should POST an audio declare with every additional field and echo it with the SFTP password masked', async () => {
		answerDeclare(ID.toUpperCase());
		const downloadUri = 'sftp://calls:s3cr3t-pw@files.example.com:2222/~/2024/call-0042.wav;type=d';
		const fake = fakeContext({
			params: {
				operation: 'declare',
				interactionType: 'audio',
				languageTag: 'auto',
				includeAiResults: true,
				additionalFields: {
					downloadUri: ` ${downloadUri} `,
					originalFilename: ' call-0042.wav ',
					externalIdentifier: 'CRM-00Q5e',
					model: 'echo',
					audioTranscriptionMode: 'highSpeed',
					metadata: JSON.stringify(METADATA),
				},
			},
		});

		const outcomes = await fake.run(execute);

		const body = {
			type: 'audio',
			languageTag: 'auto',
			vertical: 'default',
			includeAiResults: true,
			downloadUri,
			model: 'echo',
			audioTranscriptionMode: 'highSpeed',
			originalFilename: 'call-0042.wav',
			externalIdentifier: 'CRM-00Q5e',
			metadata: METADATA,
		};
		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'POST',
			path: '/interactions',
			body,
			itemIndex: 0,
			retry: 'declare',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						...body,
						downloadUri: 'sftp://calls:***@files.example.com:2222/~/2024/call-0042.wav;type=d',
					},
					pairedItem: { item: 0 },
				},
			],
		]);
		expect(JSON.stringify(outcomes)).not.toContain('s3cr3t-pw');
	});

	it('should send only the required audio fields when nothing else is set', async () => {
		answerDeclare();
		const fake = fakeContext({ params: { operation: 'declare' } });

		const outcomes = await fake.run(execute);

		expect(request.mock.calls[0][1].body).toEqual({
			type: 'audio',
			languageTag: 'en-us',
			vertical: 'default',
			includeAiResults: false,
		});
		expect(outcomes).toEqual([
			[
				{
					json: { interactionIdentifier: ID, type: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false },
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should accept metadata given as an object by an expression', async () => {
		answerDeclare();
		const fake = fakeContext({
			params: { operation: 'declare', additionalFields: { metadata: '={{ $json.meta }}' } },
			items: [{ json: { meta: { category: 'sales', site: 'Leeds' } } }],
		});

		await fake.run(execute);

		expect(request.mock.calls[0][1].body?.metadata).toEqual({ category: 'sales', site: 'Leeds' });
	});

	it.each([
		['Recording Source URL', { recordingSource: 'url', downloadUri: ' https://files.example.com/calls/a.wav ' }],
		['the old Additional Fields → Download URI of a saved workflow', { additionalFields: { downloadUri: 'https://files.example.com/calls/a.wav' } }],
	])('should declare audio that ElevateAI fetches itself with %s', async (_, parameters) => {
		answerDeclare();
		const fake = fakeContext({ params: { operation: 'declare', ...parameters } });

		const outcomes = await fake.run(execute);

		const body = { type: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false, downloadUri: 'https://files.example.com/calls/a.wav' };
		expect(request).toHaveBeenCalledWith(fake.ctx, expect.objectContaining({ method: 'POST', path: '/interactions', body }));
		expect(outcomes).toEqual([[{ json: { interactionIdentifier: ID, ...body }, pairedItem: { item: 0 } }]]);
	});

	it('should declare a chat with the parsed conversation and echo its message count, not the messages', async () => {
		answerDeclare();
		const fake = fakeContext({
			params: {
				operation: 'declare',
				interactionType: 'chat',
				languageTag: 'es-419',
				chat: JSON.stringify(CHAT),
				// Audio-only fields are ignored for a chat.
				additionalFields: { downloadUri: 'https://example.com/a.wav', model: 'echo', externalIdentifier: 'T-1' },
			},
		});

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'POST',
			path: '/interactions',
			body: {
				type: 'chat',
				languageTag: 'es-419',
				vertical: 'default',
				includeAiResults: false,
				externalIdentifier: 'T-1',
				chat: CHAT,
			},
			itemIndex: 0,
			retry: 'declare',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([
			[
				{
					json: {
						interactionIdentifier: ID,
						type: 'chat',
						languageTag: 'es-419',
						vertical: 'default',
						includeAiResults: false,
						externalIdentifier: 'T-1',
						messageCount: 2,
					},
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should declare a transcript with the parsed transcript and leave it out of the output', async () => {
		answerDeclare();
		const fake = fakeContext({
			params: { operation: 'declare', interactionType: 'transcript', includeAiResults: true, transcript: JSON.stringify(TRANSCRIPT) },
		});

		const outcomes = await fake.run(execute);

		expect(request.mock.calls[0][1]).toEqual({
			method: 'POST',
			path: '/interactions',
			body: { type: 'transcript', languageTag: 'en-us', vertical: 'default', includeAiResults: true, transcript: TRANSCRIPT },
			itemIndex: 0,
			retry: 'declare',
			maxRetries: 5,
		});
		expect(outcomes).toEqual([
			[
				{
					json: { interactionIdentifier: ID, type: 'transcript', languageTag: 'en-us', vertical: 'default', includeAiResults: true },
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should pass the input binary through so that Upload can follow without a Merge', async () => {
		fakeApi(request, {
			'POST /interactions': (req) => ({ interactionIdentifier: req.itemIndex === 0 ? ID : ID2 }),
		});
		const fake = fakeContext({
			params: { operation: 'declare' },
			items: [{ binary: { data: { content: 'RIFF', fileName: 'a.wav' } } }, { json: { n: 2 } }],
		});

		const outcomes = (await fake.run(execute)) as Array<Array<{ binary?: unknown; pairedItem: unknown }>>;

		expect(outcomes[0][0].binary).toBe(fake.items[0].binary);
		expect(outcomes[0][0].pairedItem).toEqual({ item: 0 });
		expect(outcomes[1][0]).not.toHaveProperty('binary');
		expect(outcomes[1][0].pairedItem).toEqual({ item: 1 });
	});

	describe('validation', () => {
		it.each<[string, INodeParameters, string]>([
			[
				'a language outside the list',
				{ languageTag: 'fr' },
				'Invalid Language: must be one of: auto, en, en-us, ja, pt-br, es-419 [item 1]',
			],
			[
				'a chat in a language chat does not support',
				{ interactionType: 'chat', languageTag: 'ja', chat: JSON.stringify(CHAT) },
				'Invalid Language: chat interactions support en-us, en, es-419 [item 1]',
			],
			[
				'a chat language from an expression (the editor offers chat only its languages)',
				{ interactionType: 'chat', languageTag: '={{ "auto" }}', chat: JSON.stringify(CHAT) },
				'Invalid Language: chat interactions support en-us, en, es-419 [item 1]',
			],
			[
				'Recording Source URL with a download URI with an unsupported scheme',
				{ recordingSource: 'url', downloadUri: 'ftp://files.example.com/a.wav' },
				'Invalid Download URI: uses "ftp"; ElevateAI downloads from https, http or sftp only [item 1]',
			],
			['Recording Source URL without a download URI', { recordingSource: 'url' }, 'Invalid Download URI: must not be empty [item 1]'],
			[
				'Recording Source URL with the old Download URI still set',
				{ recordingSource: 'url', downloadUri: 'https://files.example.com/a.wav', additionalFields: { downloadUri: 'https://files.example.com/b.wav' } },
				'Invalid Download URI (Deprecated): Recording Source is URL, so the recording comes from Download URI; remove Additional Fields → Download URI (Deprecated) [item 1]',
			],
			[
				'a download URI with an unsupported scheme (old Additional Fields)',
				{ additionalFields: { downloadUri: 'ftp://files.example.com/a.wav' } },
				'Invalid Download URI: uses "ftp"; ElevateAI downloads from https, http or sftp only [item 1]',
			],
			[
				'an SFTP download URI outside the home folder',
				{ additionalFields: { downloadUri: 'sftp://u:p@files.example.com/etc/a.wav' } },
				'Invalid Download URI: must point at a file under the home folder, as sftp://[user:password@]host[:port]/~/path/file.wav [item 1]',
			],
			['metadata that is not JSON', { additionalFields: { metadata: '{ direction: in' } }, 'Invalid Metadata: it is not valid JSON [item 1]'],
			[
				'metadata with a local date-time',
				{ additionalFields: { metadata: '{"recorded":"2023-08-03 15:27:09"}' } },
				'Invalid Metadata: recorded must be an ISO 8601 UTC date-time such as 2023-08-03T15:27:09Z [item 1]',
			],
			[
				'metadata with a number value',
				{ additionalFields: { metadata: '{"agent":{"id":17}}' } },
				'Invalid Metadata: agent.id must be a string [item 1]',
			],
			[
				'a chat message from an unknown participant',
				{
					interactionType: 'chat',
					chat: JSON.stringify({ ...CHAT, messages: [{ participant_id: '9', timestamp: '2024-01-15T10:00:00Z', content: 'x' }] }),
				},
				'Invalid Chat: messages[0].participant_id "9" is not one of the participants [item 1]',
			],
			[
				'a chat message without a proper timestamp',
				{
					interactionType: 'chat',
					chat: JSON.stringify({ ...CHAT, messages: [{ participant_id: '1', timestamp: 'yesterday', content: 'x' }] }),
				},
				'Invalid Chat: messages[0].timestamp must be an ISO 8601 date-time [item 1]',
			],
			['an empty chat', { interactionType: 'chat', chat: '  ' }, 'Invalid Chat: it is empty [item 1]'],
			[
				'a transcript without any participant',
				{ interactionType: 'transcript', transcript: '{"redactionSegments":[]}' },
				'Invalid Transcript: must contain allParticipants, participantOne or participantTwo with phrases [item 1]',
			],
			[
				'a transcript with a negative offset',
				{
					interactionType: 'transcript',
					transcript: JSON.stringify({
						participantOne: { phrases: ['a'], phraseSegments: [{ startTimeOffset: -1, endTimeOffset: 5, phraseIndex: 0 }] },
					}),
				},
				'Invalid Transcript: participantOne.phraseSegments[0].startTimeOffset Number must be greater than or equal to 0 [item 1]',
			],
			['an unknown model', { additionalFields: { model: 'gpt' } }, 'Invalid Model: must be one of: cx, echo [item 1]'],
		])('should reject %s with the field and item named, and send nothing for it', async (_, overrides, message) => {
			answerDeclare();
			const fake = fakeContext({
				params: { operation: 'declare', options: { concurrency: 1 } },
				items: [{}, { params: overrides }],
				continueOnFail: true,
			});

			const outcomes = await fake.run(execute);

			expect(outcomes[1]).toBeInstanceOf(NodeOperationError);
			expect((outcomes[1] as Error).message).toContain(message);
			expect((outcomes[1] as NodeOperationError).context.itemIndex).toBe(1);
			// Only item 0 was declared.
			expect(request).toHaveBeenCalledTimes(1);
			expect(request.mock.calls[0][1].itemIndex).toBe(0);
		});

		it('should show the received value in the description of a scalar field error', async () => {
			const fake = fakeContext({ params: { operation: 'declare', languageTag: 'fr' } });

			const [outcome] = await fake.run(execute);

			expect((outcome as NodeOperationError).description).toBe('Received "fr".');
			expect(request).not.toHaveBeenCalled();
		});
	});

	it('should fail with an API error, not retry, when the declare answer has no identifier', async () => {
		fakeApi(request, { 'POST /interactions': () => ({}) });
		const fake = fakeContext({ params: { operation: 'declare' } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeApiError);
		expect((outcome as Error).message).toBe('ElevateAI accepted the declare but returned no interactionIdentifier');
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('should stop declaring after the first failure when Continue On Fail is off', async () => {
		fakeApi(request, {
			'POST /interactions': (req) => {
				if (req.itemIndex === 1) throw apiError(400, 'Bad languageTag', 1);
				return { interactionIdentifier: ID };
			},
		});
		const fake = fakeContext({ params: { operation: 'declare', options: { concurrency: 1 } }, items: [{}, {}, {}] });

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toEqual([expect.objectContaining({ json: expect.objectContaining({ interactionIdentifier: ID }) })]);
		expect((outcomes[1] as Error).message).toBe('ElevateAI error 400: Bad languageTag');
		expect(outcomes[2]).toBeUndefined();
		expect(request).toHaveBeenCalledTimes(2);
	});
});

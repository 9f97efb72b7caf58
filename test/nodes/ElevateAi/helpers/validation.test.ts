import { NodeOperationError } from 'n8n-workflow';

import {
	chatSchema,
	downloadUriSchema,
	guidSchema,
	metadataSchema,
	parseField,
	parseInteractionIdentifier,
	parseJsonField,
	readCallOptions,
	readTranscriptFormat,
	readWaitSettings,
	transcriptSchema,
} from '../../../../nodes/ElevateAi/helpers/validation';
import { ID, NODE, fakeContext } from '../../../helpers/context';

function issue(schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: Array<{ message: string }> } } }, value: unknown) {
	const result = schema.safeParse(value);
	return result.success ? undefined : result.error?.issues[0].message;
}

const CHAT = {
	participants: [
		{ participant_id: 1, name: 'Ana', role: 'agent' },
		{ participant_id: '2', name: 'Bo', role: 'customer' },
	],
	messages: [
		{ participant_id: '1', timestamp: '2024-01-15T10:00:00Z', content: 'Hi' },
		{ participant_id: 2, timestamp: '2024-01-15T10:00:05.250+02:00', content: 'Hello' },
	],
};

describe('helpers/validation', () => {
	describe('guid', () => {
		it.each([ID, ID.toUpperCase(), ` ${ID} `])('should accept %p', (value) => {
			expect(guidSchema.safeParse(value).success).toBe(true);
		});

		it.each(['', '../x', `${ID}/ai`, `${ID}?a=1`, '3fa85f64-5717-4562-b3fc-2c963f66afa', '3fa85f64571745 62b3fc2c963f66afa6', 'zfa85f64-5717-4562-b3fc-2c963f66afa6', 42])(
			'should reject %p',
			(value) => {
				expect(guidSchema.safeParse(value).success).toBe(false);
			},
		);

		it('should lowercase a valid identifier and name the item of a bad one', () => {
			expect(parseInteractionIdentifier(NODE, 0, ID.toUpperCase())).toBe(ID);
			expect(() => parseInteractionIdentifier(NODE, 3, '../../admin')).toThrow(
				'Invalid Interaction ID: must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 [item 3]',
			);
			expect(() => parseInteractionIdentifier(NODE, 2, null)).toThrow('Invalid Interaction ID: it is empty [item 2]');
		});
	});

	describe('downloadUri', () => {
		it.each([
			'https://storage.example.com/calls/call-0042.wav',
			'https://bucket.s3.amazonaws.com/a.wav?X-Amz-Signature=abc&X-Amz-Expires=3600',
			'http://files.example.com/a.mp3',
			'sftp://files.example.com/~/calls/a.wav',
			'sftp://user:pass@files.example.com:2222/~/calls/a.wav;type=d',
		])('should accept %s', (value) => {
			expect(issue(downloadUriSchema, value)).toBeUndefined();
		});

		it.each([
			['', 'must not be empty'],
			['storage.example.com/a.wav', 'must be an absolute URL (https://…, http://… or sftp://host/~/path)'],
			['ftp://files.example.com/a.wav', 'uses "ftp"; ElevateAI downloads from https, http or sftp only'],
			['file:///etc/passwd', 'uses "file"; ElevateAI downloads from https, http or sftp only'],
			['sftp://files.example.com/calls/a.wav', 'must point at a file under the home folder, as sftp://[user:password@]host[:port]/~/path/file.wav'],
			['sftp://files.example.com/~/', 'must point at a file under the home folder, as sftp://[user:password@]host[:port]/~/path/file.wav'],
		])('should reject %p: %s', (value, message) => {
			expect(issue(downloadUriSchema, value)).toBe(message);
		});
	});

	describe('metadata', () => {
		it('should accept the standard keys, custom slots and unknown keys the server ignores', () => {
			const metadata = {
				category: 'sales',
				direction: 'outbound',
				recorded: '2023-08-03T15:27:09Z',
				site: 'Leeds',
				customer: 'C-1',
				audio: { extension: '4411', dnis: '+441130000000' },
				agent: { id: 'a', name: 'Ana', supervisor: { id: 's', name: 'Sam' }, group: { id: 'g', name: 'Team' } },
				custom: {
					dateTimes: { dateTime1: '2023-08-03T15:27:09.5Z' },
					texts: { text1: 'x' },
					integers: { integer8: '-42' },
					decimals: { decimal2: '3.14' },
				},
				futureKey: 'x',
				futureGroup: { a: 1 },
			};
			expect(metadataSchema.safeParse(metadata).success).toBe(true);
		});

		it.each([
			[{ recorded: '2023-08-03T15:27:09+02:00' }, 'must be an ISO 8601 UTC date-time such as 2023-08-03T15:27:09Z'],
			[{ direction: 1 }, 'must be a string'],
			[{ custom: { integers: { integer1: '4.5' } } }, 'must be a whole number written as a string'],
			[{ custom: { decimals: { decimal1: 'pi' } } }, 'must be a decimal number written as a string'],
			[{ custom: { dateTimes: { dateTime1: '2023-08-03' } } }, 'must be an ISO 8601 UTC date-time such as 2023-08-03T15:27:09Z'],
		])('should reject %p', (value, message) => {
			expect(issue(metadataSchema, value)).toBe(message);
		});

		it('should reject unknown keys inside the known groups (a typo would be silently dropped by the server)', () => {
			expect(metadataSchema.safeParse({ agent: { nmae: 'Ana' } }).success).toBe(false);
			expect(metadataSchema.safeParse({ custom: { text: { a: 'x' } } }).success).toBe(false);
		});

		it('should show where the bad value is in the error', () => {
			expect(() =>
				parseField(NODE, 1, 'Metadata', metadataSchema, { agent: { supervisor: { id: 7 } } }),
			).toThrow('Invalid Metadata: agent.supervisor.id must be a string [item 1]');
		});
	});

	describe('chat', () => {
		it('should accept participants and messages with string or number ids and offset timestamps', () => {
			expect(chatSchema.safeParse(CHAT).success).toBe(true);
		});

		it.each([
			[{ ...CHAT, participants: [] }, 'must list at least one participant'],
			[{ ...CHAT, messages: [] }, 'must contain at least one message'],
			[{ ...CHAT, messages: [{ participant_id: '1', timestamp: '10:00', content: 'x' }] }, 'must be an ISO 8601 date-time'],
			[{ ...CHAT, messages: [{ participant_id: '3', timestamp: '2024-01-15T10:00:00Z', content: 'x' }] }, '"3" is not one of the participants'],
		])('should reject %j', (value, message) => {
			expect(issue(chatSchema, value)).toBe(message);
		});

		it('should point at a camelCase participantId, which the API does not know', () => {
			const chat = { participants: [{ participantId: '1', name: 'A', role: 'agent' }], messages: CHAT.messages };
			expect(() => parseField(NODE, 0, 'Chat', chatSchema, chat)).toThrow('Invalid Chat: participants[0].participant_id Invalid input [item 0]');
		});

		it('should name the message at fault', () => {
			const chat = { ...CHAT, messages: [...CHAT.messages, { participant_id: '9', timestamp: '2024-01-15T10:00:00Z', content: '' }] };
			expect(() => parseField(NODE, 0, 'Chat', chatSchema, chat)).toThrow(
				'Invalid Chat: messages[2].participant_id "9" is not one of the participants [item 0]',
			);
		});
	});

	describe('transcript', () => {
		const group = { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 0, endTimeOffset: 10, phraseIndex: 0, score: 0.5 }] };

		it.each([{ participantOne: group }, { allParticipants: group }, { participantOne: group, participantTwo: group, redactionSegments: [] }])(
			'should accept %j',
			(value) => {
				expect(transcriptSchema.safeParse(value).success).toBe(true);
			},
		);

		it.each([
			[{}, 'must contain allParticipants, participantOne or participantTwo with phrases'],
			[{ participantOne: { phrases: ['a'], phraseSegments: [{ startTimeOffset: 1.5, endTimeOffset: 2, phraseIndex: 0 }] } }, 'Expected integer, received float'],
			[{ participantOne: { phrases: 'a', phraseSegments: [] } }, 'Expected array, received string'],
		])('should reject %j', (value, message) => {
			expect(issue(transcriptSchema, value)).toBe(message);
		});
	});

	describe('parseJsonField / parseField', () => {
		it('should parse JSON text, pass objects through and name the field and item of bad JSON', () => {
			expect(parseJsonField(NODE, 0, 'Chat', '{"a":1}')).toEqual({ a: 1 });
			const object = { a: 1 };
			expect(parseJsonField(NODE, 0, 'Chat', object)).toBe(object);
			expect(() => parseJsonField(NODE, 4, 'Chat', '{a:1}')).toThrow('Invalid Chat: it is not valid JSON [item 4]');
			expect(() => parseJsonField(NODE, 4, 'Chat', ' ')).toThrow('Invalid Chat: it is empty [item 4]');
		});

		it('should throw a NodeOperationError with the item index and the received value, shortened', () => {
			let error: NodeOperationError | undefined;
			try {
				parseField(NODE, 2, 'Interaction ID', guidSchema, 'x'.repeat(100));
			} catch (e) {
				error = e as NodeOperationError;
			}
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error?.context.itemIndex).toBe(2);
			expect(error?.description).toBe(`Received "${'x'.repeat(76)}….`);
		});
	});

	describe('parameter readers', () => {
		it('should read the call options: the item and its Max Retries, 5 by default', () => {
			const fake = fakeContext({ params: { operation: 'getStatus' }, items: [{}, { params: { options: { maxRetries: 0 } } }] });

			expect(readCallOptions(fake.ctx, 0)).toEqual({ itemIndex: 0, maxRetries: 5 });
			expect(readCallOptions(fake.ctx, 1)).toEqual({ itemIndex: 1, maxRetries: 0 });
		});

		it('should refuse an invalid Max Retries, naming the field and the item', () => {
			const fake = fakeContext({ params: { operation: 'getStatus', options: { maxRetries: 11 } } });

			expect(() => readCallOptions(fake.ctx, 0)).toThrow(/^Invalid Max Retries: .* \[item 0\]$/);
			expect(() => readCallOptions(fake.ctx, 0)).toThrow(NodeOperationError);
		});

		it('should read Poll Interval and Timeout in milliseconds; the default 0 follows the interaction type', () => {
			const automatic = fakeContext({ params: { operation: 'transcribe', interactionType: 'chat' } });
			expect(readWaitSettings(automatic.ctx, 0, 'chat')).toEqual({ intervalMs: 5_000, timeoutMs: 3_600_000, automatic: true });
			expect(readWaitSettings(automatic.ctx, 0, 'transcript')).toMatchObject({ intervalMs: 5_000, automatic: true });
			expect(readWaitSettings(automatic.ctx, 0, 'audio')).toMatchObject({ intervalMs: 30_000, automatic: true });
			// Unknown or missing type: audio's pace, the slower one, never faster than ElevateAI asks.
			for (const type of [undefined, 'video', 42, null]) {
				expect(readWaitSettings(automatic.ctx, 0, type)).toMatchObject({ intervalMs: 30_000, automatic: true });
			}
			const set = fakeContext({ params: { operation: 'waitForCompletion', pollInterval: 2 } });
			expect(readWaitSettings(set.ctx, 0, 'audio')).toEqual({ intervalMs: 2_000, timeoutMs: 3_600_000, automatic: false });
			const nan = fakeContext({ params: { operation: 'waitForCompletion', pollInterval: Number.NaN } });
			expect(() => readWaitSettings(nan.ctx, 0)).toThrow(/^Invalid Poll Interval: .* \[item 0\]$/);
			for (const pollInterval of [0.5, -1, 0.999]) {
				const bad = fakeContext({ params: { operation: 'waitForCompletion', pollInterval } });
				expect(() => readWaitSettings(bad.ctx, 0)).toThrow('Invalid Poll Interval: must be 0 (automatic) or at least 1 second [item 0]');
			}
		});

		it('should read the Transcript Format, punctuated by default', () => {
			expect(readTranscriptFormat(fakeContext({ params: { operation: 'getTranscript' } }).ctx, 0)).toBe('punctuated');
			const bad = fakeContext({ params: { operation: 'getTranscript', transcriptFormat: 'srt' } });
			expect(() => readTranscriptFormat(bad.ctx, 0)).toThrow('Invalid Transcript Format: must be one of: punctuated, phraseByPhrase [item 0]');
		});
	});
});

import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { router } from '../../../../nodes/ElevateAi/actions/router';
import { elevateAiApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, ID3, apiError, fakeApi, fakeContext, fakeStatusFailingFor, requestLines } from '../../../helpers/context';
import type { FakeContextOptions } from '../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => {}) }));
jest.mock('../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

async function runRouter(options: FakeContextOptions) {
	const fake = fakeContext(options);
	return { fake, run: async () => await router.call(fake.ctx) };
}

/** Waits for a few turns of the event loop, so that later items can overtake earlier ones. */
const later = async () => await new Promise((resolve) => setTimeout(resolve, 5));

/** Get Status throws `error` (not an API error) for every item. */
function statusThrows(error: Error) {
	fakeApi(request, {
		'GET /interactions/:id/status': () => {
			throw error;
		},
	});
}

const TWO_ITEMS = [{ json: { interactionIdentifier: ID } }, { json: { interactionIdentifier: ID2 } }];

describe('router', () => {
	beforeEach(() => {
		request.mockReset();
		jest.mocked(sleep).mockClear();
	});

	it('should run the chosen operation on every item and return one output with pairedItem', async () => {
		fakeApi(request, { 'GET /interactions/:id/status': (req) => ({ status: 'processed', n: req.itemIndex }) });
		const { run } = await runRouter({
			params: { operation: 'getStatus' },
			items: [{ json: { interactionIdentifier: ID } }, { json: { interactionIdentifier: ID2 } }],
		});

		expect(await run()).toEqual([
			[
				{ json: { interactionIdentifier: ID, status: 'processed', n: 0 }, pairedItem: { item: 0 } },
				{ json: { interactionIdentifier: ID2, status: 'processed', n: 1 }, pairedItem: { item: 1 } },
			],
		]);
	});

	it('should give an AI agent compact outputs: text and scores without time-coded segments', async () => {
		fakeApi(request, {
			'GET /interactions/:id/transcripts/punctuated': () => ({
				sentenceSegments: [{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 900, phrase: 'Hello.' }],
				redactionSegments: [{ startTimeOffset: 0, endTimeOffset: 10, result: 'pci' }],
			}),
		});
		const { run } = await runRouter({
			params: { operation: 'getTranscript' },
			items: [{ json: { interactionIdentifier: ID } }],
			asTool: true,
		});

		const simplified = { interactionIdentifier: ID, text: 'Participant One: Hello.', participantOneText: 'Hello.', participantTwoText: '', durationSeconds: 0.9, redacted: true };
		expect(await run()).toEqual([[{ json: simplified, pairedItem: { item: 0 } }]]);
		// With Simplify off, an agent still gets the simplified shape, not the segments.
		const raw = await runRouter({ params: { operation: 'getTranscript', simple: false }, items: [{ json: { interactionIdentifier: ID } }], asTool: true });
		expect(await raw.run()).toEqual([[{ json: simplified, pairedItem: { item: 0 } }]]);
	});

	it('should refuse an operation it does not know', async () => {
		const { run } = await runRouter({ params: { operation: 'listAll' } });

		await expect(run()).rejects.toThrow(new NodeOperationError(fakeContext().ctx.getNode(), 'The operation "listAll" is not supported'));
		expect(request).not.toHaveBeenCalled();
	});

	describe('with Continue On Fail', () => {
		it('should turn each failed item into { error, errorDescription, interactionIdentifier } paired with it', async () => {
			fakeStatusFailingFor(request, 1);
			const { run } = await runRouter({
				params: { operation: 'getStatus' },
				items: [{ json: { interactionIdentifier: ID } }, { json: { interactionIdentifier: ID2 } }, { json: { interactionIdentifier: '../x' } }],
				continueOnFail: true,
			});

			expect(await run()).toEqual([
				[
					{ json: { interactionIdentifier: ID, status: 'processed' }, pairedItem: { item: 0 } },
					{
						json: { error: 'ElevateAI error 404: Interaction not found', errorDescription: 'hint', interactionIdentifier: ID2 },
						pairedItem: { item: 1 },
					},
					{
						json: {
							error: 'Invalid Interaction ID: must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 [item 2]',
							errorDescription: 'Received "../x".',
						},
						pairedItem: { item: 2 },
					},
				],
			]);
		});

		it('should give failed items the error-output shape when On Error sends them to the error output', async () => {
			fakeStatusFailingFor(request, 1);
			const { run } = await runRouter({
				params: { operation: 'getStatus' },
				items: TWO_ITEMS,
				continueOnFail: true,
				onError: 'continueErrorOutput',
			});

			// Exactly {error, message}: the only json n8n 1.x and 2.0 route to the error output (2.41
			// accepts it too); n8n itself merges the input item's fields back in.
			expect(await run()).toEqual([
				[
					{ json: { interactionIdentifier: ID, status: 'processed' }, pairedItem: { item: 0 } },
					{
						json: { error: 'ElevateAI error 404: Interaction not found', message: 'hint' },
						pairedItem: { item: 1 },
					},
				],
			]);
		});

		it('should name the interaction in the error-output message when the input item lacks it', async () => {
			statusThrows(new TypeError('socket exploded'));
			const { run } = await runRouter({
				params: { operation: 'getStatus', interactionIdentifier: ID },
				continueOnFail: true,
				onError: 'continueErrorOutput',
			});

			const [[failed]] = await run();
			// The input item has no interactionIdentifier for n8n to merge back in: the message names it.
			expect(failed).toEqual({ json: { error: 'socket exploded', message: `Interaction ${ID}.` }, pairedItem: { item: 0 } });
		});

		it('should give a validation failure { error, message } for the error output', async () => {
			fakeApi(request, {});
			const { run } = await runRouter({
				params: { operation: 'getStatus' },
				items: [{ json: { interactionIdentifier: '' } }],
				continueOnFail: true,
				onError: 'continueErrorOutput',
			});

			const [[failed]] = await run();
			expect(Object.keys(failed.json)).toEqual(['error', 'message']);
			expect(failed.json.error).toMatch(/Interaction ID/);
		});

		it('should leave errorDescription out when the error has none', async () => {
			statusThrows(new TypeError('socket exploded'));
			const { run } = await runRouter({
				params: { operation: 'getStatus', interactionIdentifier: ID },
				continueOnFail: true,
			});

			expect(await run()).toEqual([[{ json: { error: 'socket exploded', interactionIdentifier: ID }, pairedItem: { item: 0 } }]]);
		});

		it('should name the interaction an error concerns even when the operation has no Interaction ID parameter', async () => {
			fakeApi(request, {
				'POST /interactions': (req) => ({ interactionIdentifier: req.itemIndex === 0 ? ID : ID2 }),
				'POST /interactions/:id/upload': (req) => {
					if (req.itemIndex === 0) throw apiError(409, 'Not waiting for an upload');
				},
				'GET /interactions/:id/status': () => ({ status: 'processed' }),
				'GET /interactions/:id/transcripts/punctuated': () => ({ sentenceSegments: [] }),
			});
			const wav = { data: { content: 'RIFF', fileName: 'a.wav' } };
			const { run } = await runRouter({
				params: { operation: 'transcribe', simple: false },
				items: [{ binary: wav }, { binary: wav }],
				continueOnFail: true,
			});

			const [output] = await run();

			expect(output[0]).toEqual({
				json: {
					error: 'ElevateAI error 409: Not waiting for an upload',
					errorDescription: 'hint',
					interactionIdentifier: ID,
				},
				pairedItem: { item: 0 },
			});
			expect(output[1]).toEqual({
				json: { interactionIdentifier: ID2, status: 'processed', sentenceSegments: [], text: '' },
				pairedItem: { item: 1 },
			});

			// For the error output the interaction the node created goes into the message, as the
			// input item (a recording) has no interactionIdentifier for n8n to merge back in.
			const toErrorOutput = await runRouter({
				params: { operation: 'transcribe', simple: false },
				items: [{ binary: wav }, { binary: wav }],
				continueOnFail: true,
				onError: 'continueErrorOutput',
			});
			const [[failed]] = await toErrorOutput.run();
			expect(failed).toEqual({
				json: { error: 'ElevateAI error 409: Not waiting for an upload', message: `hint Interaction ${ID}.` },
				pairedItem: { item: 0 },
			});
		});
	});

	describe('without Continue On Fail', () => {
		it('should throw the first failure in item order, even when a later item failed first', async () => {
			fakeApi(request, {
				'GET /interactions/:id/status': async (req) => {
					if (req.itemIndex === 1) {
						await later();
						throw apiError(500, 'first item to fail in order', 1);
					}
					if (req.itemIndex === 2) throw apiError(404, 'first to fail in time', 2);
					return { status: 'processed' };
				},
			});
			const { run } = await runRouter({
				params: { operation: 'getStatus' },
				items: [ID, ID2, ID3].map((interactionIdentifier) => ({ json: { interactionIdentifier } })),
			});

			const error = await run().catch((e: unknown) => e);

			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as Error).message).toBe('ElevateAI error 500: first item to fail in order');
			expect((error as NodeApiError).context.itemIndex).toBe(1);
		});

		it('should keep a NodeOperationError as it is', async () => {
			const { run } = await runRouter({ params: { operation: 'getStatus', interactionIdentifier: 'nope' } });

			const error = await run().catch((e: unknown) => e);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error).not.toBeInstanceOf(NodeApiError);
			expect((error as Error).message).toBe(
				'Invalid Interaction ID: must be a GUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6 [item 0]',
			);
			expect((error as NodeOperationError).description).toBe('Received "nope".');
		});

		it('should wrap any other error in a NodeOperationError with the item index', async () => {
			statusThrows(new RangeError('out of range'));
			const { run } = await runRouter({ params: { operation: 'getStatus', interactionIdentifier: ID } });

			const wrapped = await run().catch((e: unknown) => e);

			expect(wrapped).toBeInstanceOf(NodeOperationError);
			expect((wrapped as Error).message).toBe('out of range');
			expect((wrapped as NodeOperationError).context.itemIndex).toBe(0);
		});

		it('should list the interactions created before a declare batch stopped', async () => {
			fakeApi(request, {
				'POST /interactions': (req) => {
					if (req.itemIndex === 1) throw apiError(400, 'Bad metadata', 1);
					return { interactionIdentifier: req.itemIndex === 0 ? ID : ID2 };
				},
			});
			const { run } = await runRouter({ params: { operation: 'declare', options: { concurrency: 1 } }, items: [{}, {}, {}] });

			const error = await run().catch((e: unknown) => e);

			expect((error as Error).message).toBe('ElevateAI error 400: Bad metadata');
			expect((error as NodeApiError).description).toBe(`hint Interactions created before the node stopped: ${ID}.`);
			expect(request).toHaveBeenCalledTimes(2);
		});

		it('should also list interactions that later items created concurrently before the batch stopped', async () => {
			fakeApi(request, {
				'POST /interactions': async (req) => {
					if (req.itemIndex === 1) {
						await later();
						throw apiError(400, 'Bad metadata', 1);
					}
					return { interactionIdentifier: [ID, '', ID2, ID3][req.itemIndex as number] };
				},
			});
			const { run } = await runRouter({ params: { operation: 'declare' }, items: [{}, {}, {}, {}] });

			const error = await run().catch((e: unknown) => e);

			expect((error as Error).message).toBe('ElevateAI error 400: Bad metadata');
			expect(requestLines(request)).toHaveLength(4);
			for (const id of [ID, ID2, ID3]) expect((error as NodeApiError).description).toContain(id);
		});

		it('should list the interactions a stopped transcribe batch created but did not finish', async () => {
			fakeApi(request, {
				'POST /interactions': (req) => {
					if (req.itemIndex === 1) throw apiError(429, 'Quota exceeded', 1);
					return { interactionIdentifier: ID };
				},
				'POST /interactions/:id/upload': () => undefined,
			});
			const wav = { data: { content: 'RIFF', fileName: 'a.wav' } };
			const { run } = await runRouter({
				params: { operation: 'transcribe', options: { concurrency: 1 } },
				items: [{ binary: wav }, { binary: wav }],
			});

			const error = await run().catch((e: unknown) => e);

			expect((error as Error).message).toBe('ElevateAI error 429: Quota exceeded');
			expect((error as NodeApiError).description).toContain(ID);
			expect(requestLines(request)).toEqual(['POST /interactions', `POST /interactions/${ID}/upload`, 'POST /interactions']);
		});

		it('should not list anything for operations that create no interaction', async () => {
			fakeStatusFailingFor(request, 1, 'Not found');
			const { run } = await runRouter({
				params: { operation: 'getStatus', options: { concurrency: 1 } },
				items: TWO_ITEMS,
			});

			const error = await run().catch((e: unknown) => e);

			expect((error as NodeApiError).description).toBe('hint');
		});
	});
});

import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ItemBinaryFile } from '../../../../nodes/ElevateAi/helpers/binary';
import type { MultipartBody } from '../../../../nodes/ElevateAi/helpers/multipart';
import {
	declareInteraction,
	deleteInteraction,
	fetchAiResults,
	fetchDeclaration,
	fetchStatus,
	fetchSummary,
	fetchTranscript,
	uploadRecording,
} from '../../../../nodes/ElevateAi/transport/interactions';
import type { ApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { ID, apiError, fakeApi, fakeContext, requestLines } from '../../../helpers/context';

jest.mock('../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const CALL = { itemIndex: 2, maxRetries: 3 };
const FILE: ItemBinaryFile = {
	fileName: 'call.wav',
	mimeType: 'audio/wav',
	fileSize: 4,
	open: () =>
		(async function* () {
			yield Buffer.from('RIFF');
		})(),
};

async function failure(promise: Promise<unknown>): Promise<Error> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!error) throw new Error('expected the call to fail');
	return error as Error;
}

describe('transport:interactions', () => {
	const { ctx } = fakeContext();
	beforeEach(() => request.mockReset());

	it('should send each call to its path with its retry mode, the item and its Max Retries', async () => {
		fakeApi(request, {
			'POST /interactions': () => ({ interactionIdentifier: ID }),
			'GET /interactions/:id/status': () => ({ status: 'processed' }),
			'GET /interactions/:id': () => ({ type: 'audio' }),
			'GET /interactions/:id/transcripts/punctuated': () => ({ sentenceSegments: [] }),
			'GET /interactions/:id/transcript': () => ({ participantOne: {} }),
			'GET /interactions/:id/ai': () => undefined,
			'DELETE /interactions/:id': () => undefined,
		});

		await declareInteraction(ctx, CALL, { type: 'audio' });
		await fetchStatus(ctx, CALL, ID);
		expect(await fetchDeclaration(ctx, CALL, ID)).toEqual({ type: 'audio' });
		expect(await fetchTranscript(ctx, CALL, ID, 'punctuated')).toEqual({ sentenceSegments: [] });
		expect(await fetchTranscript(ctx, CALL, ID, 'phraseByPhrase')).toEqual({ participantOne: {} });
		expect(await fetchAiResults(ctx, CALL, ID)).toEqual({});
		await deleteInteraction(ctx, CALL, ID);

		expect(requestLines(request)).toEqual([
			'POST /interactions',
			`GET /interactions/${ID}/status`,
			`GET /interactions/${ID}`,
			`GET /interactions/${ID}/transcripts/punctuated`,
			`GET /interactions/${ID}/transcript`,
			`GET /interactions/${ID}/ai`,
			`DELETE /interactions/${ID}`,
		]);
		const requests = request.mock.calls.map(([, req]) => req);
		expect(requests.map((req) => req.retry)).toEqual(['declare', ...Array(6).fill('idempotent')]);
		expect(requests.every((req) => req.itemIndex === 2 && req.maxRetries === 3)).toBe(true);
		expect(requests[0].body).toEqual({ type: 'audio' });
	});

	it('should return the declared identifier in lower case, and refuse an answer without one', async () => {
		fakeApi(request, { 'POST /interactions': () => ({ interactionIdentifier: ID.toUpperCase() }) });
		expect(await declareInteraction(ctx, CALL, {})).toBe(ID);

		fakeApi(request, { 'POST /interactions': () => ({}) });
		const error = await failure(declareInteraction(ctx, CALL, {}));
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('ElevateAI accepted the declare but returned no interactionIdentifier');
		expect((error as NodeApiError).description).toContain('External Identifier');
	});

	it('should refuse a status answer without a status', async () => {
		fakeApi(request, { 'GET /interactions/:id/status': () => ({ identifier: ID }) });

		const error = await failure(fetchStatus(ctx, CALL, ID));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('ElevateAI returned a status answer without a status');
	});

	describe('results', () => {
		it('should follow a 404 with one status check and say the results are not ready yet', async () => {
			fakeApi(request, {
				'GET /interactions/:id/ai': () => {
					throw apiError(404, 'Not found', 2);
				},
				'GET /interactions/:id/status': () => ({ status: 'processing' }),
			});

			const error = await failure(fetchAiResults(ctx, CALL, ID));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(`The results of interaction ${ID} are not ready: its status is "processing"`);
			expect((error as NodeOperationError).context.itemIndex).toBe(2);
			expect(requestLines(request)).toEqual([`GET /interactions/${ID}/ai`, `GET /interactions/${ID}/status`]);
		});

		it('should keep the 404 when the interaction is processed or the status check fails too', async () => {
			const notFound = apiError(404, 'Not found', 2);
			fakeApi(request, {
				'GET /interactions/:id/ai': () => {
					throw notFound;
				},
				'GET /interactions/:id/status': () => ({ status: 'processed' }),
			});
			expect(await failure(fetchAiResults(ctx, CALL, ID))).toBe(notFound);

			fakeApi(request, {
				'GET /interactions/:id/ai': () => {
					throw notFound;
				},
				'GET /interactions/:id/status': () => {
					throw apiError(404, 'Not found', 2);
				},
			});
			expect(await failure(fetchAiResults(ctx, CALL, ID))).toBe(notFound);
		});

		it('should pass any other error through without a status check', async () => {
			const busy = apiError(503, 'Busy', 2);
			fakeApi(request, {
				'GET /interactions/:id/ai': () => {
					throw busy;
				},
			});

			expect(await failure(fetchAiResults(ctx, CALL, ID))).toBe(busy);
			expect(requestLines(request)).toEqual([`GET /interactions/${ID}/ai`]);
		});

		it('should read the summary, and its details in the asked language on both calls', async () => {
			fakeApi(request, {
				'GET /interactions/:id/gen-ai/cx/summary': () => ({ summary: 'A bill.' }),
				'GET /interactions/:id/gen-ai/cx/summary/details': () => ({ resolved: true }),
			});

			expect(await fetchSummary(ctx, CALL, ID, { includeDetails: false })).toEqual({ summary: 'A bill.' });
			expect(request.mock.calls[0][1].headers).toBeUndefined();
			request.mockClear();
			expect(await fetchSummary(ctx, CALL, ID, { includeDetails: true, language: 'es' })).toEqual({ summary: 'A bill.', resolved: true });
			expect(request.mock.calls.map(([, req]) => req.headers)).toEqual([{ 'Accept-Language': 'es' }, { 'Accept-Language': 'es' }]);
		});
	});

	describe('upload', () => {
		function uploadRequest(): ApiRequest {
			return request.mock.calls[0][1];
		}

		it('should send the file as one part named after it, retried as an upload with a 10-minute timeout', async () => {
			fakeApi(request, { 'POST /interactions/:id/upload': () => undefined });

			await uploadRecording(ctx, CALL, ID, FILE);

			const req = uploadRequest();
			expect(req).toMatchObject({ method: 'POST', path: `/interactions/${ID}/upload`, retry: 'upload', itemIndex: 2, maxRetries: 3, timeoutMs: 600_000 });
			const parts = [...(req.multipart as () => MultipartBody)().entries()];
			expect(parts.map(([name, file]) => [name, file.name, file.type, file.size])).toEqual([['call.wav', 'call.wav', 'audio/wav', 4]]);
		});

		it('should allow a retry only while the interaction still waits for its file', async () => {
			const answers = ['declared', 'filePendingUpload', 'fileUploading'];
			const verdicts: boolean[] = [];
			request.mockImplementation(async (_ctx, req) => {
				if (req.path.endsWith('/status')) return { statusCode: 200, body: { status: answers.shift() } };
				for (let i = 0; i < 3; i++) verdicts.push(await (req.beforeRetry as () => Promise<boolean>)());
				throw apiError(503, 'Busy', 2);
			});

			const error = await failure(uploadRecording(ctx, CALL, ID, FILE));

			expect(verdicts).toEqual([true, true, false]);
			expect(error.message).toBe('ElevateAI error 503: Busy');
		});

		it('should count the upload as done when the status check shows ElevateAI has the file', async () => {
			request.mockImplementation(async (_ctx, req) => {
				if (req.path.endsWith('/status')) return { statusCode: 200, body: { status: 'fileUploaded' } };
				expect(await (req.beforeRetry as () => Promise<boolean>)()).toBe(false);
				throw apiError(502, 'Bad gateway', 2);
			});

			await expect(uploadRecording(ctx, CALL, ID, FILE)).resolves.toBeUndefined();
		});

		it('should turn a failure that is not an API error into a NodeOperationError for the item', async () => {
			request.mockRejectedValue(new Error('stream broke'));

			const error = await failure(uploadRecording(ctx, CALL, ID, FILE));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('stream broke');
			expect((error as NodeOperationError).context.itemIndex).toBe(2);
		});
	});
});

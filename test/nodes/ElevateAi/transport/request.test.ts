import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { MultipartBody, MultipartFile } from '../../../../nodes/ElevateAi/helpers/multipart';
import type { ApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { DEFAULT_RETRY_SETTINGS } from '../../../../nodes/ElevateAi/transport/retry';
import type { FakeContextOptions } from '../../../helpers/context';
import { BASE_URL, ID, TOKEN, fakeClock, fakeContext } from '../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
const sleepMock = jest.mocked(sleep);
/** The delays slept, in order (each sleep also gets the execution's cancel signal). */
const delays = () => sleepMock.mock.calls.map(([ms]) => ms);

type Answer = { statusCode: number; body?: unknown; headers?: IDataObject } | Error;

/** An n8n request error as the HTTP helpers throw it: the socket error code under `cause`. */
function netError(code: string, message = `request failed: ${code}`): Error {
	return Object.assign(new Error(message), { cause: Object.assign(new Error(code), { code }) });
}

/** A fake context whose httpRequestWithAuthentication gives these answers in turn (the last repeats). */
function transportContext(answers: Answer[], options: FakeContextOptions = {}) {
	const fake = fakeContext(options);
	const queue = [...answers];
	fake.helpers.httpRequestWithAuthentication.mockImplementation(async () => {
		const answer = queue.length > 1 ? (queue.shift() as Answer) : queue[0];
		if (answer instanceof Error) throw answer;
		return { headers: {}, ...answer };
	});
	return fake;
}

const GET_STATUS: ApiRequest = { method: 'GET', path: `/interactions/${ID}/status`, retry: 'idempotent' };
const DECLARE: ApiRequest = { method: 'POST', path: '/interactions', body: { type: 'audio' }, retry: 'declare' };
const DELETE: ApiRequest = { method: 'DELETE', path: `/interactions/${ID}`, retry: 'idempotent' };
const MAYBE_CREATED = 'look for the interaction in the ElevateAI portal';

async function failure(promise: Promise<unknown>): Promise<NodeApiError> {
	const error = await promise.then(
		() => undefined,
		(e: unknown) => e,
	);
	if (!error) throw new Error('expected the request to fail');
	return error as NodeApiError;
}

let clock: ReturnType<typeof fakeClock>;

describe('transport:request', () => {
	beforeEach(() => {
		clock = fakeClock();
		sleepMock.mockReset();
		sleepMock.mockImplementation(async (ms: number) => clock.advance(ms));
	});
	afterEach(() => {
		clock.restore();
		jest.restoreAllMocks();
	});

	describe('request shape', () => {
		it('should send a GET through httpRequestWithAuthentication with the credential, base URL and full response', async () => {
			const fake = transportContext([{ statusCode: 200, body: '{"status":"processed"}' }]);

			const response = await elevateAiApiRequest(fake.ctx, { ...GET_STATUS, itemIndex: 0 });

			expect(response).toEqual({ statusCode: 200, body: { status: 'processed' } });
			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
			expect(fake.helpers.httpRequestWithAuthentication.mock.contexts[0]).toBe(fake.ctx);
			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith('elevateAiApi', {
				method: 'GET',
				baseURL: BASE_URL,
				url: `/interactions/${ID}/status`,
				headers: { Accept: 'application/json' },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: 120_000,
			}, {
				// The credential read by the transport is handed over, so n8n does not decrypt it again.
				credentialsDecrypted: { id: '', name: '', type: 'elevateAiApi', data: { apiToken: TOKEN, baseUrl: BASE_URL } },
			});
			expect(fake.ctx.getCredentials).toHaveBeenCalledWith('elevateAiApi', 0);
		});

		it('should send a JSON body with json: true and merge extra headers', async () => {
			const fake = transportContext([{ statusCode: 201, body: { interactionIdentifier: ID } }]);

			await elevateAiApiRequest(fake.ctx, { ...DECLARE, headers: { 'Accept-Language': 'es' }, timeoutMs: 5_000 });

			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith('elevateAiApi', {
				method: 'POST',
				baseURL: BASE_URL,
				url: '/interactions',
				headers: { Accept: 'application/json', 'Accept-Language': 'es' },
				body: { type: 'audio' },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: 5_000,
			}, {
				// The credential read by the transport is handed over, so n8n does not decrypt it again.
				credentialsDecrypted: { id: '', name: '', type: 'elevateAiApi', data: { apiToken: TOKEN, baseUrl: BASE_URL } },
			});
		});

		it('should send a multipart body as it is, without a hand-set Content-Type and without following redirects', async () => {
			const fake = transportContext([{ statusCode: 201, body: '' }]);
			const form = new MultipartBody();
			form.append('a.wav', new MultipartFile('a.wav', 'audio/wav', 1, () => (async function* () {})()));

			const response = await elevateAiApiRequest(fake.ctx, {
				method: 'POST',
				path: `/interactions/${ID}/upload`,
				multipart: () => form,
				retry: 'upload',
			});

			const options = fake.helpers.httpRequestWithAuthentication.mock.calls[0][1];
			expect(options.body).toBe(form);
			expect(options.disableFollowRedirect).toBe(true);
			expect(options.json).toBeUndefined();
			expect(Object.keys(options.headers as object).map((h) => h.toLowerCase())).not.toContain('content-type');
			expect(response).toEqual({ statusCode: 201, body: undefined });
		});

		it.each([
			['an empty Base URL', '', BASE_URL],
			['a Base URL with spaces and a trailing slash (sent normalised)', '  https://eu.example.com/v1/  ', 'https://eu.example.com/v1'],
			['a loopback emulator over http', 'http://127.0.0.1:4010/v1', 'http://127.0.0.1:4010/v1'],
		])('should use %s as the base URL', async (_, baseUrl, expected) => {
			const fake = transportContext([{ statusCode: 200, body: {} }], { credentials: { baseUrl } });

			await elevateAiApiRequest(fake.ctx, GET_STATUS);

			expect(fake.helpers.httpRequestWithAuthentication.mock.calls[0][1].baseURL).toBe(expected);
		});

		it('should refuse a plain-http base URL that is not loopback before sending any request', async () => {
			const fake = transportContext([{ statusCode: 200, body: {} }], { credentials: { baseUrl: 'http://api.elevateai.com/v1' } });

			const error = await failure(elevateAiApiRequest(fake.ctx, { ...GET_STATUS, itemIndex: 2 }));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Invalid Base URL in the ElevateAI credential: plain http to api.elevateai.com would send the API token unencrypted; use https (plain http is allowed only for localhost emulators)',
			);
			expect(error.context.itemIndex).toBe(2);
			expect(fake.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
		});

		it('should give undefined for an empty answer (204) and keep the status code', async () => {
			const fake = transportContext([{ statusCode: 204, body: undefined }]);

			expect(await elevateAiApiRequest(fake.ctx, GET_STATUS)).toEqual({ statusCode: 204, body: undefined });
		});
	});

	describe('errors', () => {
		it('should show ElevateAI\'s errorMessage and the HTTP status, with a hint', async () => {
			const fake = transportContext([{ statusCode: 404, body: { errorMessage: 'Interaction not found' } }], { items: [{}, {}] });

			const error = await failure(elevateAiApiRequest(fake.ctx, { ...GET_STATUS, itemIndex: 1 }));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('ElevateAI error 404: Interaction not found');
			expect(error.httpCode).toBe('404');
			expect(error.description).toContain('does not exist');
			expect(error.context.itemIndex).toBe(1);
			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		});

		it('should say which credential to fix on 401', async () => {
			const fake = transportContext([{ statusCode: 401, body: '{"errorMessage":"Unauthorized"}' }]);

			const error = await failure(elevateAiApiRequest(fake.ctx, GET_STATUS));

			expect(error.message).toBe('ElevateAI error 401: Unauthorized');
			expect(error.description).toContain('Check the API token in the ElevateAI credential');
		});

		it('should classify an error answer with a text or HTML body by its status, not as bad JSON', async () => {
			const fake = transportContext([{ statusCode: 401, body: 'Unauthorized' }]);

			const error = await failure(elevateAiApiRequest(fake.ctx, GET_STATUS));

			expect(error.message).toBe('ElevateAI error 401: Unauthorized');
			expect(error.httpCode).toBe('401');
			expect(error.description).toContain('Check the API token in the ElevateAI credential');
		});

		it('should fall back to the HTTP status when the answer has no message', async () => {
			const fake = transportContext([{ statusCode: 418, body: {} }]);

			expect((await failure(elevateAiApiRequest(fake.ctx, GET_STATUS))).message).toBe('ElevateAI error 418: HTTP 418');
		});

		it('should never show the token, wherever an answer echoes it', async () => {
			const fake = transportContext([
				{ statusCode: 400, body: { errorMessage: `Token ${TOKEN} is not valid for X-API-Token: ${TOKEN}` } },
			]);

			const error = await failure(elevateAiApiRequest(fake.ctx, DECLARE));

			expect(error.message).toBe('ElevateAI error 400: Token [redacted] is not valid for X-API-Token: [redacted]');
			expect(JSON.stringify({ m: error.message, d: error.description, c: error.context })).not.toContain(TOKEN);
		});

		it('should keep its own message for connection failures, with the host, and never the token', async () => {
			const fake = transportContext([netError('ECONNRESET', `socket hang up, headers x-api-token=${TOKEN}`)]);

			const error = await failure(elevateAiApiRequest(fake.ctx, { ...DECLARE, maxRetries: 0 }));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('The connection to ElevateAI (api.elevateai.com) broke before an answer arrived (ECONNRESET)');
			// A broken declare must not be presented as safe to repeat.
			expect(error.message).not.toMatch(/retry/i);
			expect(error.description).toContain('it was not sent again to avoid a duplicate');
			expect(JSON.stringify({ m: error.message, d: error.description, ms: error.messages })).not.toContain(TOKEN);
		});

		it('should stop at once with a cancel error when the execution was cancelled during a request', async () => {
			const fake = transportContext([netError('ECONNRESET')]);
			fake.abort();

			const error = await failure(elevateAiApiRequest(fake.ctx, GET_STATUS));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('The execution was cancelled');
			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
			expect(sleepMock).not.toHaveBeenCalled();
		});
	});

	describe('retries', () => {
		it('should honour Retry-After in seconds on 429', async () => {
			const fake = transportContext([
				{ statusCode: 429, body: { errorMessage: 'Slow down' }, headers: { 'retry-after': '7' } },
				{ statusCode: 200, body: { status: 'processed' } },
			]);

			const response = await elevateAiApiRequest(fake.ctx, GET_STATUS);

			expect(response.body).toEqual({ status: 'processed' });
			expect(delays()).toEqual([7_000]);
		});

		it('should honour Retry-After as an HTTP date on 429, also for a declare', async () => {
			const at = new Date(Date.now() + 12_000).toUTCString();
			const fake = transportContext([
				{ statusCode: 429, body: { errorMessage: 'Quota' }, headers: { 'Retry-After': at } },
				{ statusCode: 201, body: { interactionIdentifier: ID } },
			]);

			const response = await elevateAiApiRequest(fake.ctx, DECLARE);

			expect(response).toEqual({ statusCode: 201, body: { interactionIdentifier: ID } });
			expect(delays()).toEqual([12_000]);
		});

		it('should back off exponentially with jitter when no Retry-After is given', async () => {
			jest.spyOn(Math, 'random').mockReturnValue(0.5);
			const fake = transportContext([{ statusCode: 503, body: 'busy' }, { statusCode: 502 }, { statusCode: 504 }, { statusCode: 200, body: {} }]);

			await elevateAiApiRequest(fake.ctx, GET_STATUS);

			expect(delays()).toEqual([750, 1_500, 3_000]);
		});

		it('should give up after the retry budget of Max Retries, saying how often it tried', async () => {
			const fake = transportContext([{ statusCode: 503, body: { errorMessage: 'Busy' } }]);

			const error = await failure(elevateAiApiRequest(fake.ctx, { ...GET_STATUS, maxRetries: 2 }));

			expect(error.message).toBe('ElevateAI error 503: Busy (after 3 attempts)');
			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(3);
		});

		// An invalid Max Retries is refused where the option is read (helpers/validation readCallOptions).
		it('should try only once with Max Retries 0', async () => {
			const once = transportContext([{ statusCode: 503, body: 'busy' }]);
			expect((await failure(elevateAiApiRequest(once.ctx, { ...GET_STATUS, maxRetries: 0 }))).message).toBe('ElevateAI error 503: busy');
			expect(once.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		});

		it('should retry 5 times by default', async () => {
			const fake = transportContext([{ statusCode: 502 }]);

			await failure(elevateAiApiRequest(fake.ctx, GET_STATUS));

			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(DEFAULT_RETRY_SETTINGS.maxRetries + 1);
		});

		it('should not wait longer than the total budget: a Retry-After beyond it fails at once', async () => {
			const fake = transportContext([{ statusCode: 429, body: { errorMessage: 'Quota' }, headers: { 'retry-after': '600' } }]);

			const error = await failure(elevateAiApiRequest(fake.ctx, GET_STATUS));

			expect(error.message).toBe('ElevateAI error 429: Quota');
			expect(sleepMock).not.toHaveBeenCalled();
		});

		it.each([400, 401, 403, 404, 409, 413, 500])('should not retry a %i', async (statusCode) => {
			const fake = transportContext([{ statusCode, body: { errorMessage: 'x' } }]);

			await failure(elevateAiApiRequest(fake.ctx, GET_STATUS));

			expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		});

		describe('declare', () => {
			it('should retry a 503 that came with an answer', async () => {
				const fake = transportContext([
					{ statusCode: 503, body: { errorMessage: 'Maintenance' } },
					{ statusCode: 201, body: { interactionIdentifier: ID } },
				]);

				expect((await elevateAiApiRequest(fake.ctx, DECLARE)).body).toEqual({ interactionIdentifier: ID });
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
			});

			it('should retry a 429 from a rate limiter that answers in plain text, honouring Retry-After', async () => {
				const fake = transportContext([
					{ statusCode: 429, body: 'Too Many Requests', headers: { 'Retry-After': '2' } },
					{ statusCode: 201, body: { interactionIdentifier: ID } },
				]);

				expect((await elevateAiApiRequest(fake.ctx, DECLARE)).body).toEqual({ interactionIdentifier: ID });
				expect(delays()).toEqual([2_000]);
			});

			it('should not warn about a duplicate when ElevateAI rejected the declare (4xx)', async () => {
				const fake = transportContext([{ statusCode: 400, body: { errorMessage: 'Invalid languageTag' } }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, DECLARE));

				expect(error.description).not.toContain(MAYBE_CREATED);
			});

			it('should not retry a 503 without a body, and warn that the interaction may exist', async () => {
				const fake = transportContext([{ statusCode: 503, body: '' }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, DECLARE));

				expect(error.message).toBe('ElevateAI error 503: HTTP 503');
				expect(error.description).toContain(MAYBE_CREATED);
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
			});

			it.each([502, 504, 408])('should not retry a %i, which may come after the server acted', async (statusCode) => {
				const fake = transportContext([{ statusCode, body: { errorMessage: 'Gateway' } }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, DECLARE));

				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
				if (statusCode >= 500) expect(error.description).toContain(MAYBE_CREATED);
			});

			it('should retry a refused connection, which proves nothing was sent', async () => {
				const fake = transportContext([netError('ECONNREFUSED'), { statusCode: 201, body: { interactionIdentifier: ID } }]);

				expect((await elevateAiApiRequest(fake.ctx, DECLARE)).body).toEqual({ interactionIdentifier: ID });
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
			});

			it('should not retry a reset connection, which may have created the interaction', async () => {
				const fake = transportContext([netError('ECONNRESET'), { statusCode: 201, body: { interactionIdentifier: ID } }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, DECLARE));

				expect(error.description).toContain(MAYBE_CREATED);
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
			});

			it('should not retry an answer that is not JSON', async () => {
				const fake = transportContext([{ statusCode: 201, body: '<html>proxy</html>' }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, DECLARE));

				expect(error.message).toBe('ElevateAI sent an answer that is not valid JSON (HTTP 201)');
				expect(error.description).toContain('It began with: <html>proxy</html>');
				expect(error.description).toContain(MAYBE_CREATED);
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
			});
		});

		describe('idempotent', () => {
			it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])('should retry a %s', async (code) => {
				const fake = transportContext([netError(code), { statusCode: 200, body: { status: 'processed' } }]);

				expect((await elevateAiApiRequest(fake.ctx, GET_STATUS)).body).toEqual({ status: 'processed' });
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
			});

			it('should read the code from the error itself or from a socket hang up message', async () => {
				const fake = transportContext([
					Object.assign(new Error('x'), { code: 'EPIPE' }),
					new Error('socket hang up'),
					{ statusCode: 200, body: {} },
				]);

				await elevateAiApiRequest(fake.ctx, GET_STATUS);

				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(3);
			});

			it('should retry an answer that is not JSON and then report it', async () => {
				const fake = transportContext([{ statusCode: 200, body: '{"status":' }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, { ...GET_STATUS, maxRetries: 1 }));

				expect(error.message).toBe('ElevateAI sent an answer that is not valid JSON (HTTP 200) (after 2 attempts)');
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
			});

			it('should take a 404 on a retried DELETE as success: the first attempt got through', async () => {
				const fake = transportContext([netError('ECONNRESET'), { statusCode: 404, body: { errorMessage: 'Not found' } }]);

				expect(await elevateAiApiRequest(fake.ctx, DELETE)).toEqual({ statusCode: 404, body: undefined });
			});

			it('should report a 404 on the first DELETE attempt', async () => {
				const fake = transportContext([{ statusCode: 404, body: { errorMessage: 'Not found' } }]);

				expect((await failure(elevateAiApiRequest(fake.ctx, DELETE))).message).toBe('ElevateAI error 404: Not found');
			});

			it('should not take a 404 on a retried GET as success', async () => {
				const fake = transportContext([netError('ECONNRESET'), { statusCode: 404, body: { errorMessage: 'Not found' } }]);

				expect((await failure(elevateAiApiRequest(fake.ctx, GET_STATUS))).message).toBe(
					'ElevateAI error 404: Not found (after 2 attempts)',
				);
			});
		});

		describe('upload', () => {
			function uploadRequest(beforeRetry: () => Promise<boolean>): ApiRequest {
				let built = 0;
				return {
					method: 'POST',
					path: `/interactions/${ID}/upload`,
					multipart: () => {
						built++;
						const form = new MultipartBody();
						form.append(`${built}.wav`, new MultipartFile(`${built}.wav`, 'audio/wav', 1, () => (async function* () {})()));
						return form;
					},
					retry: 'upload',
					beforeRetry,
				};
			}

			it('should retry a broken upload with a fresh body once the interaction still waits for its file', async () => {
				const beforeRetry = jest.fn(async () => true);
				const fake = transportContext([netError('ECONNRESET'), { statusCode: 201, body: '' }]);

				await elevateAiApiRequest(fake.ctx, uploadRequest(beforeRetry));

				expect(beforeRetry).toHaveBeenCalledTimes(1);
				const bodies = fake.helpers.httpRequestWithAuthentication.mock.calls.map(([, options]) => options.body);
				expect(bodies).toHaveLength(2);
				expect(bodies[0]).not.toBe(bodies[1]);
				expect([...(bodies[1] as MultipartBody).entries()][0][0]).toBe('2.wav');
			});

			it('should not send the file again when the interaction no longer waits for it', async () => {
				const beforeRetry = jest.fn(async () => false);
				const fake = transportContext([netError('ECONNRESET')]);

				const error = await failure(elevateAiApiRequest(fake.ctx, uploadRequest(beforeRetry)));

				expect(error).toBeInstanceOf(NodeApiError);
				expect(beforeRetry).toHaveBeenCalledTimes(1);
				expect(fake.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
				expect(sleepMock).not.toHaveBeenCalled();
			});

			it('should retry a proxy\'s HTML 502 like any other 502', async () => {
				const beforeRetry = jest.fn(async () => true);
				const fake = transportContext([{ statusCode: 502, body: '<html><body>Bad Gateway</body></html>' }, { statusCode: 201, body: '' }]);

				expect(await elevateAiApiRequest(fake.ctx, uploadRequest(beforeRetry))).toEqual({ statusCode: 201, body: undefined });
				expect(beforeRetry).toHaveBeenCalledTimes(1);
			});

			it('should retry a refused connection and a 503, and not ask before a failure that is not retryable', async () => {
				const beforeRetry = jest.fn(async () => true);
				const fake = transportContext([netError('ECONNREFUSED'), { statusCode: 503 }, { statusCode: 413, body: { errorMessage: 'Too large' } }]);

				const error = await failure(elevateAiApiRequest(fake.ctx, uploadRequest(beforeRetry)));

				expect(error.message).toBe('ElevateAI error 413: Too large (after 3 attempts)');
				expect(beforeRetry).toHaveBeenCalledTimes(2);
			});
		});
	});
});

import nock from 'nock';

import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunction,
	ICredentialType,
	INodeCredentialTestResult,
	INodeType,
} from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { ElevateAiApi } from '../../credentials/ElevateAiApi.credentials';
import { ElevateAi } from '../../nodes/ElevateAi/ElevateAi.node';
import { CREDENTIAL_TEST_PATH } from '../../nodes/ElevateAi/transport/credentialTest';
import { TEST_BASE_URL, TEST_TOKEN, buildAdditionalData, TestCredentialsHelper } from '../helpers/engine';

/**
 * The credential test, run the way n8n's CredentialsTester runs it — transcribed from
 * packages/cli/src/services/credentials-tester.service.ts, identical for this route in 1.123.81
 * and 2.41.1: `getCredentialTestFunction` takes a `test` on the credential type first, else the
 * `testedBy` of a node that lists the credential; a string `testedBy` names a method in the node's
 * `methods.credentialTest`, which `testCredentials` calls with n8n-core's own CredentialTestContext
 * (its only HTTP helper is the legacy `request`, here n8n-core 2.41.1's real one, intercepted by
 * nock) and the decrypted credential. Its result is what the editor shows.
 */

const credentialType: ICredentialType = new ElevateAiApi();
const NODE_TYPE = 'n8n-nodes-elevateai.elevateAi';
const loadedNodes: Record<string, INodeType> = { [NODE_TYPE]: new ElevateAi() };

/** CredentialsTester.getCredentialTestFunction, with the package's one credential and node loaded. */
function getCredentialTestFunction(type: string): ICredentialTestFunction | { testRequest: unknown } | undefined {
	if (type !== credentialType.name) throw new Error(`unknown credential ${type}`);
	if (credentialType.test) return { testRequest: credentialType.test };
	const supportedNodes = Object.keys(loadedNodes).filter((name) =>
		(loadedNodes[name].description.credentials ?? []).some((c) => c.name === type),
	);
	for (const nodeName of supportedNodes) {
		const node = loadedNodes[nodeName];
		const allNodeTypes: INodeType[] = node instanceof VersionedNodeType ? Object.values(node.nodeVersions) : [node];
		for (const nodeType of allNodeTypes) {
			for (const { name, testedBy } of nodeType.description.credentials ?? []) {
				if (name === type && !!testedBy) {
					if (typeof testedBy === 'string') return node.methods?.credentialTest?.[testedBy];
					return { testRequest: testedBy };
				}
			}
		}
	}
	return undefined;
}

/** CredentialsTester.testCredentials for a function test (2.41.1 passes additionalData, 1.x nothing). */
async function testCredentials(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const credentialsDecrypted: ICredentialsDecrypted = { id: 'cred-1', name: 'ElevateAI account', type: credentialType.name, data };
	const testFunction = getCredentialTestFunction(credentialType.name);
	if (testFunction === undefined) return { status: 'Error', message: 'No testing function found for this credential.' };
	if (typeof testFunction !== 'function') throw new Error('expected a node credentialTest method');
	const context = new CredentialTestContext(buildAdditionalData(new TestCredentialsHelper(data)));
	return await testFunction.call(context, credentialsDecrypted);
}

const valid = { apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL };
const HOST = new URL(TEST_BASE_URL).origin;
const PATH = `${new URL(TEST_BASE_URL).pathname}${CREDENTIAL_TEST_PATH}`;
const OK = { status: 'OK', message: 'Connection successful: ElevateAI accepted the API token.' };
const WRONG = '22222222-2222-4222-8222-222222222222';

/** A scope that records every request it answers (headers included). */
function recorded(scope: nock.Scope) {
	const seen: Array<{ path: string; headers: Record<string, unknown> }> = [];
	scope.on('request', (req: { path: string; headers: Record<string, unknown> }) => seen.push({ path: req.path, headers: req.headers }));
	return seen;
}

function expectNoSecret(result: INodeCredentialTestResult, secret: string) {
	expect(JSON.stringify(result).toLowerCase()).not.toContain(secret.toLowerCase());
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('credential test through n8n\'s CredentialsTester logic (node-level testedBy method)', () => {
	it('should be found as the node\'s credentialTest method: the credential has no `test` that would take precedence', () => {
		expect(credentialType.test).toBeUndefined();
		expect(new ElevateAi().description.credentials).toEqual([{ name: 'elevateAiApi', required: true, testedBy: 'elevateAiApiTest' }]);
		expect(typeof getCredentialTestFunction('elevateAiApi')).toBe('function');
	});

	describe('valid: ElevateAI\'s own answers', () => {
		it('should pass on ElevateAI\'s 404 with an errorMessage for the unknown interaction, sending the token once', async () => {
			const scope = nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
				.get(PATH)
				.reply(404, { errorMessage: 'Interaction not found.' }, { 'content-type': 'application/json' });
			const seen = recorded(scope);

			expect(await testCredentials(valid)).toEqual(OK);
			expect(seen).toHaveLength(1);
			expect(scope.isDone()).toBe(true);
		});

		it('should pass on a 2xx JSON answer (e.g. an emulator that knows the GUID)', async () => {
			nock(HOST).get(PATH).reply(200, { identifier: '00000000-0000-4000-8000-000000000000', status: 'declared' });
			expect(await testCredentials(valid)).toEqual(OK);
		});

		it('should test a loopback emulator on plain http', async () => {
			const scope = nock('http://127.0.0.1:4010', { reqheaders: { 'x-api-token': TEST_TOKEN } })
				.get(`/v1${CREDENTIAL_TEST_PATH}`)
				.reply(404, { errorMessage: 'Interaction not found.' });
			expect(await testCredentials({ ...valid, baseUrl: 'http://127.0.0.1:4010/v1' })).toEqual(OK);
			expect(scope.isDone()).toBe(true);
		});

		it.each([
			['a trailing slash', 'https://api.elevateai.com/v1/'],
			['surrounding spaces', ' https://api.elevateai.com/v1 '],
			['an empty Base URL (old credentials)', ''],
		])('should reach the same URL with %s', async (_label, baseUrl) => {
			const scope = nock(HOST).get(PATH).reply(404, { errorMessage: 'Interaction not found.' });
			expect(await testCredentials({ ...valid, baseUrl })).toEqual(OK);
			expect(scope.isDone()).toBe(true);
		});
	});

	describe('invalid token', () => {
		it('should fail on 401 with a clear invalid-token message that does not echo the token', async () => {
			const scope = nock(HOST, { reqheaders: { 'x-api-token': WRONG } })
				.get(PATH)
				.reply(401, { errorMessage: `Unauthorized token ${WRONG}` });
			const result = await testCredentials({ ...valid, apiToken: WRONG });
			expect(result).toEqual({ status: 'Error', message: 'ElevateAI rejected the API token (401). Copy a valid token from the ElevateAI portal.' });
			expect(scope.isDone()).toBe(true);
			expectNoSecret(result, WRONG);
		});

		it('should fail on 403 with a clear refused-token message', async () => {
			nock(HOST).get(PATH).reply(403, { errorMessage: 'Forbidden' });
			expect(await testCredentials(valid)).toEqual({
				status: 'Error',
				message: 'ElevateAI refused this API token (403). Check that it is active in the ElevateAI portal.',
			});
		});

		it('should fail without a request when the token is empty', async () => {
			const trap = nock(HOST).get(/.*/).reply(404, { errorMessage: 'x' });
			const result = await testCredentials({ ...valid, apiToken: '  ' });
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/Enter the API token/);
			expect(trap.isDone()).toBe(false);
		});
	});

	describe('could not verify: anything that is not ElevateAI\'s answer', () => {
		it.each([
			['429 (rate limit or quota)', 429, { errorMessage: 'Too many requests' }, /^Could not verify the API token: ElevateAI's rate limit or monthly quota was reached \(HTTP 429\)/],
			['500', 500, { errorMessage: 'Server error' }, /^Could not verify the API token: ElevateAI had a temporary problem \(HTTP 500\)/],
			['502', 502, '<html>Bad gateway</html>', /^Could not verify the API token: ElevateAI had a temporary problem \(HTTP 502\)/],
			['503', 503, { errorMessage: 'Unavailable' }, /^Could not verify the API token: ElevateAI had a temporary problem \(HTTP 503\)/],
			['504', 504, '', /^Could not verify the API token: ElevateAI had a temporary problem \(HTTP 504\)/],
			['an HTML 200 page', 200, '<!doctype html><html><body>Welcome</body></html>', /^Could not verify the API token: the Base URL answered HTTP 200 with something that is not ElevateAI's JSON/],
			['an empty 200', 200, '', /^Could not verify the API token: the Base URL answered HTTP 200 with something that is not ElevateAI's JSON/],
			['a JSON 200 that is not an object', 200, '"ok"', /^Could not verify the API token: the Base URL answered HTTP 200 with something that is not ElevateAI's JSON/],
			['an HTML 404 page', 404, '<html><body><h1>404 Not Found</h1></body></html>', /^Could not verify the API token: the Base URL answered HTTP 404, which is not ElevateAI's answer/],
			['a 404 JSON without errorMessage (wrong path)', 404, { message: 'Cannot GET /v1/interactions' }, /^Could not verify the API token: the Base URL answered HTTP 404, which is not ElevateAI's answer/],
			['a 404 with an empty body', 404, '', /^Could not verify the API token: the Base URL answered HTTP 404, which is not ElevateAI's answer/],
			['400', 400, { errorMessage: 'Bad request' }, /^Could not verify the API token: the Base URL answered HTTP 400/],
		])('should fail on %s with a "could not verify" error', async (_label, code, body, message) => {
			nock(HOST).get(PATH).reply(code, body as nock.Body);
			const result = await testCredentials(valid);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			expectNoSecret(result, TEST_TOKEN);
		});

		it('should fail on a wrong path: a Base URL without /v1 gets the server\'s plain 404', async () => {
			const scope = nock(HOST).get(CREDENTIAL_TEST_PATH).reply(404, 'Cannot GET /interactions/00000000-0000-4000-8000-000000000000/status', { 'content-type': 'text/plain' });
			const result = await testCredentials({ ...valid, baseUrl: 'https://api.elevateai.com' });
			expect(scope.isDone()).toBe(true);
			expect(result).toMatchObject({ status: 'Error', message: expect.stringMatching(/^Could not verify the API token: the Base URL answered HTTP 404/) });
		});

		it('should not follow a 302 to another host: that host receives nothing, the token stays home', async () => {
			const origin = nock(HOST).get(PATH).reply(302, '', { location: `https://collector.example.net/steal?t=${TEST_TOKEN}` });
			const other = nock('https://collector.example.net').get(/.*/).reply(404, { errorMessage: 'Interaction not found.' });
			const seenThere = recorded(other);

			const result = await testCredentials(valid);

			expect(origin.isDone()).toBe(true);
			expect(seenThere).toEqual([]);
			expect(other.isDone()).toBe(false);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/^Could not verify the API token: the Base URL answered with a redirect \(HTTP 302\) to collector\.example\.net\. Redirects are not followed/);
			expectNoSecret(result, TEST_TOKEN);
		});

		it.each([301, 307, 308])('should not follow a %i either', async (code) => {
			nock(HOST).get(PATH).reply(code, '', { location: `${TEST_BASE_URL}/elsewhere` });
			const elsewhere = nock(HOST).get('/v1/elsewhere').reply(200, { ok: true });
			const result = await testCredentials(valid);
			expect(elsewhere.isDone()).toBe(false);
			expect(result.message).toMatch(new RegExp(`redirect \\(HTTP ${code}\\)\\. Redirects are not followed`));
		});

		it('should fail with the connection code when the host cannot be reached, and no token', async () => {
			nock(HOST).get(PATH).replyWithError(Object.assign(new Error(`getaddrinfo ENOTFOUND api.elevateai.com ${TEST_TOKEN}`), { code: 'ENOTFOUND' }));
			const result = await testCredentials(valid);
			expect(result).toEqual({
				status: 'Error',
				message: 'Could not verify the API token: could not reach api.elevateai.com (ENOTFOUND). Check the Base URL and the network.',
			});
		});

		it('should redact the token wherever a server puts it into what the message shows', async () => {
			nock(HOST).get(PATH).reply(302, '', { location: `https://${TEST_TOKEN.toUpperCase()}.example.net/` });
			const result = await testCredentials(valid);
			expect(result.status).toBe('Error');
			expectNoSecret(result, TEST_TOKEN);
		});
	});

	describe('the node\'s base-URL rule, before any request', () => {
		const refused = (host: string) =>
			`Invalid Base URL: plain http to ${host} would send the API token unencrypted; use https (plain http is allowed only for localhost emulators)`;
		it.each([
			['plain http to a remote host', 'http://api.elevateai.com/v1', 'http://api.elevateai.com', refused('api.elevateai.com')],
			['a look-alike of 127.0.0.1', 'http://127.0.0.1.evil.com/v1', 'http://127.0.0.1.evil.com', refused('127.0.0.1.evil.com')],
			['127.<domain>', 'http://127.evil.com/v1', 'http://127.evil.com', refused('127.evil.com')],
			['percent-encoded dots', 'http://127%2E0%2E0%2E1.evil.com/v1', 'http://127.0.0.1.evil.com', refused('127.0.0.1.evil.com')],
			['a look-alike of localhost', 'http://localhost.evil.com/v1', 'http://localhost.evil.com', refused('localhost.evil.com')],
			['userinfo that hides the real host', 'http://127.0.0.1@evil.com/v1', 'http://evil.com', expect.stringContaining('must not contain a user name or password')],
			['a non-http scheme', 'ftp://api.elevateai.com/v1', 'ftp://api.elevateai.com', 'Invalid Base URL: "ftp:" is not supported; use https'],
		])('should refuse %s and send nothing', async (_label, baseUrl, trapOrigin, message) => {
			const trap = trapOrigin.startsWith('http') ? nock(trapOrigin).get(/.*/).reply(404, { errorMessage: 'Interaction not found.' }) : undefined;
			const result = await testCredentials({ ...valid, baseUrl });
			expect(result).toEqual({ status: 'Error', message });
			expect(trap?.isDone() ?? false).toBe(false);
		});
	});
});

import nock from 'nock';

import { TEST_TOKEN, runChain } from '../helpers/engine';
import { expectNoToken } from './wire';

/**
 * The base-URL rule where users meet it: a node run through n8n's engine with a credential whose
 * Base URL only looks like loopback is refused before any request, so the token never goes out.
 * Every look-alike host gets a nock interceptor: reaching it would fail the case.
 */

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const getStatus = { resource: 'interaction', operation: 'getStatus', interactionIdentifier: ID };

afterEach(() => nock.cleanAll());

describe('the node refuses a Base URL that would send the token in clear to another machine', () => {
	it.each([
		['http://127.0.0.1.evil.com/v1', 'http://127.0.0.1.evil.com', '127.0.0.1.evil.com'],
		['http://127.evil.com/v1', 'http://127.evil.com', '127.evil.com'],
		['http://127%2E0%2E0%2E1.evil.com/v1', 'http://127.0.0.1.evil.com', '127.0.0.1.evil.com'],
		['http://localhost.evil.com/v1', 'http://localhost.evil.com', 'localhost.evil.com'],
		['http://api.elevateai.com/v1', 'http://api.elevateai.com', 'api.elevateai.com'],
	])('should refuse %s before sending anything', async (baseUrl, origin, host) => {
		const trap = nock(origin).get(/.*/).reply(404, { errorMessage: 'Interaction not found.' });

		const result = await runChain({ chain: [{ name: 'Status', parameters: getStatus }], credentials: { apiToken: TEST_TOKEN, baseUrl } });

		expect(result.error?.message).toBe(
			`Invalid Base URL in the ElevateAI credential: plain http to ${host} would send the API token unencrypted; use https (plain http is allowed only for localhost emulators)`,
		);
		expect(trap.isDone()).toBe(false);
		expectNoToken(result.run, TEST_TOKEN);
	});

	it('should refuse user@host in the Base URL (http://127.0.0.1@evil.com goes to evil.com)', async () => {
		const trap = nock('http://evil.com').get(/.*/).reply(404, { errorMessage: 'Interaction not found.' });

		const result = await runChain({
			chain: [{ name: 'Status', parameters: getStatus }],
			credentials: { apiToken: TEST_TOKEN, baseUrl: 'http://127.0.0.1@evil.com/v1' },
		});

		expect(result.error?.message).toMatch(/^Invalid Base URL in the ElevateAI credential: it must not contain a user name or password/);
		expect(trap.isDone()).toBe(false);
	});

	it('should still reach a loopback emulator over http, at the normalised URL', async () => {
		const api = nock('http://127.0.0.1:4010', { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(`/v1/interactions/${ID}/status`)
			.reply(200, { identifier: ID, status: 'processed' });

		const result = await runChain({
			chain: [{ name: 'Status', parameters: getStatus }],
			credentials: { apiToken: TEST_TOKEN, baseUrl: ' http://127.1:4010/v1/ ' },
		});

		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(result.output('Status')[0].json).toMatchObject({ interactionIdentifier: ID, status: 'processed' });
	});
});

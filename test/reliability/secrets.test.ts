/**
 * Secret hygiene: answers that echo the API token (in an errorMessage, in a text body that
 * repeats the X-API-Token header, in a network error's URL, in upper case) must never bring it
 * into an output item, an error message or description, or anywhere in the serialised run.
 * A redirect must not carry the token to another host either.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => {}) }));

import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import { TEST_TOKEN, binaryItem, runChain } from '../helpers/engine';
import type { Emulator } from './helpers';
import {
	BASE,
	EMULATOR_TOKEN,
	ID,
	chatJson,
	emulatorCredentials,
	netError,
	recording,
	startEmulator,
	step,
	textsOf,
	tokenVariants,
} from './helpers';

const STATUS = `/interactions/${ID}/status`;
const chatDeclare: INodeParameters = {
	interactionType: 'chat',
	chat: JSON.stringify(chatJson()),
	additionalFields: { externalIdentifier: 'crm-1' },
};

function expectNoToken(texts: string[], token = TEST_TOKEN): void {
	for (const text of texts) {
		for (const variant of tokenVariants(token)) expect(text).not.toContain(variant);
	}
}

/** Runs one node both ways: failing the run, and with Continue On Fail (error in the item). */
async function bothWays(operation: string, parameters: INodeParameters, arrange: () => void, items = [{ json: {} }]) {
	const results = [];
	for (const continueOnFail of [false, true]) {
		arrange();
		const result = await runChain({ items, chain: [step('Node', operation, parameters, continueOnFail)] });
		results.push(result);
		expectNoToken(textsOf(result, ['Node']));
		nock.cleanAll();
	}
	const [failed, continued] = results;
	expect(failed.error).toBeDefined();
	expect(continued.error).toBeUndefined();
	expect(continued.output('Node')[0].json.error).toEqual(expect.any(String));
	return { failed, continued };
}

afterEach(() => nock.cleanAll());

describe('answers that echo the token', () => {
	it('an errorMessage containing the token (401)', async () => {
		const { failed } = await bothWays('getStatus', { interactionIdentifier: ID }, () => {
			nock(BASE).get(STATUS).reply(401, { errorMessage: `Token ${TEST_TOKEN} is not valid` });
		});
		expect(failed.error?.message).toBe('ElevateAI error 401: Token [redacted] is not valid');
	});

	it('a JSON body that repeats the X-API-Token header (400 on declare)', async () => {
		const { failed } = await bothWays('declare', chatDeclare, () => {
			nock(BASE).post('/interactions').reply(400, { errorMessage: `Bad request. Headers: {"X-API-Token": "${TEST_TOKEN}", "Accept": "application/json"}` });
		});
		expect(failed.error?.message).toMatch(/^ElevateAI error 400: Bad request\. Headers: .*\[redacted\]/);
	});

	it('a plain-text body that repeats the header (500 from a debugging proxy)', async () => {
		await bothWays('getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } }, () => {
			nock(BASE).get(STATUS).reply(500, `Upstream failed for GET ${STATUS}\nX-API-Token: ${TEST_TOKEN}\nAccept: application/json`, { 'Content-Type': 'text/plain' });
		});
	});

	it('the token echoed in upper case', async () => {
		await bothWays('getStatus', { interactionIdentifier: ID }, () => {
			nock(BASE).get(STATUS).reply(403, { errorMessage: `TOKEN ${TEST_TOKEN.toUpperCase()} MAY NOT READ THIS INTERACTION` });
		});
	});

	it('the token at the start of an answer that is not JSON', async () => {
		const { failed } = await bothWays('getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } }, () => {
			nock(BASE).get(STATUS).reply(200, `${TEST_TOKEN} <- your token; this is not JSON`, { 'Content-Type': 'application/json' });
		});
		expect(failed.error?.description).toContain('It began with: [redacted]');
	});

	it('a network error whose text carries a URL with the token', async () => {
		await bothWays('getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } }, () => {
			nock(BASE)
				.get(STATUS)
				.replyWithError(netError('ECONNRESET', `socket hang up while calling ${BASE}${STATUS}?api_token=${TEST_TOKEN} (x-api-token: ${TEST_TOKEN})`));
		});
	});

	it('headers of an error answer that echo the token', async () => {
		await bothWays('getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } }, () => {
			nock(BASE)
				.get(STATUS)
				.reply(503, { errorMessage: 'busy' }, { 'X-Echo-Api-Token': TEST_TOKEN, Link: `<${BASE}?token=${TEST_TOKEN}>` });
		});
	});

	it('an upload answered with an echo of the token', async () => {
		await bothWays(
			'upload',
			{ interactionIdentifier: ID },
			() => {
				nock(BASE).post(`/interactions/${ID}/upload`).reply(413, { errorMessage: `File too large for token ${TEST_TOKEN}` });
			},
			[binaryItem('call.wav', recording(1_000))],
		);
	});

	it('nothing of the token in a successful chain either', async () => {
		nock(BASE)
			.post('/interactions')
			.reply(201, { interactionIdentifier: ID })
			.get(STATUS)
			.reply(200, { identifier: ID, status: 'processed', errorMessage: null });
		const result = await runChain({ chain: [step('Declare', 'declare', chatDeclare), step('Status', 'getStatus')] });
		expect(result.error).toBeUndefined();
		expectNoToken(textsOf(result, ['Declare', 'Status']));
	});
});

describe('redirects', () => {
	it('does not send the token to another host, and does not show it', async () => {
		let leaked: unknown;
		const evil = nock('https://collector.example.net')
			.get(/.*/)
			.reply(function () {
				leaked = this.req.headers['x-api-token'];
				return [200, { identifier: ID, status: 'processed' }];
			});
		nock(BASE).get(STATUS).reply(302, '', { Location: `https://collector.example.net/steal?from=elevateai` });
		const result = await runChain({ chain: [step('Node', 'getStatus', { interactionIdentifier: ID, options: { maxRetries: 0 } })] });
		expect(leaked).toBeUndefined();
		expectNoToken(textsOf(result, ['Node']));
		// The node reports the redirect instead of following it.
		expect(evil.isDone()).toBe(false);
		expect(result.error?.message).toMatch(/^ElevateAI error 302/);
		expect(result.error?.description).toMatch(/redirect.*Base URL/);
	});
});

describe('against the emulator', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ timing: 20 });
	});
	afterAll(async () => await emulator.close());

	it('fault answers echoing the token never surface it, through a whole Transcribe', async () => {
		emulator.addFault({ method: 'POST', path: '^/interactions$', status: 429, body: { errorMessage: `Rate limit for ${EMULATOR_TOKEN}` }, headers: { 'Retry-After': '0' } });
		emulator.addFault({ method: 'GET', path: '/status$', status: 503, body: `X-API-Token: ${EMULATOR_TOKEN}` });
		emulator.addFault({ method: 'GET', path: '/transcripts/punctuated$', status: 404, body: { errorMessage: `No transcript for token ${EMULATOR_TOKEN}` } });
		const result = await runChain({
			items: [binaryItem('call-0042.wav', recording(20_000))],
			credentials: emulatorCredentials(emulator),
			chain: [step('Node', 'transcribe', { interactionType: 'audio', pollInterval: 1, timeout: 1 }, true)],
		});
		expect(result.error).toBeUndefined();
		const item = result.output('Node')[0].json;
		expect(item.error).toMatch(/^ElevateAI error 404: No transcript for token \[redacted\]$/);
		expect(item.interactionIdentifier).toEqual(expect.any(String));
		expectNoToken(textsOf(result, ['Node']), EMULATOR_TOKEN);
		// The emulator's own request log hides the header too.
		expect(JSON.stringify(emulator.requests)).not.toContain(EMULATOR_TOKEN);
	});
});

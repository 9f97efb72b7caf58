// The credential test in a real n8n, through its REST credential test (what the editor's
// "Test" / "Save" button calls): ElevateAI's own answers pass, a wrong token and everything that
// is not ElevateAI fail with a clear message, the base-URL rule holds, redirects are not followed
// and the token is never echoed or sent anywhere else.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { createN8n, CREDENTIAL_ID, CREDENTIAL_NAME, ownerSession } from './harness.mjs';

const TEST_PATH = '/interactions/00000000-0000-4000-8000-000000000000/status';
const WRONG_TOKEN = '22222222-2222-4222-8222-222222222222';

/** A loopback server, started and stopped by this test, that records what it is sent. */
async function listen(handler) {
	const requests = [];
	const server = http.createServer((req, res) => {
		requests.push({ method: req.method, url: req.url, headers: req.headers });
		handler(req, res);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

const send = (res, status, body, type = 'application/json', headers = {}) => {
	res.writeHead(status, { 'content-type': type, ...headers });
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

let n8n;
let server;
let cookie;
let elsewhere; // "another host": a different origin that would accept anything
let impostor; // answers what is not ElevateAI under various prefixes

before(async () => {
	n8n = await createN8n({});
	await n8n.importCredentials([n8n.credential()]);
	elsewhere = await listen((_req, res) => send(res, 404, { errorMessage: 'Interaction not found.' }));
	impostor = await listen((req, res) => {
		const [, kind] = /^\/([^/]+)/.exec(req.url) ?? [];
		if (kind === 'html200') return send(res, 200, '<!doctype html><html><body>Welcome to nginx!</body></html>', 'text/html');
		if (kind === 'html404') return send(res, 404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html');
		if (kind === 'json404') return send(res, 404, { message: `Cannot GET ${req.url}` });
		if (kind === 'r429') return send(res, 429, { errorMessage: 'Too many requests' });
		if (kind === 'r500') return send(res, 500, { errorMessage: 'Internal error' });
		if (kind === 'r503') return send(res, 503, 'Service Unavailable', 'text/plain');
		if (kind === 'r403') return send(res, 403, { errorMessage: 'Forbidden' });
		if (kind === 'redirect') return send(res, 302, '', 'text/plain', { location: `${elsewhere.url}/v1${TEST_PATH}` });
		return send(res, 404, 'Cannot GET', 'text/plain');
	});
	server = await n8n.start(); // resolves once the REST API answers (1.x mounts it after /healthz)
	cookie = await ownerSession(server.baseUrl);
});

after(async () => {
	await impostor?.close();
	await elsewhere?.close();
	await n8n?.close();
});

async function testCredential(data) {
	const res = await fetch(`${server.baseUrl}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ credentials: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'elevateAiApi', data } }),
	});
	const text = await res.text();
	assert.equal(res.status, 200, text);
	const result = JSON.parse(text).data;
	for (const token of [data.apiToken, n8n.credential().data.apiToken]) {
		assert.ok(!JSON.stringify(result).toLowerCase().includes(String(token).toLowerCase()), `token echoed: ${text}`);
	}
	return result;
}

const token = () => n8n.credential().data.apiToken;

describe("n8n's REST credential test (node-level testedBy method)", () => {
	test('passes on the emulator with the right token (its 404 with an errorMessage)', async () => {
		const result = await testCredential({ apiToken: token(), baseUrl: n8n.emulator.url });
		assert.deepEqual(result, { status: 'OK', message: 'Connection successful: ElevateAI accepted the API token.' });
	});

	test('fails on a wrong token (401) with the invalid-token message', async () => {
		const result = await testCredential({ apiToken: WRONG_TOKEN, baseUrl: n8n.emulator.url });
		assert.deepEqual(result, {
			status: 'Error',
			message: 'ElevateAI rejected the API token (401). Copy a valid token from the ElevateAI portal.',
		});
	});

	test('fails on 403 with the refused-token message', async () => {
		const result = await testCredential({ apiToken: token(), baseUrl: `${impostor.url}/r403` });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /^ElevateAI refused this API token \(403\)/);
	});

	for (const [label, prefix, pattern] of [
		['an HTML 200 page', 'html200', /^Could not verify the API token: the Base URL answered HTTP 200 with something that is not ElevateAI's JSON/],
		['an HTML 404 page', 'html404', /^Could not verify the API token: the Base URL answered HTTP 404, which is not ElevateAI's answer/],
		['a wrong path (404 without errorMessage)', 'json404', /^Could not verify the API token: the Base URL answered HTTP 404, which is not ElevateAI's answer/],
		['429', 'r429', /^Could not verify the API token: ElevateAI's rate limit or monthly quota was reached \(HTTP 429\)/],
		['500', 'r500', /^Could not verify the API token: ElevateAI had a temporary problem \(HTTP 500\)/],
		['503', 'r503', /^Could not verify the API token: ElevateAI had a temporary problem \(HTTP 503\)/],
	]) {
		test(`fails with "could not verify" on ${label}, even with a wrong token`, async () => {
			const result = await testCredential({ apiToken: WRONG_TOKEN, baseUrl: `${impostor.url}/${prefix}` });
			assert.equal(result.status, 'Error', JSON.stringify(result));
			assert.match(result.message, pattern);
		});
	}

	test('does not follow a 302 to another host: that host gets no request and no token', async () => {
		const before = elsewhere.requests.length;
		const result = await testCredential({ apiToken: token(), baseUrl: `${impostor.url}/redirect` });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /^Could not verify the API token: the Base URL answered with a redirect \(HTTP 302\) to 127\.0\.0\.1:\d+\. Redirects are not followed/);
		assert.equal(elsewhere.requests.length, before, 'the redirect target was not contacted');
		const redirecting = impostor.requests.filter((r) => r.url.startsWith('/redirect'));
		assert.equal(redirecting.length, 1, 'one request, no retry');
	});

	for (const [label, baseUrl, pattern] of [
		['plain http to a remote host', 'http://elevateai.example.com/v1', /^Invalid Base URL: plain http to elevateai\.example\.com would send the API token unencrypted/],
		['a look-alike of 127.0.0.1', 'http://127.0.0.1.nip.io/v1', /^Invalid Base URL: plain http to 127\.0\.0\.1\.nip\.io would send the API token unencrypted/],
		['127.<domain>', 'http://127.evil.example/v1', /^Invalid Base URL: plain http to 127\.evil\.example would send/],
		['percent-encoded dots', 'http://127%2E0%2E0%2E1.nip.io/v1', /^Invalid Base URL: plain http to 127\.0\.0\.1\.nip\.io would send/],
		['userinfo that hides the host', 'http://127.0.0.1@elevateai.example.com/v1', /^Invalid Base URL: it must not contain a user name or password/],
	]) {
		test(`refuses ${label} before any request`, async () => {
			const result = await testCredential({ apiToken: token(), baseUrl });
			assert.equal(result.status, 'Error');
			assert.match(result.message, pattern);
		});
	}
});

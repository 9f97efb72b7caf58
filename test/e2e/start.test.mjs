// `npm start` as the README promises it: `node scripts/start.mjs` brings up a real n8n with the
// package, the emulator, the credential, every example and an owner account; the printed banner
// is true (URL, login, number of examples, the webhook curl); the webhook examples answer; the
// queue-mode example's parked loop finishes (on the pinned n8n: it waits 2 real minutes); Ctrl-C
// stops everything; a second start over the same data imports nothing again.
// Runs in a temporary data folder (ELEVATEAI_LOCAL_DIR) on free loopback ports, never .n8n-local/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadExamples, WORKFLOW_IDS } from '../../scripts/examples.mjs';
import { freePort, N8N_UNDER_TEST, N8N_VERSION, REPO_ROOT, skipOn, spawnGroup, stopGroup, waitFor } from './harness.mjs';

const OWNER = { email: 'start-test@example.com', password: 'Start-test-1' };
const EXAMPLES = loadExamples();
const NO_CLI_ACTIVATION = [(t) => !t.cliActivatesImported, "its CLI cannot activate imported workflows, so npm start's webhook examples stay inactive"];
const NOT_PINNED = [(t) => t.version !== N8N_VERSION, `the 2-minute parked wait runs on the pinned n8n ${N8N_VERSION} only`];

let dir;
let ports;

/** `npm start` without the build (the e2e layer has built already), its output collected. */
async function startLocal() {
	const out = { text: '' };
	const child = spawnGroup(process.execPath, ['scripts/start.mjs', '--skip-build'], {
		label: 'npm start',
		cwd: REPO_ROOT,
		env: {
			...process.env,
			ELEVATEAI_API_TOKEN: '',
			ELEVATEAI_LOCAL_DIR: dir,
			N8N_PORT: String(ports.n8n),
			EMULATOR_PORT: String(ports.emulator),
			N8N_LOCAL_OWNER_EMAIL: OWNER.email,
			N8N_LOCAL_OWNER_PASSWORD: OWNER.password,
		},
	});
	child.stdout.on('data', (c) => (out.text += c));
	child.stderr.on('data', (c) => (out.text += c));
	const { exited } = child;
	const started = await Promise.race([
		waitFor(() => out.text.includes('is running:'), { timeoutMs: 8 * 60_000, intervalMs: 250, what: 'the npm start banner' }).then(() => true),
		exited.then(() => false),
	]);
	assert.ok(started, `npm start exited before it was ready:\n${out.text.slice(-4000)}`);
	return { child, out, exited, baseUrl: `http://localhost:${ports.n8n}` };
}

/** Ctrl-C: SIGINT to the whole foreground group, as a terminal sends it. */
async function pressCtrlC(run) {
	process.kill(-run.child.pid, 'SIGINT');
	const result = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
	if (result === 'timeout') stopGroup(run.child);
	return result;
}

async function portAnswers(port) {
	try {
		await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
		return true;
	} catch {
		return false;
	}
}

async function login(baseUrl) {
	const res = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password }),
	});
	assert.equal(res.status, 200, `login with the printed owner account: ${await res.text()}`);
	return res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
}

async function emulatorRequests() {
	const res = await fetch(`http://127.0.0.1:${ports.emulator}/__emulator/requests`);
	return (await res.json()).requests;
}

before(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-start-'));
	ports = { n8n: await freePort(), emulator: await freePort() };
});

after(() => {
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm start (scripts/start.mjs)', () => {
	let run;
	let cookie;

	before(async () => {
		run = await startLocal();
		cookie = await login(run.baseUrl);
	});

	after(async () => {
		if (run && run.child.exitCode === null) stopGroup(run.child);
	});

	test('the banner tells the truth: URL, login, emulator and the number of examples', () => {
		assert.match(run.out.text, new RegExp(`n8n ${N8N_UNDER_TEST.version.replace(/\./g, '\\.')} is running: http://localhost:${ports.n8n}`));
		assert.ok(run.out.text.includes(`${OWNER.email} / ${OWNER.password}`), 'the printed login is the account n8n has');
		assert.ok(run.out.text.includes(`ElevateAI emulator: http://127.0.0.1:${ports.emulator}`), run.out.text.slice(-3000));
		assert.ok(run.out.text.includes(`the ${EXAMPLES.length} "ElevateAI: …" examples`), 'the banner counts the examples that exist');
	});

	const workflows = async () => (await (await fetch(`${run.baseUrl}/rest/workflows`, { headers: { cookie } })).json()).data;

	test('every example is imported, with the emulator credential', async () => {
		const imported = await workflows();
		for (const { workflow } of EXAMPLES) {
			assert.equal(imported.find((w) => w.id === workflow.id)?.name, workflow.name, `example "${workflow.name}" imported`);
		}
		const creds = await (await fetch(`${run.baseUrl}/rest/credentials`, { headers: { cookie } })).json();
		assert.ok(creds.data.some((c) => c.name === 'ElevateAI (local emulator)' && c.type === 'elevateAiApi'));
	});

	test('the webhook examples are active', skipOn([NO_CLI_ACTIVATION]), async () => {
		const imported = await workflows();
		for (const id of [WORKFLOW_IDS.webhookSummary, WORKFLOW_IDS.queueParkedWait]) {
			assert.equal(imported.find((w) => w.id === id).active, true, `${id} is active`);
		}
	});

	test("the banner's curl works: the summarize-call webhook answers with the call's summary", skipOn([NO_CLI_ACTIVATION]), async () => {
		const [, webhookPath] = /curl -X POST http:\/\/localhost:\d+\/webhook\/(\S+)/.exec(run.out.text) ?? [];
		assert.equal(webhookPath, 'elevateai/summarize-call', 'the banner names the webhook');
		const res = await fetch(`${run.baseUrl}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ recordingUrl: 'https://example.com/call-42.wav', callId: '42' }),
			signal: AbortSignal.timeout(120_000),
		});
		const body = await res.json();
		assert.equal(res.status, 200, JSON.stringify(body));
		assert.equal(body.callId, '42');
		assert.equal(typeof body.summary, 'string');
		assert.ok(body.summary.length > 0);
	});

	test('the queue-mode example finishes its parked loop (Wait 2 minutes) and reads the results', skipOn([NO_CLI_ACTIVATION, NOT_PINNED]), async () => {
		const res = await fetch(`${run.baseUrl}/webhook/elevateai/queue-call`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ recordingUrl: 'https://example.com/call-77.wav', callId: '77' }),
		});
		assert.equal(res.status, 200, 'answered at once');
		const interactions = async () => (await (await fetch(`http://127.0.0.1:${ports.emulator}/__emulator/interactions`)).json()).interactions;
		const call = await waitFor(async () => (await interactions()).find((i) => i.declared?.externalIdentifier === '77'), {
			timeoutMs: 30_000,
			what: 'the declare of call 77',
		});
		const mine = async (route) => (await emulatorRequests()).filter((r) => r.route === route && r.interactionIdentifier === call.identifier);
		await waitFor(async () => (await mine('GET /interactions/:id/transcripts/punctuated')).some((r) => r.status === 200), {
			timeoutMs: 5 * 60_000,
			intervalMs: 2000,
			what: 'the transcript read after the parked wait',
		});
		assert.equal((await mine('GET /interactions/:id/gen-ai/cx/summary')).at(-1)?.status, 200, 'the summary was read');
		const checks = await mine('GET /interactions/:id/status');
		assert.ok(checks.length >= 2, `checked before and after the Wait (${checks.length} checks)`);
	});

	test('Ctrl-C stops n8n and the emulator', async () => {
		const result = await pressCtrlC(run);
		assert.notEqual(result, 'timeout', `npm start did not stop within 60 s:\n${run.out.text.slice(-2000)}`);
		assert.equal(result.code, 0, run.out.text.slice(-2000));
		assert.equal(await portAnswers(ports.n8n), false, 'n8n stopped');
		assert.equal(await portAnswers(ports.emulator), false, 'emulator stopped');
	});
});

describe('npm start again over the same data', () => {
	test('imports nothing again and finds the owner already set up', async () => {
		const run = await startLocal();
		try {
			assert.match(run.out.text, /credential "ElevateAI \(local emulator\)" unchanged/);
			for (const { file } of EXAMPLES) assert.match(run.out.text, new RegExp(`unchanged ${file.replace('.', '\\.')}`));
			assert.match(run.out.text, /owner already set up/);
			await login(run.baseUrl);
		} finally {
			const result = await pressCtrlC(run);
			assert.notEqual(result, 'timeout');
		}
	});
});

// Distributed n8n, the way contact centres run it: PostgreSQL + Redis, `n8n start` as main and
// two `n8n worker` processes (concurrency 2 each, their own user folders), one shared encryption
// key. 20 calls arrive through the webhook of examples/queue-mode-parked-wait.json; ElevateAI
// (the emulator) takes 3 minutes of emulated time to process each. Wait For Completion in route
// mode sends them to the Wait node, n8n parks them in Postgres, one worker is SIGKILLed and
// started again, the emulator's clock jumps over the processing time, and every call must still
// complete with nothing declared twice.
//
// Time: the emulator runs on a clock the test moves (3 emulated minutes take no real time); the
// example's 2-minute Wait becomes 66 s, just over n8n's 65 s parking threshold (shorter waits
// are slept in the worker, holding its slot). About 2-3 minutes in all.
//
// Skipped, visibly, when PostgreSQL (`apt-get install -y postgresql`) or redis-server is missing.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import { adaptExample, loadExample, WORKFLOW_IDS } from '../../scripts/examples.mjs';
import { findPostgres, startPostgres } from '../../scripts/postgres.mjs';
import { signalGroup } from '../../scripts/processes.mjs';
import { createN8n, createSink, HUBSPOT_CREDENTIAL_ID, installPackage, N8N_UNDER_TEST, waitFor, waitForWebhook } from './harness.mjs';

const run = promisify(execFile);
const REDIS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
const missing = [!findPostgres() && 'PostgreSQL (apt-get install -y postgresql)', !REDIS && 'redis-server (apt-get install -y redis-server)'].filter(Boolean);
const skip = missing.length
	? `SKIP: ${missing.join(' and ')} not installed`
	: !N8N_UNDER_TEST.cliActivatesImported
		? `SKIP (n8n limitation, not the node): n8n ${N8N_UNDER_TEST.version} cannot activate an imported workflow from its CLI, so the webhook workflow cannot be published headlessly`
		: false;
if (skip) process.stderr.write(`# distributed e2e test ${skip}\n`);

const CALLS = 20;
const WORKER_CONCURRENCY = 2;
const PROCESSING_MS = 3 * 60_000; // emulated
const WAIT_SECONDS = 66;
const ENCRYPTION_KEY = 'e2e-distributed-0123456789abcdef0123456789abcdef';

let n8n;
let pg;
let redis;
let main;
const workers = [];
let sink;
let clockOffset = 0;
const started = Date.now();
const timings = {};
const mark = (name) => {
	timings[name] = Math.round((Date.now() - started) / 1000);
};

/** `n8n worker` with its own user folder (only the package, nothing shared but DB, Redis and key). */
async function startWorker(index) {
	const folder = path.join(n8n.dir, `worker-${index}`);
	fs.mkdirSync(folder, { recursive: true });
	await installPackage(folder);
	const worker = await n8n.worker({
		concurrency: WORKER_CONCURRENCY,
		extraEnv: { N8N_USER_FOLDER: folder, QUEUE_HEALTH_CHECK_ACTIVE: 'false' },
	});
	worker.index = index;
	return worker;
}

const executionsBy = (worker) => (worker.output.stdout + worker.output.stderr).match(/Worker started execution \d+/g) ?? [];

async function executionStatuses() {
	const rows = await pg.psql('SELECT status, count(*) FROM execution_entity GROUP BY status ORDER BY status');
	return Object.fromEntries(rows.split('\n').filter(Boolean).map((l) => l.split('|')).map(([s, c]) => [s, Number(c)]));
}

async function redisCli(...args) {
	const cli = path.join(path.dirname(REDIS), 'redis-cli');
	const { stdout } = await run(cli, ['-h', '127.0.0.1', '-p', String(redis.port), ...args]);
	return stdout.trim();
}

before(async () => {
	if (skip) return;
	n8n = await createN8n({
		emulatorOptions: {
			timing: { stageMs: 200, stages: { processing: PROCESSING_MS } },
			clock: () => Date.now() + clockOffset,
		},
	});
	[pg, redis] = await Promise.all([startPostgres(), n8n.redis()]);
	n8n.setEnv({
		...pg.env,
		...redis.env,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		// Keep every execution in the database, so the test can count them by status.
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
	});
	mark('postgres+redis');
	sink = await createSink(n8n);
	// The first command on a fresh Postgres runs n8n's migrations: on a busy 2-core machine that
	// takes longer than the wrapper's default CLI timeout, so the imports get their own.
	const credentialsFile = path.join(n8n.dir, 'distributed-credentials.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			n8n.credential(),
			{ id: HUBSPOT_CREDENTIAL_ID, name: 'HubSpot service key', type: 'hubspotAppToken', data: { appToken: 'pat-e2e-distributed' } },
		]),
	);
	await n8n.cliOk(['import:credentials', `--input=${credentialsFile}`], { timeoutMs: 10 * 60_000 });
	const workflow = adaptExample(loadExample('queue-mode-parked-wait.json'), { crmBaseUrl: sink.url, waitSeconds: WAIT_SECONDS });
	const workflowFile = path.join(n8n.dir, 'distributed-workflow.json');
	fs.writeFileSync(workflowFile, JSON.stringify([workflow]));
	await n8n.cliOk(['import:workflow', `--input=${workflowFile}`], { timeoutMs: 5 * 60_000 });
	await n8n.activate(WORKFLOW_IDS.queueParkedWait);
	mark('imported');
	// The imports ran the migrations: main and both workers can boot at once.
	const [m, w1, w2] = await Promise.all([n8n.start(), startWorker(1), startWorker(2)]);
	main = m;
	workers.push(w1, w2);
	await waitForWebhook(main.baseUrl, 'elevateai/queue-call');
	mark('n8n ready');
});

after(async () => {
	await n8n?.close();
	await pg?.stop();
	if (!skip) process.stderr.write(`# distributed e2e timings (s since start): ${JSON.stringify(timings)}\n`);
});

test('queue mode on Postgres + Redis + 2 workers: 20 calls park while processing, survive a worker SIGKILL, all complete once', { skip, timeout: 10 * 60_000 }, async () => {
	const emulator = n8n.emulator;
	// 1. 20 calls; the webhook answers at once.
	const answers = await Promise.all(
		Array.from({ length: CALLS }, async (_, i) => {
			const res = await fetch(`${main.baseUrl}/webhook/elevateai/queue-call`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ recordingUrl: `https://recordings.example.com/calls/call-${5000 + i}.wav`, callId: String(5000 + i) }),
				signal: AbortSignal.timeout(30_000),
			});
			return { status: res.status, body: await res.text() };
		}),
	);
	for (const a of answers) assert.equal(a.status, 200, a.body);
	mark('webhooks answered');

	// 2. All 20 executions parked in Postgres: more than the 4 worker slots, and no job active.
	await waitFor(async () => (await executionStatuses()).waiting === CALLS, { timeoutMs: 60_000, intervalMs: 500, what: `${CALLS} executions waiting` });
	mark('all parked');
	const parked = await executionStatuses();
	assert.equal(parked.waiting, CALLS, JSON.stringify(parked));
	assert.ok(CALLS > 2 * WORKER_CONCURRENCY);
	assert.equal(Number(await redisCli('LLEN', 'bull:jobs:active')), 0, 'no Bull job is active while the executions are parked');
	assert.equal(emulator.stats().declares, CALLS);
	for (const worker of workers) assert.ok(executionsBy(worker).length > 0, `worker ${worker.index} ran executions:\n${worker.output.stdout.slice(-2000)}`);
	const beforeKill = workers.map((w) => executionsBy(w).length);

	// 3. SIGKILL worker 1 while everything is parked, then start it again.
	const killed = workers[0];
	signalGroup(killed.child.pid, 'SIGKILL');
	const exit = await killed.child.exited;
	assert.equal(exit.signal, 'SIGKILL');
	await killed.stop();
	workers[0] = await startWorker(1);
	mark('worker restarted');

	// 4. ElevateAI finishes: jump the emulator's clock over the processing time.
	clockOffset += PROCESSING_MS + 10_000;
	for (const i of emulator.interactions.values()) assert.equal(i.status.status, 'processed', i.identifier);

	// 5. The Wait ends, each execution resumes on a worker, finds its interaction processed and updates the CRM.
	await waitFor(async () => (await executionStatuses()).success === CALLS, {
		timeoutMs: 4 * 60_000,
		intervalMs: 1000,
		what: `${CALLS} executions succeeded (now ${JSON.stringify(await executionStatuses().catch(() => ({})))})`,
	});
	mark('all complete');

	const stats = emulator.stats();
	assert.equal(stats.declares, CALLS, 'each interaction declared once');
	const externalIds = [...emulator.interactions.values()].map((i) => i.declared.externalIdentifier);
	assert.equal(new Set(externalIds).size, CALLS, 'one interaction per call');
	// Status checks per interaction: the first check, then one after the Wait.
	for (const [id, times] of Object.entries(stats.statusRequests)) assert.ok(times.length >= 2 && times.length <= 3, `${id}: ${times.length} status checks`);
	const patches = sink.requests.filter((r) => r.method === 'PATCH');
	assert.equal(patches.length, CALLS, 'one CRM update per call');
	assert.deepEqual(
		patches.map((r) => r.url.split('/').pop()).sort(),
		Array.from({ length: CALLS }, (_, i) => String(5000 + i)).sort(),
	);
	for (const p of patches) assert.match(p.body.properties.hs_call_body, /^ElevateAI summary: \S/);
	assert.deepEqual(await executionStatuses(), { success: CALLS });
	// The resumed executions ran on the workers (each resume is a new Bull job).
	const resumed = workers.map((w, i) => executionsBy(w).length - (i === 0 ? 0 : beforeKill[i]));
	assert.ok(resumed.reduce((a, b) => a + b, 0) >= CALLS, `resumed runs per worker: ${resumed}`);
	process.stderr.write(`# executions started per worker before the kill: ${beforeKill}; after: ${resumed}\n`);
});

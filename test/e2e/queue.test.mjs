// Queue mode: n8n main + one worker + a private Redis. Executions run on the worker, binary data
// lives in the database (n8n's default in queue mode), and the ElevateAI node streams it from
// there. Skipped when redis-server is not installed (`apt-get install -y redis-server`).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { adaptExample, loadExample, WORKFLOW_IDS } from '../../scripts/examples.mjs';
import {
	createFileServer,
	createN8n,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	makeWav,
	NODE_TYPE,
	sha256,
	skipOn,
	waitForWebhook,
} from './harness.mjs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const hasRedis = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => fs.existsSync(p));
// Not the node's code: n8n 2.0.x cannot activate an imported workflow from its CLI (see harness traits).
const activation = skipOn([[(t) => !t.cliActivatesImported, 'SKIP (n8n limitation, not the node): 2.0.x\'s import:workflow writes no workflow history, so publish:workflow fails ("Version … not found"); queue mode runs on 1.123.81 and 2.41.1.']]);
const skip = !hasRedis ? 'redis-server not installed' : activation.skip;

let n8n;
let main;
let worker;

function uploadWorkflow() {
	const cred = { elevateAiApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	return {
		id: 'e2eQueueUpload01',
		name: 'e2e: queue mode upload',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: '10000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '10000000-0000-4000-8000-0000000000aa',
				parameters: { httpMethod: 'POST', path: 'e2e/queue-transcribe', responseMode: 'responseNode', options: {} },
			},
			{
				id: '10000000-0000-4000-8000-000000000002',
				name: 'Transcribe',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				credentials: cred,
				parameters: {
					resource: 'interaction',
					operation: 'transcribe',
					interactionType: 'audio',
					languageTag: 'en-us',
					vertical: 'default',
					includeAiResults: false,
					additionalFields: { externalIdentifier: '={{ $json.query.callId }}' },
					binaryPropertyName: 'data',
					pollInterval: 1,
					timeout: 2,
					transcriptFormat: 'punctuated',
					options: {},
				},
			},
			{
				id: '10000000-0000-4000-8000-000000000003',
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [400, 0],
				parameters: {
					respondWith: 'json',
					responseBody: '={{ JSON.stringify({ interactionIdentifier: $json.interactionIdentifier, status: $json.status, text: $json.text }) }}',
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Transcribe', type: 'main', index: 0 }]] },
			Transcribe: { main: [[{ node: 'Respond', type: 'main', index: 0 }]] },
		},
	};
}

before(async () => {
	if (skip) return;
	n8n = await createN8n({ emulatorOptions: { timing: { stageMs: 50 } } });
	const redis = await n8n.redis();
	n8n.setEnv({ ...redis.env, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true' });
	await n8n.importCredentials([n8n.credential()]);
	await n8n.importWorkflows([
		uploadWorkflow(),
		adaptExample(loadExample('webhook-download-uri-summary.json'), { pollInterval: 1 }),
	]);
	for (const id of ['e2eQueueUpload01', WORKFLOW_IDS.webhookSummary]) {
		await n8n.activate(id);
	}
	[main, worker] = await Promise.all([n8n.start(), n8n.worker()]);
	await waitForWebhook(main.baseUrl, 'e2e/queue-transcribe');
	await waitForWebhook(main.baseUrl, 'elevateai/summarize-call');
});

after(async () => {
	await n8n?.close();
});

test('queue mode: a recording POSTed to a webhook is uploaded by the worker from n8n\'s queue-mode binary storage (database on 2.x, in the execution data on 1.x)', { skip }, async () => {
	const wav = makeWav({ seconds: 30, seed: 9 });
	const res = await fetch(`${main.baseUrl}/webhook/e2e/queue-transcribe?callId=q-7001`, {
		method: 'POST',
		headers: { 'content-type': 'audio/wav', 'content-disposition': 'attachment; filename="call-7001.wav"' },
		body: wav,
		signal: AbortSignal.timeout(60000),
	});
	const text = await res.text();
	assert.equal(res.status, 200, text);
	const body = JSON.parse(text);
	assert.match(body.interactionIdentifier, GUID);
	assert.equal(body.status, 'processed');
	assert.ok(body.text.length > 0);

	const upload = n8n.emulator.stats().uploads.find((u) => u.interactionIdentifier === body.interactionIdentifier);
	assert.ok(upload, 'uploaded');
	assert.equal(upload.filename, 'call-7001.wav');
	assert.equal(upload.size, wav.length);
	assert.equal(upload.sha256, sha256(wav));

	// The worker ran it, not main.
	assert.match(worker.output.stdout + worker.output.stderr, /Worker started execution/);
});

test('queue mode: the webhook example answers with the summary', { skip }, async () => {
	const wav = makeWav({ seconds: 3, seed: 3 });
	const files = await createFileServer(n8n, { 'q.wav': wav });
	const res = await fetch(`${main.baseUrl}/webhook/elevateai/summarize-call`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ recordingUrl: `${files.url}/q.wav`, callId: 'q-1' }),
		signal: AbortSignal.timeout(60000),
	});
	const text = await res.text();
	assert.equal(res.status, 200, text);
	const body = JSON.parse(text);
	assert.equal(body.callId, 'q-1');
	assert.match(body.interactionIdentifier, GUID);
	assert.ok(body.summary);
	const workerLog = worker.output.stdout + worker.output.stderr;
	assert.ok((workerLog.match(/Worker started execution/g) ?? []).length >= 2, 'both executions ran on the worker');
});

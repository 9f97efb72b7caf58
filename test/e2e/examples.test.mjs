// Every workflow in examples/ runs in a real n8n against the emulator, with only the documented
// local changes (scripts/examples.mjs: poll interval 1 s, the recordings folder, HubSpot's base URL
// → a local sink). a, c and d run through `n8n execute`; b is published and called through its
// webhook on a running `n8n start`.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { adaptExample, HUBSPOT_CREDENTIAL, loadExample, loadExamples, WORKFLOW_IDS } from '../../scripts/examples.mjs';
import {
	createFileServer,
	createN8n,
	createSink,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	makeWav,
	N8N_UNDER_TEST,
	nodeOutput,
	ownerSession,
	sha256,
	skipOn,
	waitForWebhook,
} from './harness.mjs';

// Not the node's code: n8n 2.0.x cannot activate an imported workflow from its CLI.
const NO_CLI_ACTIVATION = [
	(t) => !t.cliActivatesImported,
	'SKIP (n8n limitation, not the node): 2.0.x\'s import:workflow writes no workflow history, so publish:workflow fails with "Version … not found" and the webhook workflow cannot be activated headlessly; the webhook example runs on 1.123.81 and 2.41.1.',
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HUBSPOT_TOKEN = 'e2e-hubspot-service-key';

let n8n;
let sink;
let recordings;

before(async () => {
	n8n = await createN8n({ emulatorOptions: { timing: { stageMs: 50 } } });
	sink = await createSink(n8n);
	recordings = path.join(n8n.filesDir, 'recordings');
	fs.mkdirSync(recordings);
	await n8n.importCredentials([
		n8n.credential(),
		{ ...HUBSPOT_CREDENTIAL, data: { appToken: HUBSPOT_TOKEN } },
	]);
	const local = { pollInterval: 1, recordingsDir: recordings, crmBaseUrl: sink.url, chatSinkUrl: sink.url };
	await n8n.importWorkflows(loadExamples().map(({ workflow }) => adaptExample(workflow, local)));
});

after(async () => {
	await n8n?.close();
});

test('examples have fixed 16-character ids, sticky-note docs and reference the shared credential', () => {
	const examples = loadExamples();
	assert.ok(examples.length >= 6, `${examples.length} examples`);
	for (const { file, workflow } of examples) {
		assert.match(workflow.id, /^[A-Za-z0-9]{16}$/, file);
		assert.ok(workflow.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote'), `${file} has a sticky note`);
		const elevate = workflow.nodes.filter((n) => n.type === 'n8n-nodes-elevateai.elevateAi');
		assert.ok(elevate.length > 0, file);
		for (const node of elevate) {
			assert.equal(node.credentials?.elevateAiApi?.id, 'eaiLocalEmulator', `${file}: ${node.name}`);
			assert.equal(node.typeVersion, 1);
		}
	}
});

describe('a. transcribe-recordings-to-crm', () => {
	test('transcribes new recordings and updates the HubSpot call of each; skips them the next time', async () => {
		const files = { 'call-1001.wav': makeWav({ seconds: 3, seed: 1 }), 'call-1002.wav': makeWav({ seconds: 2, seed: 2 }) };
		for (const [name, buf] of Object.entries(files)) fs.writeFileSync(path.join(recordings, name), buf);
		const before = n8n.emulator.stats();

		const { run } = await n8n.executeOk(WORKFLOW_IDS.transcribeToCrm);

		const transcribed = nodeOutput(run, 'ElevateAI: Transcribe');
		assert.equal(transcribed.length, 2);
		for (const item of transcribed) {
			assert.match(item.json.interactionIdentifier, GUID);
			assert.equal(item.json.status, 'processed');
			assert.equal(typeof item.json.text, 'string');
			assert.ok(item.json.text.length > 0, 'transcript text');
			assert.equal(typeof item.json.aiResults?.agent?.customerSatisfaction?.activeListening, 'number', 'simplified CX AI scores');
			assert.match(item.json.text, /^Agent: /, 'Agent Participant labels');
			assert.equal(item.binary?.transcript?.mimeType, 'text/plain', 'transcript file attached');
			assert.equal(typeof item.json.summary, 'string', 'summary requested with Summary');
		}

		// The CRM got one PATCH per call, authenticated with the HubSpot credential.
		const patches = sink.requests.filter((r) => r.method === 'PATCH');
		assert.deepEqual(patches.map((r) => r.url).sort(), ['/crm/v3/objects/calls/1001', '/crm/v3/objects/calls/1002']);
		for (const req of patches) {
			assert.equal(req.headers.authorization, `Bearer ${HUBSPOT_TOKEN}`);
			const body = req.body.properties.hs_call_body;
			assert.match(body, /^ElevateAI summary: /);
			assert.match(body, /Transcript:\nAgent: ./);
			assert.match(body, /CX AI scores \(agent\): .*activeListening -?\d/);
			assert.equal(req.body.properties.hs_attachment_ids, 'files', 'the uploaded file is attached');
		}
		// One transcript file per call went to HubSpot's Files API, as multipart with the TXT.
		const uploadsToCrm = sink.requests.filter((r) => r.method === 'POST' && r.url === '/files/v3/files');
		assert.equal(uploadsToCrm.length, 2);
		for (const req of uploadsToCrm) {
			assert.match(req.headers['content-type'], /^multipart\/form-data/);
			assert.match(String(req.body), /filename="call-100[12]\.txt"/);
			assert.match(String(req.body), /Agent: Thank you for calling/);
		}
		const callOf = (id) => patches.find((r) => r.url.endsWith(`/${id}`));
		const t1001 = transcribed.find((i) => i.json.text && callOf(1001).body.properties.hs_call_body.includes(i.json.text));
		assert.ok(t1001, 'call 1001 got a transcript produced for one of the recordings');

		// The emulator got both files under their own names, with the CRM id as externalIdentifier.
		const stats = n8n.emulator.stats();
		assert.equal(stats.declares - before.declares, 2);
		const uploads = stats.uploads.slice(before.uploads.length);
		assert.deepEqual(uploads.map((u) => u.filename).sort(), Object.keys(files));
		for (const u of uploads) assert.equal(u.sha256, sha256(files[u.filename]));
		const external = [...n8n.emulator.interactions.values()]
			.map((i) => i.declared?.externalIdentifier ?? i.externalIdentifier)
			.filter(Boolean)
			.sort();
		assert.deepEqual(external.filter((e) => e === '1001' || e === '1002'), ['1001', '1002']);

		// Second run: the same files are skipped, nothing is declared or sent to the CRM.
		const again = await n8n.executeOk(WORKFLOW_IDS.transcribeToCrm);
		assert.equal(nodeOutput(again.run, 'Only new recordings').length, 0);
		assert.equal(nodeOutput(again.run, 'ElevateAI: Transcribe'), undefined);
		assert.equal(n8n.emulator.stats().declares, stats.declares);
		assert.equal(sink.requests.filter((r) => r.method === 'PATCH').length, 2);
	});

	test('an empty recordings folder is not an error', async () => {
		for (const f of fs.readdirSync(recordings)) fs.rmSync(path.join(recordings, f));
		const { run } = await n8n.executeOk(WORKFLOW_IDS.transcribeToCrm);
		if (!N8N_UNDER_TEST.legacyEngine) {
			// n8n 2.41's Read/Write Files from Disk fails with "No file(s) found" → its error output.
			assert.equal(nodeOutput(run, 'No recordings found', { output: 0 }).length, 1);
		} else {
			// n8n 1.x's and 2.0's version of that node returns no items for an empty folder: the run just ends.
			assert.deepEqual(nodeOutput(run, 'Read recordings'), []);
			assert.equal(nodeOutput(run, 'No recordings found'), undefined);
		}
		assert.equal(nodeOutput(run, 'ElevateAI: Transcribe'), undefined);
	});
});

describe('c. chat-cx-ai', () => {
	test('declares the chats, waits and returns CX AI results per conversation', async () => {
		const before = n8n.emulator.stats();
		const { run } = await n8n.executeOk(WORKFLOW_IDS.chatCxAi);
		const declared = nodeOutput(run, 'Declare chat');
		assert.equal(declared.length, 2);
		for (const item of declared) {
			assert.match(item.json.interactionIdentifier, GUID);
			assert.equal(item.json.type, 'chat');
		}
		const waited = nodeOutput(run, 'Wait for completion');
		assert.deepEqual(waited.map((i) => i.json.status), ['processed', 'processed']);
		const results = nodeOutput(run, 'Get CX AI results');
		assert.equal(results.length, 2);
		assert.deepEqual(
			results.map((i) => i.json.interactionIdentifier),
			declared.map((i) => i.json.interactionIdentifier),
		);
		for (const item of results) {
			// Simplified by default: speaker → bundle → model → score.
			assert.equal(typeof item.json.conversation?.customerSatisfaction?.activeListening, 'number', JSON.stringify(item.json));
			assert.ok(item.json.participantOne && item.json.participantTwo, 'per-participant scores');
			assert.ok(!JSON.stringify(item.json).includes('enlightenBundles'), 'no raw bundles');
		}
		const stats = n8n.emulator.stats();
		assert.equal((stats.declaresByType.chat ?? 0) - (before.declaresByType.chat ?? 0), 2);
		assert.equal(stats.uploads.length, before.uploads.length, 'chats are not uploaded');
	});
});

describe('d. cleanup-delete-interactions', () => {
	test('deletes the listed interactions; an unknown one goes to the error output', async () => {
		// Two interactions that exist at ElevateAI (declared directly), and one that does not.
		const declare = async (n) => {
			const res = await fetch(`${n8n.emulator.url}/interactions`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-token': n8n.credential().data.apiToken },
				body: JSON.stringify({
					type: 'chat',
					languageTag: 'en-us',
					vertical: 'default',
					includeAiResults: false,
					chat: {
						participants: [
							{ participant_id: '1', name: 'Agent', role: 'agent' },
							{ participant_id: '2', name: 'Customer', role: 'customer' },
						],
						messages: [{ participant_id: '2', timestamp: '2024-01-01T10:00:00Z', content: `hello ${n}` }],
					},
				}),
			});
			assert.equal(res.status, 201, await res.clone().text());
			return (await res.json()).interactionIdentifier;
		};
		const ids = [await declare(1), await declare(2)];
		const unknown = '0b6f2d1e-7c3a-4e5f-9a8b-123456789abc';

		const wf = adaptExample(loadExample('cleanup-delete-interactions.json'), { pollInterval: 1 });
		const list = wf.nodes.find((n) => n.name === 'Interactions with stored results');
		list.parameters.assignments.assignments[0].value = JSON.stringify([...ids, unknown]);
		await n8n.importWorkflows([wf]);
		const deletesBefore = n8n.emulator.stats().deletes;

		const { run } = await n8n.executeOk(WORKFLOW_IDS.cleanup);
		const ok = nodeOutput(run, 'Delete interaction', { output: 0 });
		assert.deepEqual(
			ok.map((i) => [i.json.interactionIdentifier, i.json.deleted]),
			ids.map((id) => [id, true]),
		);
		const failed = nodeOutput(run, 'Delete interaction', { output: 1 });
		assert.equal(failed.length, 1);
		assert.ok(failed[0].json.error, 'the failed item carries the error');
		assert.equal(nodeOutput(run, 'Already deleted or failed').length, 1);
		assert.equal(n8n.emulator.stats().deletes - deletesBefore, 2);
		for (const id of ids) assert.equal(n8n.emulator.interaction(id), undefined);
	});
});

describe('e. compliance-check-disclosure', () => {
	const slackPosts = () => sink.requests.filter((r) => r.method === 'POST' && r.url === '/slack/chat.postMessage');

	test('checks each new call for the required phrases and posts the calls that miss one', async () => {
		for (const f of fs.readdirSync(recordings)) fs.rmSync(path.join(recordings, f));
		const files = ['call-2001.wav', 'call-2002.wav'];
		files.forEach((name, i) => fs.writeFileSync(path.join(recordings, name), makeWav({ seconds: 2, seed: 20 + i })));
		const postsBefore = slackPosts().length;

		const { run } = await n8n.executeOk(WORKFLOW_IDS.complianceCheck);

		// Transcribe's simplified output, with the agent and customer labelled.
		const transcribed = nodeOutput(run, 'ElevateAI: Transcribe');
		assert.equal(transcribed.length, 2);
		for (const { json } of transcribed) {
			assert.match(json.interactionIdentifier, GUID);
			assert.match(json.text, /^Agent: Thank you for calling Northwind Energy/);
			assert.match(json.text, /\nCustomer: /);
			assert.match(json.agentText, /my name is Maria/);
			assert.equal(typeof json.customerText, 'string');
			assert.equal(json.sentenceSegments, undefined, 'no time-coded segments in the simplified output');
		}

		// The emulator's call introduces the agent but has no recording disclosure.
		const checked = nodeOutput(run, 'Find required phrases');
		assert.equal(checked.length, 2);
		for (const { json } of checked) {
			assert.equal(json.allFound, false);
			assert.deepEqual(json.found, ['my name is']);
			assert.deepEqual(json.missing, ['this call is recorded']);
			assert.equal(json.matches.length, 1);
			const [match] = json.matches;
			assert.equal(match.phrase, 'my name is');
			assert.equal(match.participant, 'participantOne');
			assert.equal(match.speaker, 'Agent');
			assert.ok(match.startTimeOffset < 30_000 && match.endTimeOffset > match.startTimeOffset, JSON.stringify(match));
			assert.match(match.sentence, /my name is Maria/);
		}

		// One chat message per call that missed a phrase, naming the file, the phrase and the interaction.
		const posts = slackPosts().slice(postsBefore);
		assert.equal(posts.length, 2);
		for (const post of posts) {
			assert.equal(post.body.channel, '#qa-alerts');
			assert.match(post.body.text, /is missing: "this call is recorded"/);
		}
		assert.deepEqual(files.map((f) => posts.filter((p) => p.body.text.includes(f)).length), [1, 1]);
		const ids = checked.map((i) => i.json.interactionIdentifier).sort();
		assert.deepEqual(ids.map((id) => posts.filter((p) => p.body.text.includes(id)).length), [1, 1]);
		assert.equal(nodeOutput(run, 'Compliant'), undefined);
	});

	test('a call that has every phrase is not posted', async () => {
		const wf = adaptExample(loadExample('compliance-check-disclosure.json'), { pollInterval: 1, recordingsDir: recordings, chatSinkUrl: sink.url });
		wf.nodes.find((n) => n.name === 'Find required phrases').parameters.phrases = 'Thank you for calling\nMY NAME IS';
		await n8n.importWorkflows([wf]);
		fs.writeFileSync(path.join(recordings, 'call-2003.wav'), makeWav({ seconds: 2, seed: 23 }));
		const postsBefore = slackPosts().length;

		const { run } = await n8n.executeOk(WORKFLOW_IDS.complianceCheck);

		const checked = nodeOutput(run, 'Find required phrases');
		assert.equal(checked.length, 1, 'only the new recording is checked');
		assert.equal(checked[0].json.allFound, true);
		assert.deepEqual(checked[0].json.missing, []);
		assert.equal(nodeOutput(run, 'Compliant').length, 1);
		assert.equal(slackPosts().length, postsBefore);
	});
});

describe('b. webhook-download-uri-summary, and the editor (n8n start)', skipOn([NO_CLI_ACTIVATION]), () => {
	let server;
	let cookie;
	let files;
	const wav = makeWav({ seconds: 5, seed: 7 });

	before(async () => {
		files = await createFileServer(n8n, { 'calls/42.wav': wav });
		await n8n.activate(WORKFLOW_IDS.webhookSummary);
		server = await n8n.start();
		await waitForWebhook(server.baseUrl, 'elevateai/summarize-call');
		cookie = await ownerSession(server.baseUrl);
	});

	after(async () => {
		await server?.stop();
	});

	const post = (body) =>
		fetch(`${server.baseUrl}/webhook/elevateai/summarize-call`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(60000),
		});

	test('answers a POST with the summary of the recording fetched from recordingUrl', async () => {
		const res = await post({ recordingUrl: `${files.url}/calls/42.wav`, callId: '42' });
		const text = await res.text();
		assert.equal(res.status, 200, text);
		const body = JSON.parse(text);
		assert.equal(body.callId, '42');
		assert.match(body.interactionIdentifier, GUID);
		assert.equal(typeof body.summary, 'string');
		assert.ok(body.summary.length > 0);
		assert.equal(typeof body.isResolved, 'boolean', 'summary details requested with includeDetails');

		// ElevateAI (the emulator) fetched the file itself; nothing was uploaded.
		const download = n8n.emulator.stats().downloads.find((d) => d.interactionIdentifier === body.interactionIdentifier);
		assert.ok(download, 'a download was recorded');
		assert.equal(download.mode, 'real');
		assert.equal(download.sha256, sha256(wav));
		assert.deepEqual(files.served, ['calls/42.wav']);
	});

	test('answers 400 without recordingUrl', async () => {
		const bad = await post({ callId: '43' });
		const text = await bad.text();
		assert.equal(bad.status, 400, text);
		assert.match(JSON.parse(text).error, /recordingUrl/);
	});

	test('answers 502 with ElevateAI\'s message when the recording cannot be fetched', async () => {
		const res = await post({ recordingUrl: 'https://storage.example.com/download-fails/44.wav', callId: '44' });
		const text = await res.text();
		assert.equal(res.status, 502, text);
		const body = JSON.parse(text);
		assert.equal(body.callId, '44');
		assert.match(body.interactionIdentifier ?? '', GUID, text);
		assert.ok(body.error, 'error message passed on');
	});

	test('the editor lists the node (and its tool variant), the credential and their icons', async () => {
		const nodes = await (await fetch(`${server.baseUrl}/types/nodes.json`, { headers: { cookie } })).json();
		const node = nodes.find((n) => n.name === 'n8n-nodes-elevateai.elevateAi');
		assert.ok(node, 'node type loaded');
		assert.ok(nodes.some((n) => n.name === 'n8n-nodes-elevateai.elevateAiTool'), 'usableAsTool variant');
		const creds = await (await fetch(`${server.baseUrl}/types/credentials.json`, { headers: { cookie } })).json();
		const cred = creds.find((c) => c.name === 'elevateAiApi');
		assert.ok(cred, 'credential type loaded');
		for (const url of [node.iconUrl?.light, node.iconUrl?.dark, cred.iconUrl?.light, cred.iconUrl?.dark]) {
			assert.ok(url, 'icon url');
			const res = await fetch(`${server.baseUrl}/${url}`, { headers: { cookie } });
			assert.equal(res.status, 200, url);
			assert.match(res.headers.get('content-type') ?? '', /svg/);
		}
	});

	test("n8n's credential tester accepts the emulator token and rejects a wrong one", async () => {
		const testCredential = async (apiToken) => {
			const res = await fetch(`${server.baseUrl}/rest/credentials/test`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({
					credentials: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: 'elevateAiApi', data: { apiToken, baseUrl: n8n.emulator.url } },
				}),
			});
			const text = await res.text();
			assert.equal(res.status, 200, text);
			return JSON.parse(text).data;
		};
		const good = await testCredential(n8n.credential().data.apiToken);
		assert.equal(good.status, 'OK', JSON.stringify(good));
		const wrongToken = '22222222-2222-4222-8222-222222222222';
		const bad = await testCredential(wrongToken);
		assert.equal(bad.status, 'Error', JSON.stringify(bad));
		assert.match(bad.message, /401|token/i);
		assert.ok(!bad.message.includes(wrongToken), 'the token is not echoed');
	});
});

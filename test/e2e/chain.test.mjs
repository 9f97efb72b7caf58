// A real n8n runs Manual → Read/Write Files from Disk (a WAV on disk) → ElevateAI Declare → Upload
// → Get Status → Delete against the emulator, and the emulator confirms what arrived byte for byte.
// n8n's default binary data mode applies: on 2.x the file is stored on disk (the node streams it by
// id), on 1.x it is held in the item (the node uploads the in-memory copy); the large-upload test
// covers 1.x in filesystem mode.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { createN8n, CREDENTIAL_ID, CREDENTIAL_NAME, makeWav, N8N_UNDER_TEST, NODE_TYPE, nodeOutput, sha256 } from './harness.mjs';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = [
	'declared',
	'filePendingUpload',
	'fileUploading',
	'fileUploaded',
	'pendingProcessing',
	'processing',
	'processed',
];

let n8n;

before(async () => {
	n8n = await createN8n({ emulatorOptions: { timing: { stageMs: 50 } } });
	await n8n.importCredentials([n8n.credential()]);
});

after(async () => {
	await n8n?.close();
});

function chainWorkflow(filePath) {
	const cred = { elevateAiApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	const node = (name, x, parameters, extra = {}) => ({
		id: `00000000-0000-4000-8000-${String(x).padStart(12, '0')}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters: { resource: 'interaction', ...parameters },
		credentials: cred,
		...extra,
	});
	const nodes = [
		{ id: '00000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: '00000000-0000-4000-8000-000000000002',
			name: 'Read recording',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1.1,
			position: [200, 0],
			parameters: { operation: 'read', fileSelector: filePath, options: {} },
		},
		node('Declare', 400, {
			operation: 'declare',
			interactionType: 'audio',
			languageTag: 'en-us',
			vertical: 'default',
			includeAiResults: false,
			additionalFields: { originalFilename: '={{ $json.fileName }}', externalIdentifier: 'e2e-call-0042' },
		}),
		node('Upload', 600, { operation: 'upload', binaryPropertyName: 'data' }),
		node('Get Status', 800, { operation: 'getStatus' }),
		node('Delete', 1000, { operation: 'delete' }),
	];
	const names = nodes.map((n) => n.name);
	const connections = {};
	for (let i = 0; i < names.length - 1; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return { id: 'e2eChainUpload01', name: 'e2e: declare, upload, status, delete', active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

test('Read file → Declare → Upload → Get Status → Delete in a real n8n', async () => {
	const wav = makeWav({ seconds: 120, seed: 42 }); // ~1.9 MB
	const file = path.join(n8n.filesDir, 'call-0042.wav');
	fs.writeFileSync(file, wav);
	await n8n.importWorkflows([chainWorkflow(file)]);

	const { run } = await n8n.executeOk('e2eChainUpload01');
	assert.equal(run.finished, true);
	// (2.0.x prints status "running" for the finished run; executeOk has checked it has no error.)
	if (N8N_UNDER_TEST.reportsRunStatus) assert.equal(run.status, 'success');

	const [read] = nodeOutput(run, 'Read recording');
	if (N8N_UNDER_TEST.defaultBinaryMode === 'filesystem') {
		// 2.x: the file node stored the binary on disk (filesystem mode), not in the item.
		assert.match(read.binary.data.id ?? '', /^filesystem/, 'binary data should be in filesystem mode');
	} else {
		// 1.x: n8n's default keeps the binary in the item (base64), no id.
		assert.equal(read.binary.data.id, undefined, `n8n ${N8N_UNDER_TEST.version} should keep binary data in memory by default`);
		assert.ok(read.binary.data.data, 'inline binary data');
	}

	const [declared] = nodeOutput(run, 'Declare');
	const id = declared.json.interactionIdentifier;
	assert.match(id, GUID);
	assert.equal(declared.json.type, 'audio');
	assert.equal(declared.json.externalIdentifier, 'e2e-call-0042');
	assert.ok(declared.binary?.data, 'Declare passes the input binary through');

	const [uploaded] = nodeOutput(run, 'Upload');
	assert.equal(uploaded.json.interactionIdentifier, id);
	assert.equal(uploaded.json.uploaded, true);
	assert.equal(uploaded.json.fileName, 'call-0042.wav');
	assert.equal(uploaded.json.fileSize, wav.length);

	const [status] = nodeOutput(run, 'Get Status');
	assert.equal(status.json.interactionIdentifier, id);
	assert.ok(STATUSES.includes(status.json.status), `unexpected status ${status.json.status}`);

	const [deleted] = nodeOutput(run, 'Delete');
	assert.deepEqual({ id: deleted.json.interactionIdentifier, deleted: deleted.json.deleted }, { id, deleted: true });

	// What the emulator saw.
	const stats = n8n.emulator.stats();
	assert.equal(stats.declares, 1);
	assert.equal(stats.uploads.length, 1);
	const [upload] = stats.uploads;
	assert.equal(upload.interactionIdentifier, id);
	assert.equal(upload.filename, 'call-0042.wav');
	assert.equal(upload.size, wav.length);
	assert.equal(upload.sha256, sha256(wav));
	assert.equal(stats.deletes, 1);
	assert.equal(n8n.emulator.interaction(id), undefined, 'the interaction is gone after Delete');

	// The token never shows up in what n8n printed.
	const token = n8n.credential().data.apiToken;
	assert.ok(!JSON.stringify(run).includes(token), 'token must not appear in the run data');
});

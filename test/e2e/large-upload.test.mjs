// A long recording (400 MB WAV) through a real n8n: Read/Write Files from Disk (binary data on
// disk) → ElevateAI Upload. The first upload attempt is answered 503, so the node must retry
// with a fresh file stream; the emulator checks the bytes that finally arrived, and the n8n
// process must not hold the file in memory (peak RSS well below the file size above baseline).
// E2E_LARGE_UPLOAD_MB sets the size (default 400). The streamed path costs n8n a roughly constant
// 80–120 MB of its own working memory whatever the file size (seen: +80 MB for 200 MB, +116 MB for
// 600 MB), so the file must be large enough for "less than half the file size" to tell streamed
// from buffered (a buffered upload grows by at least the file size).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { createN8n, CREDENTIAL_ID, CREDENTIAL_NAME, N8N_UNDER_TEST, NODE_TYPE, nodeOutput } from './harness.mjs';

const SIZE_MB = Number(process.env.E2E_LARGE_UPLOAD_MB || 400);

let n8n;

before(async () => {
	// The interaction stays `declared` for 1 s, so the failed first attempt and the node's status
	// check before its retry both happen in `declared` (uploads are accepted then, as at ElevateAI).
	// n8n 1.x keeps binary data in memory by default, so the file would be held whole before the node
	// sees it; the README tells 1.x users to set filesystem mode for constant memory, and so does
	// this test (bench/binary-modes.mjs measures both modes). 2.x uses filesystem by default.
	const env = N8N_UNDER_TEST.defaultBinaryMode === 'filesystem' ? {} : { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' };
	n8n = await createN8n({ env, emulatorOptions: { timing: { stageMs: 50, stages: { declared: 1000 } } } });
	await n8n.importCredentials([n8n.credential()]);
});

after(async () => {
	await n8n?.close();
});

/** Writes a PCM WAV of about `mb` MB without holding it in memory; returns its size and SHA-256. */
async function writeLargeWav(file, mb) {
	const chunk = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < chunk.length / 2; i++) {
		chunk.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / 8000) * 8000), i * 2);
	}
	const dataBytes = mb * chunk.length;
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + dataBytes, 4);
	header.write('WAVEfmt ', 8, 'ascii');
	header.writeUInt32LE(16, 16);
	header.writeUInt16LE(1, 20);
	header.writeUInt16LE(1, 22);
	header.writeUInt32LE(8000, 24);
	header.writeUInt32LE(16000, 28);
	header.writeUInt16LE(2, 32);
	header.writeUInt16LE(16, 34);
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataBytes, 40);
	const hash = crypto.createHash('sha256');
	const out = fs.createWriteStream(file);
	const write = (buf) => new Promise((resolve, reject) => out.write(buf, (err) => (err ? reject(err) : resolve())));
	hash.update(header);
	await write(header);
	for (let i = 0; i < mb; i++) {
		hash.update(chunk);
		await write(chunk);
	}
	await new Promise((resolve) => out.end(resolve));
	return { size: header.length + dataBytes, sha256: hash.digest('hex') };
}

test(`a ${SIZE_MB} MB recording is streamed to ElevateAI, retried with a fresh stream after a 503`, async () => {
	const file = path.join(n8n.filesDir, 'long-call-0099.wav');
	const expected = await writeLargeWav(file, SIZE_MB);
	const cred = { elevateAiApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	await n8n.importWorkflows([
		{
			id: 'e2eLargeUpload01',
			name: 'e2e: large upload',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ id: '20000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: '20000000-0000-4000-8000-000000000002',
					name: 'Read recording',
					type: 'n8n-nodes-base.readWriteFile',
					typeVersion: 1.1,
					position: [200, 0],
					parameters: { operation: 'read', fileSelector: file, options: {} },
				},
				{
					id: '20000000-0000-4000-8000-000000000003',
					name: 'Declare',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [400, 0],
					credentials: cred,
					parameters: { resource: 'interaction', operation: 'declare', interactionType: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false, additionalFields: {} },
				},
				{
					id: '20000000-0000-4000-8000-000000000004',
					name: 'Upload',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [600, 0],
					credentials: cred,
					parameters: { resource: 'interaction', operation: 'upload', binaryPropertyName: 'data', options: {} },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Read recording', type: 'main', index: 0 }]] },
				'Read recording': { main: [[{ node: 'Declare', type: 'main', index: 0 }]] },
				Declare: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
			},
		},
	]);

	// Baseline: the same n8n process running a trivial workflow.
	await n8n.importWorkflows([
		{
			id: 'e2eBaselineRss01',
			name: 'e2e: baseline',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				{ id: '30000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{ id: '30000000-0000-4000-8000-000000000002', name: 'Noop', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
			],
			connections: { Start: { main: [[{ node: 'Noop', type: 'main', index: 0 }]] } },
		},
	]);
	const baseline = await n8n.executeOk('e2eBaselineRss01', { monitorRss: true });

	n8n.emulator.addFault({ method: 'POST', path: '^/interactions/[^/]+/upload$', status: 503, times: 1, headers: { 'Retry-After': '1' } });
	const result = await n8n.executeOk('e2eLargeUpload01', { monitorRss: true, timeoutMs: 300000 });

	const [uploaded] = nodeOutput(result.run, 'Upload');
	assert.equal(uploaded.json.uploaded, true);
	assert.equal(uploaded.json.fileSize, expected.size);

	const stats = n8n.emulator.stats();
	assert.equal(stats.faultsApplied.length, 1, 'the first attempt got the 503');
	assert.equal(stats.uploads.length, 1);
	assert.equal(stats.uploads[0].filename, 'long-call-0099.wav');
	assert.equal(stats.uploads[0].size, expected.size);
	assert.equal(stats.uploads[0].sha256, expected.sha256, 'the retry sent the whole file again');

	const growthMb = result.peakRssMb - baseline.peakRssMb;
	process.stderr.write(`peak RSS: baseline ${baseline.peakRssMb} MB, with a ${SIZE_MB} MB upload ${result.peakRssMb} MB (+${growthMb} MB)\n`);
	assert.ok(growthMb < SIZE_MB / 2, `n8n grew by ${growthMb} MB for a ${SIZE_MB} MB file: the upload is buffered, not streamed`);
});

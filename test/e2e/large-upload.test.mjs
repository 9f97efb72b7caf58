// A long recording (400 MB WAV) through a real n8n: Read/Write Files from Disk (binary data on
// disk) → ElevateAI Upload. The first upload attempt is answered 503, so the node must retry
// with a fresh file stream; the emulator checks the bytes that finally arrived, and the n8n
// process must not hold the file in memory (peak RSS well below the file size above baseline).
// E2E_LARGE_UPLOAD_MB sets the size (default 400). The streamed path costs n8n a roughly constant
// 80–120 MB of its own working memory whatever the file size (seen: +80 MB for 200 MB, +116 MB for
// 600 MB), so the file must be large enough for "less than half the file size" to tell streamed
// from buffered (a buffered upload grows by at least the file size).

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { writeLargeWav } from '../../scripts/wav.mjs';
import { createN8n, fileUploadWorkflows, N8N_UNDER_TEST, nodeOutput } from './harness.mjs';

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

test(`a ${SIZE_MB} MB recording is streamed to ElevateAI, retried with a fresh stream after a 503`, async () => {
	const file = path.join(n8n.filesDir, 'long-call-0099.wav');
	const expected = await writeLargeWav(file, SIZE_MB);
	// Read/Write Files from Disk → Declare → Upload, and a trivial workflow in the same n8n process
	// for the baseline.
	await n8n.importWorkflows(fileUploadWorkflows({ file, uploadId: 'e2eLargeUpload01', baselineId: 'e2eBaselineRss01', label: 'e2e: large upload' }));
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

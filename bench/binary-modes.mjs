#!/usr/bin/env node
// A 200 MB recording uploaded through a real n8n in each binary data mode, per n8n version:
// n8n 1.x keeps binary data in memory by default (`N8N_DEFAULT_BINARY_DATA_MODE=default`), so a
// recording read from disk is held whole (as base64) before the ElevateAI node can stream it;
// `filesystem` stores it on disk and the node streams it chunk by chunk. 2.x uses `filesystem`
// by default. Self-contained (its own workflows), on the one n8n-runtime wrapper scripts/n8n.mjs.
//
//   npm run build && node bench/binary-modes.mjs [--versions=1.123.81,2.41.1] [--mb=200] [--reps=1]
//
// Measured: peak RSS (VmHWM) of the `n8n execute` process for Read/Write Files from Disk → Declare →
// Upload, against a baseline run of a trivial workflow in the same instance; the emulator checks that
// every byte arrived (size + SHA-256).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { createN8n, CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, e2eVersions, NODE_TYPE } from '../scripts/n8n.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const versions = e2eVersions(arg('versions', '1.123.81'));
const MB = Number(arg('mb', 200));
const REPS = Number(arg('reps', 1));
const MODES = ['default', 'filesystem'];
const say = (l) => process.stdout.write(`${l}\n`);

async function writeWav(file, mb) {
	const chunk = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < chunk.length / 2; i++) chunk.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / 8000) * 8000), i * 2);
	const dataBytes = mb * chunk.length;
	const h = Buffer.alloc(44);
	h.write('RIFF', 0, 'ascii');
	h.writeUInt32LE(36 + dataBytes, 4);
	h.write('WAVEfmt ', 8, 'ascii');
	h.writeUInt32LE(16, 16);
	h.writeUInt16LE(1, 20);
	h.writeUInt16LE(1, 22);
	h.writeUInt32LE(8000, 24);
	h.writeUInt32LE(16000, 28);
	h.writeUInt16LE(2, 32);
	h.writeUInt16LE(16, 34);
	h.write('data', 36, 'ascii');
	h.writeUInt32LE(dataBytes, 40);
	const hash = crypto.createHash('sha256').update(h);
	const fd = fs.openSync(file, 'w');
	fs.writeSync(fd, h);
	for (let i = 0; i < mb; i++) {
		hash.update(chunk);
		fs.writeSync(fd, chunk);
	}
	fs.closeSync(fd);
	return { size: h.length + dataBytes, sha256: hash.digest('hex') };
}

function workflows(file) {
	const cred = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	const node = (id, name, type, x, parameters, extra = {}) => ({ id, name, type, typeVersion: 1, position: [x, 0], parameters, ...extra });
	return [
		{
			id: 'benchBinUpload01',
			name: 'bench: binary mode upload',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				node('40000000-0000-4000-8000-000000000001', 'Start', 'n8n-nodes-base.manualTrigger', 0, {}),
				node('40000000-0000-4000-8000-000000000002', 'Read recording', 'n8n-nodes-base.readWriteFile', 200, { operation: 'read', fileSelector: file, options: {} }, { typeVersion: 1.1 }),
				node('40000000-0000-4000-8000-000000000003', 'Declare', NODE_TYPE, 400, { resource: 'interaction', operation: 'declare', interactionType: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false, additionalFields: {} }, { credentials: cred }),
				node('40000000-0000-4000-8000-000000000004', 'Upload', NODE_TYPE, 600, { resource: 'interaction', operation: 'upload', binaryPropertyName: 'data', options: {} }, { credentials: cred }),
			],
			connections: {
				Start: { main: [[{ node: 'Read recording', type: 'main', index: 0 }]] },
				'Read recording': { main: [[{ node: 'Declare', type: 'main', index: 0 }]] },
				Declare: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
			},
		},
		{
			id: 'benchBinBaseln01',
			name: 'bench: baseline',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				node('50000000-0000-4000-8000-000000000001', 'Start', 'n8n-nodes-base.manualTrigger', 0, {}),
				node('50000000-0000-4000-8000-000000000002', 'Noop', 'n8n-nodes-base.noOp', 200, {}),
			],
			connections: { Start: { main: [[{ node: 'Noop', type: 'main', index: 0 }]] } },
		},
	];
}

const rows = [];
for (const version of versions) {
	for (const mode of MODES) {
		const n8n = await createN8n({ version, emulator: { timing: { stageMs: 50 } }, env: { N8N_DEFAULT_BINARY_DATA_MODE: mode } });
		try {
			const file = path.join(n8n.filesDir, 'long-call.wav');
			const expected = await writeWav(file, MB);
			await n8n.importCredentials([n8n.credential()]);
			await n8n.importWorkflows(workflows(file));
			for (let rep = 0; rep < REPS; rep++) {
				const base = await n8n.executeOk('benchBinBaseln01', { monitorRss: true });
				n8n.emulator.reset();
				// Not executeOk: in memory mode n8n 1.x cannot even print the run of a 200 MB file
				// (`n8n execute`: RangeError: Invalid string length in JSON.stringify); the emulator's
				// record of the upload is the proof either way.
				const run = await n8n.execute('benchBinUpload01', { monitorRss: true, timeoutMs: 600000 });
				const up = n8n.emulator.stats().uploads;
				const ok = up.length === 1 && up[0].size === expected.size && up[0].sha256 === expected.sha256;
				const printed = /Invalid string length/.test(run.stdout + run.stderr);
				const binary = run.run?.data?.resultData?.runData?.['Read recording']?.[0]?.data?.main?.[0]?.[0]?.binary?.data;
				rows.push({
					version,
					mode,
					stored: binary ? (binary.id ? `id (${binary.id.split(':')[0]})` : 'inline base64') : printed ? 'inline (run too big to print)' : '?',
					baseline: base.peakRssMb,
					peak: run.peakRssMb,
					growth: run.peakRssMb - base.peakRssMb,
					wallS: (run.wallMs / 1000).toFixed(1),
					ok,
				});
				const r = rows[rows.length - 1];
				say(`n8n ${version} ${mode.padEnd(10)} binary ${r.stored.padEnd(16)} peak RSS ${r.peak} MB (baseline ${r.baseline}, +${r.growth} MB) in ${r.wallS} s; upload ${ok ? 'complete' : 'WRONG'}`);
			}
		} finally {
			await n8n.close();
		}
	}
}

say(`\n| n8n | N8N_DEFAULT_BINARY_DATA_MODE | binary item | baseline MB | peak MB (${MB} MB upload) | growth MB | wall s | bytes ok |`);
say('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) say(`| ${r.version} | ${r.mode} | ${r.stored} | ${r.baseline} | ${r.peak} | +${r.growth} | ${r.wallS} | ${r.ok ? 'yes' : 'NO'} |`);
process.exit(rows.every((r) => r.ok) ? 0 : 1);

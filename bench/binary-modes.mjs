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

import path from 'node:path';

import { createN8n, e2eVersions, fileUploadWorkflows } from '../scripts/n8n.mjs';
import { writeLargeWav } from '../scripts/wav.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const versions = e2eVersions(arg('versions', '1.123.81'));
const MB = Number(arg('mb', 200));
const REPS = Number(arg('reps', 1));
const MODES = ['default', 'filesystem'];
const say = (l) => process.stdout.write(`${l}\n`);

const rows = [];
for (const version of versions) {
	for (const mode of MODES) {
		const n8n = await createN8n({ version, emulator: { timing: { stageMs: 50 } }, env: { N8N_DEFAULT_BINARY_DATA_MODE: mode } });
		try {
			const file = path.join(n8n.filesDir, 'long-call.wav');
			const expected = await writeLargeWav(file, MB);
			await n8n.importCredentials([n8n.credential()]);
			await n8n.importWorkflows(fileUploadWorkflows({ file, uploadId: 'benchBinUpload01', baselineId: 'benchBinBaseln01', label: 'bench: binary mode' }));
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

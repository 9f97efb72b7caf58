#!/usr/bin/env node
// Heap snapshot of the n8n process while Transcribe works through N chats (P6's workflow and
// emulator settings: +50 ms per request, 20 s processing, summary on): what is LIVE in n8n's heap
// next to its resident memory, by constructor, to tell what the node holds from garbage V8 has not
// collected yet and from n8n's own data. The snapshot is taken (SIGUSR2, `--heapsnapshot-signal`)
// once the emulator has served a share of the transcripts (--at, default 0.97), i.e. near the end
// of the node's run, with (almost) every output item built. Taking it pauses n8n for a few seconds:
// this is a diagnosis, not a timing.
//
//   npm run build && node --max-old-space-size=8192 bench/heap.mjs [--items 100,1000] [--raw] [--at 0.97] [--keep]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { copyPublishedPackage } from '../scripts/package-copy.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { createN8n, nodeRun } from './lib/n8n.mjs';
import { onExit } from './lib/proc.mjs';
import { transcribeChatWorkflow } from './lib/workflows.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const COUNTS = String(arg('items', '100,1000')).split(',').map(Number);
const AT = Number(arg('at', 0.97));
const simple = !process.argv.includes('--raw');
const keep = process.argv.includes('--keep');
const MiB = 1024 * 1024;
const say = (l = '') => process.stdout.write(`${l}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-heap-'));
onExit(() => {
	if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
	else process.stderr.write(`kept ${tmp}\n`);
});

const packageDir = await copyPublishedPackage(REPO, path.join(tmp, 'package'));
const filesDir = path.join(tmp, 'files');
fs.mkdirSync(filesDir);
const emulator = await startEmulator(REPO, { stageMs: 10_000 });
const n8n = await createN8n({ dir: path.join(tmp, 'n8n'), packageDir, filesDir, progress: (l) => process.stderr.write(`${l}\n`) });
const credential = { id: 'heapEaiCredP6001', name: 'ElevateAI (heap, P6 emulator)' };
await n8n.importCredentials([{ ...credential, type: 'elevateAiApi', data: { apiToken: emulator.token, baseUrl: emulator.url } }]);
const idOf = (count) => `heap${simple ? 's' : 'r'}${String(count).padStart(5, '0')}`.padEnd(16, 'x');
await n8n.importWorkflows(
	COUNTS.map((count) => {
		const wf = transcribeChatWorkflow(idOf(count), count, { simple });
		for (const node of wf.nodes) if (node.credentials?.elevateAiApi) node.credentials.elevateAiApi = credential;
		return wf;
	}),
);

/** Live heap by kind from a .heapsnapshot: total, strings, and the biggest constructors by self size. */
function summarise(file) {
	const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
	const fields = snap.snapshot.meta.node_fields;
	const types = snap.snapshot.meta.node_types[0];
	const F = fields.length;
	const iType = fields.indexOf('type');
	const iName = fields.indexOf('name');
	const iSize = fields.indexOf('self_size');
	const by = new Map();
	let total = 0;
	for (let i = 0; i < snap.nodes.length; i += F) {
		const type = types[snap.nodes[i + iType]];
		const size = snap.nodes[i + iSize];
		total += size;
		const key = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + iName]]}` : `(${type})`;
		const e = by.get(key) ?? { count: 0, size: 0 };
		e.count++;
		e.size += size;
		by.set(key, e);
	}
	return { total, by };
}

for (const count of COUNTS) {
	await emulator.reset();
	await emulator.addFault({ delayMs: 50, times: -1 });
	const diagDir = path.join(tmp, `diag-${count}`);
	fs.mkdirSync(diagDir);
	let signalled;
	let timer;
	const { run, memory } = await n8n.execute(idOf(count), {
		sampleMemory: true,
		timeoutMs: 15 * 60_000,
		extraEnv: { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${diagDir}` },
		onSpawn: (child) => {
			timer = setInterval(async () => {
				const stats = await emulator.stats().catch(() => undefined);
				const transcripts = Object.entries(stats?.byRoute ?? {})
					.filter(([route]) => route.includes('transcripts/punctuated'))
					.reduce((a, [, n]) => a + n, 0);
				if (!signalled && transcripts >= AT * count) {
					signalled = { at: Date.now(), transcripts };
					process.kill(child.pid, 'SIGUSR2');
					clearInterval(timer);
				}
			}, 200);
		},
	});
	clearInterval(timer);
	const transcribe = nodeRun(run, 'Transcribe');
	const snapshot = fs.readdirSync(diagDir).find((f) => f.endsWith('.heapsnapshot'));
	say(`${count} chats (${simple ? 'Simplify on' : 'raw'}): Transcribe ${transcribe.executionTime} ms, ${transcribe.items.length} items; peak RSS ${Math.round(memory.peakHwm / MiB)} MB`);
	if (!snapshot) {
		say('  no heap snapshot was written');
		continue;
	}
	const rssAt = memory.timeline.filter(([t]) => t <= signalled.at).pop()?.[1];
	const { total, by } = summarise(path.join(diagDir, snapshot));
	say(`  snapshot after ${signalled.transcripts} transcripts: live heap ${(total / MiB).toFixed(1)} MB; RSS of the tree just before it ${rssAt ? Math.round(rssAt / MiB) : '?'} MB`);
	for (const [key, e] of [...by.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) {
		say(`  ${(e.size / MiB).toFixed(1).padStart(7)} MB ${String(e.count).padStart(9)} × ${key}`);
	}
	fs.rmSync(path.join(diagDir, snapshot));
}
await n8n.close();
await emulator.stop();

#!/usr/bin/env node
// CPU profile of the per-item cost of a declare (`node --cpu-prof` on the n8n process): N chat
// declares against the zero-latency sink (bench/lib/sink.mjs), ElevateAI Declare and the HTTP
// Request node doing the same calls. Prints the node times and, per variant, where the n8n
// process spent its CPU (self time by package and the top functions), minus nothing: both
// variants share n8n's boot, so compare the rows that differ.
//
//   npm run build && node bench/profile.mjs [--items 1000] [--reps 3] [--concurrency 5] [--keep]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { copyPublishedPackage } from '../scripts/package-copy.mjs';
import { createN8n, nodeRun } from './lib/n8n.mjs';
import { onExit } from './lib/proc.mjs';
import { startSink } from './lib/sink.mjs';
import { credentials, declareWorkflow } from './lib/workflows.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const ITEMS = Number(arg('items', 1000));
const REPS = Number(arg('reps', 3));
const CONCURRENCY = arg('concurrency', undefined) === undefined ? undefined : Number(arg('concurrency'));
const keep = process.argv.includes('--keep');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-profile-'));
onExit(() => {
	if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
	else process.stderr.write(`kept ${tmp}\n`);
});
const say = (l = '') => process.stdout.write(`${l}\n`);

const packageDir = await copyPublishedPackage(REPO, path.join(tmp, 'package'));
const sink = await startSink();
const filesDir = path.join(tmp, 'files');
fs.mkdirSync(filesDir);
const n8n = await createN8n({ dir: path.join(tmp, 'n8n'), packageDir, filesDir, progress: (l) => process.stderr.write(`${l}\n`) });
const variants = [
	{ key: 'node', id: 'profDeclareNode1', wf: (id) => declareWorkflow(id, 'node', sink.url, ITEMS, CONCURRENCY) },
	{ key: 'http', id: 'profDeclareHttp1', wf: (id) => declareWorkflow(id, 'http', sink.url, ITEMS) },
];
await n8n.importCredentials(credentials(sink.url, '11111111-1111-4111-8111-111111111111'));
await n8n.importWorkflows(variants.map((v) => v.wf(v.id)));

for (let rep = 0; rep < REPS; rep++) {
	for (const v of variants) {
		await sink.reset();
		const { run } = await n8n.execute(v.id);
		const ms = nodeRun(run, 'Declare').executionTime;
		const stats = await sink.stats();
		say(`${v.key.padEnd(5)} rep ${rep + 1}: ${ms} ms = ${(ms / ITEMS).toFixed(2)} ms per item; ${stats.declares} declares, ${stats.maxConnections} connections at once`);
	}
}

/** Self time (ms) by package and by function from a .cpuprofile. */
function summarize(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map();
	for (let i = 0; i < profile.samples.length; i++) {
		self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
	}
	const byPackage = new Map();
	const byFunction = new Map();
	for (const [id, ms] of self) {
		const { callFrame } = byId.get(id);
		const url = callFrame.url || '(native)';
		const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.split('node_modules').length > 2 ? url.slice(url.lastIndexOf('node_modules')) : url);
		const pkg = url.includes('/package/dist/') ? 'n8n-nodes-elevateai' : m ? m[1] : url.startsWith('node:') ? 'node:' + url.slice(5).split('/')[0] : url;
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
		const fn = `${callFrame.functionName || '(anonymous)'} ${pkg === url ? url : `${pkg}/${path.basename(url)}`}:${callFrame.lineNumber + 1}`;
		byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
	}
	const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
	return { total: [...self.values()].reduce((a, b) => a + b, 0), packages: top(byPackage, 15), functions: top(byFunction, 30) };
}

const profiles = {};
for (const v of variants) {
	const dir = path.join(tmp, `prof-${v.key}`);
	fs.mkdirSync(dir);
	await sink.reset();
	await n8n.execute(v.id, { extraEnv: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` } });
	const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
	// The n8n process is the largest profile (the task runner's is small).
	const main = files.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
	profiles[v.key] = summarize(main);
	fs.copyFileSync(main, path.join(tmp, `${v.key}.cpuprofile`));
}

for (const [key, p] of Object.entries(profiles)) {
	say();
	say(`== ${key}: ${p.total.toFixed(0)} ms CPU in the n8n process (boot included)`);
	for (const [pkg, ms] of p.packages) say(`  ${ms.toFixed(0).padStart(7)} ms  ${pkg}`);
	say('  top functions (self):');
	for (const [fn, ms] of p.functions) say(`  ${ms.toFixed(0).padStart(7)} ms  ${fn}`);
}
say();
say(`profiles: ${tmp}/{node,http}.cpuprofile (open in Chrome DevTools → Performance)`);
await sink.stop();

#!/usr/bin/env node
// Where P6's peak RSS goes: Transcribe of N chats (P6's workflow and emulator: +50 ms per request,
// 20 s processing, summary on) under environment variants of n8n, with each process's own kernel
// peak (VmHWM: n8n main, task runner) and the tree's sampled peak while Transcribe ran. A diagnosis
// of the bench's P6 memory row, not a timing.
//
//   npm run build && node bench/p6-memory.mjs [--items 100,1000] [--raw] [--reps 1]
//        [--variant 'name:ENV=VALUE;ENV2=VALUE2'] ... (default: n8n as installed; the variants given
//        run after it, e.g. --variant 'legacy-expr:N8N_EXPRESSION_ENGINE=legacy'
//        --variant 'old-256:NODE_OPTIONS=--max-old-space-size=256')
//        [--probe] [--alloc [--keep-profiles DIR]] [--http-reference [--no-transcribe]]

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { copyPublishedPackage } from '../scripts/package-copy.mjs';
import { startEmulator } from './lib/emulator.mjs';
import { createN8n, nodeRun } from './lib/n8n.mjs';
import { onExit } from './lib/proc.mjs';
import { HEADER_CREDENTIAL, httpRequestsWorkflow, transcribeChatWorkflow } from './lib/workflows.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const values = (name) => argv.flatMap((a, i) => (a === `--${name}` ? [argv[i + 1]] : []));
const COUNTS = String(values('items')[0] ?? '100,1000').split(',').map(Number);
const REPS = Number(values('reps')[0] ?? 1);
const simple = !argv.includes('--raw');
const probe = argv.includes('--probe');
const alloc = argv.includes('--alloc');
const keepProfiles = values('keep-profiles')[0];
// Also n8n's HTTP Request node making 5 requests per item (no Transcribe), for comparison.
const httpReference = argv.includes('--http-reference');
const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lib', 'memory-probe.cjs');
const variants = [
	{ name: 'default', env: {} },
	// 'name:ENV=VALUE;ENV2=VALUE2' (a value may hold spaces and '=')
	...values('variant').map((spec) => {
		const [name, rest = ''] = spec.split(/:(.*)/s);
		const pairs = rest.split(';').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]);
		return { name, env: Object.fromEntries(pairs) };
	}),
];
const MiB = 1024 * 1024;
const mb = (b) => (b === undefined ? '?' : String(Math.round(b / MiB)));
const say = (l = '') => process.stdout.write(`${l}\n`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-p6mem-'));
onExit(() => (argv.includes('--keep') ? process.stderr.write(`kept ${tmp}\n`) : fs.rmSync(tmp, { recursive: true, force: true })));
const packageDir = await copyPublishedPackage(REPO, path.join(tmp, 'package'));
const filesDir = path.join(tmp, 'files');
fs.mkdirSync(filesDir);
const emulator = await startEmulator(REPO, { stageMs: 10_000 });
const n8n = await createN8n({ dir: path.join(tmp, 'n8n'), packageDir, filesDir, progress: (l) => process.stderr.write(`${l}\n`) });
const credential = { id: 'p6memEaiCred0001', name: 'ElevateAI (P6 memory)' };
await n8n.importCredentials([
	{ ...credential, type: 'elevateAiApi', data: { apiToken: emulator.token, baseUrl: emulator.url } },
	{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'X-API-Token', value: emulator.token } },
]);
const refId = (count) => `p6mhttp${String(count).padStart(5, '0')}`.padEnd(16, 'x');
const idOf = (count) => `p6m${simple ? 's' : 'r'}${String(count).padStart(5, '0')}`.padEnd(16, 'x');
await n8n.importWorkflows([
	...COUNTS.map((count) => {
		const wf = transcribeChatWorkflow(idOf(count), count, { simple });
		for (const node of wf.nodes) if (node.credentials?.elevateAiApi) node.credentials.elevateAiApi = credential;
		return wf;
	}),
	...(httpReference ? COUNTS.map((count) => httpRequestsWorkflow(refId(count), count, emulator.url)) : []),
]);

/** The main process's V8 heap against its RSS: at its RSS peak, and the largest of each while Transcribe ran. */
function describeProbe(dir, mainPid, from, to) {
	const file = path.join(dir, `${mainPid}.jsonl`);
	if (!fs.existsSync(file)) return say(`  (no probe samples for pid ${mainPid}: ${fs.readdirSync(dir).join(', ')})`);
	const samples = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
	const during = samples.filter((s) => s.t >= from && s.t <= to);
	const peak = samples.reduce((a, s) => (s.rss > a.rss ? s : a));
	const max = (key, xs = during) => Math.max(...xs.map((s) => s[key]));
	const at = (s) => `rss ${mb(s.rss)}, heap total ${mb(s.heapTotal)} (used ${mb(s.heapUsed)}; old space ${mb(s.oldSize)}/${mb(s.oldUsed)} used), external ${mb(s.external)} (array buffers ${mb(s.arrayBuffers)}), outside the heap ${mb(s.rss - s.heapTotal)}`;
	say(`  main at its RSS peak (${peak.t <= to ? 'while Transcribe ran' : 'after Transcribe'}): ${at(peak)}`);
	say(`  main while Transcribe ran, max: rss ${mb(max('rss'))}, heap total ${mb(max('heapTotal'))}, heap used ${mb(max('heapUsed'))}, external ${mb(max('external'))}; heap used at its end ${mb(during.at(-1)?.heapUsed)}`);
}

/** Allocated bytes (sampled, collected objects included) by package and by function. */
function describeAllocations(file) {
	if (!fs.existsSync(file)) return say('  (no allocation profile written)');
	if (keepProfiles) fs.copyFileSync(file, path.join(keepProfiles, `alloc-${Date.now()}.heapprofile`));
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byPackage = new Map();
	const byFunction = new Map();
	let total = 0;
	const packageOf = (url) => {
		if (!url) return '(native/V8)';
		if (url.includes(packageDir)) return `this node: ${url.slice(url.indexOf(packageDir) + packageDir.length + 1)}`;
		const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
		return m ? m[1] : url.startsWith('node:') ? 'node core' : url;
	};
	const walk = (node) => {
		const f = node.callFrame;
		const pkg = packageOf(f.url);
		total += node.selfSize;
		byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.selfSize);
		const key = `${f.functionName || '(anonymous)'} ${pkg}:${f.lineNumber + 1}`;
		byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
		for (const child of node.children) walk(child);
	};
	walk(profile.head);
	// Inclusive attribution to this node: everything allocated below one of its frames (synchronous
	// stacks only: what n8n allocates after an await of the node's is not counted here).
	let underNode = 0;
	const inclusive = (node, inNode) => {
		const here = inNode || packageOf(node.callFrame.url).startsWith('this node');
		if (here) underNode += node.selfSize;
		for (const child of node.children) inclusive(child, here);
	};
	inclusive(profile.head, false);
	say(`  allocated (sampled, incl. collected) ${mb(total)} MB; below a frame of this node ${mb(underNode)} MB`);
	for (const [k, v] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 12)) say(`    ${mb(v).padStart(6)} MB  ${k}`);
	say('  top functions (self):');
	for (const [k, v] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) say(`    ${mb(v).padStart(6)} MB  ${k}`);
}

say(`P6 memory by process, ${simple ? 'Simplify on' : 'Simplify off'}; MB = MiB; load average at start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
say('variant | chats | Transcribe ms | main HWM | runner HWM | sum HWM | tree sampled peak during Transcribe | after');
const rows = [];
// --no-transcribe: only the HTTP Request reference.
if (argv.includes('--no-transcribe')) variants.length = 0;
for (let rep = 0; rep < REPS; rep++) {
	for (const variant of variants) {
		for (const count of COUNTS) {
			await emulator.reset();
			await emulator.addFault({ delayMs: 50, times: -1 });
			const probeDir = fs.mkdtempSync(path.join(tmp, 'probe-'));
			const env = { ...variant.env };
			if (probe) {
				env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim();
				env.P6_MEMORY_DIR = probeDir;
			}
			const allocFile = path.join(probeDir, 'alloc.heapprofile');
			if (alloc) {
				env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim();
				env.P6_ALLOC_PROFILE = allocFile;
			}
			let timer;
			let signalled = false;
			const { run, memory } = await n8n.execute(idOf(count), {
				sampleMemory: true,
				timeoutMs: 15 * 60_000,
				extraEnv: env,
				// With --alloc: stop the allocation profile once 98 % of the transcripts are read.
				onSpawn: (child) => {
					if (!alloc) return;
					timer = setInterval(async () => {
						const stats = await emulator.stats().catch(() => undefined);
						const read = Object.entries(stats?.byRoute ?? {})
							.filter(([route]) => route.includes('transcripts/punctuated'))
							.reduce((a, [, n]) => a + n, 0);
						if (!signalled && read >= 0.98 * count) {
							signalled = true;
							clearInterval(timer);
							process.kill(child.pid, 'SIGUSR2');
						}
					}, 200);
				},
			});
			clearInterval(timer);
			const t = nodeRun(run, 'Transcribe');
			const end = t.startTime + t.executionTime;
			const during = memory.timeline.filter(([x]) => x >= t.startTime && x <= end).map(([, r]) => r);
			const after = memory.timeline.filter(([x]) => x > end).map(([, r]) => r);
			// The main process is the root (first seen); the others are its task runner(s).
			const [main, ...others] = memory.processes;
			const row = {
				variant: variant.name,
				count,
				ms: t.executionTime,
				main: main?.hwm,
				runners: others.reduce((a, p) => a + p.hwm, 0),
				sum: memory.peakHwm,
				during: during.length ? Math.max(...during) : undefined,
				after: after.length ? Math.max(...after) : undefined,
			};
			rows.push(row);
			if (probe) describeProbe(probeDir, main?.pid, t.startTime, end);
			if (alloc) describeAllocations(allocFile);
			say(`${row.variant} | ${count} | ${row.ms} | ${mb(row.main)} | ${mb(row.runners)} (${others.length}) | ${mb(row.sum)} | ${mb(row.during)} | ${mb(row.after)}`);
		}
	}
}
if (httpReference) {
	say('HTTP Request reference: 5 HTTP Request nodes in a row, each POSTing every item\'s declare (n8n defaults: all items at once)');
	say('chats | 5 nodes ms | main HWM | runner HWM | sum HWM | tree sampled peak during the 5 nodes | after');
	for (let rep = 0; rep < REPS; rep++) {
		for (const count of COUNTS) {
			await emulator.reset();
			await emulator.addFault({ delayMs: 50, times: -1 });
			const { run, memory } = await n8n.execute(refId(count), { sampleMemory: true, timeoutMs: 15 * 60_000 });
			const first = nodeRun(run, 'Request 1');
			const last = nodeRun(run, 'Request 5');
			const end = last.startTime + last.executionTime;
			const during = memory.timeline.filter(([x]) => x >= first.startTime && x <= end).map(([, r]) => r);
			const after = memory.timeline.filter(([x]) => x > end).map(([, r]) => r);
			const [main, ...others] = memory.processes;
			const row = { variant: 'http-reference', count, ms: end - first.startTime, main: main?.hwm, runners: others.reduce((a, p) => a + p.hwm, 0), sum: memory.peakHwm, during: during.length ? Math.max(...during) : undefined, after: after.length ? Math.max(...after) : undefined };
			if (last.items.length !== count) throw new Error(`HTTP reference ${count}: ${last.items.length} items`);
			rows.push(row);
			say(`${count} | ${row.ms} | ${mb(row.main)} | ${mb(row.runners)} | ${mb(row.sum)} | ${mb(row.during)} | ${mb(row.after)}`);
		}
	}
	variants.push({ name: 'http-reference' });
}
say();
for (const variant of variants) {
	const of = (count, key) => rows.filter((r) => r.variant === variant.name && r.count === count).map((r) => r[key]);
	const lo = Math.min(...COUNTS);
	const hi = Math.max(...COUNTS);
	if (lo === hi) continue;
	const growth = (key) => Math.max(...of(hi, key)) - Math.max(...of(lo, key));
	say(`${variant.name}: ${lo} → ${hi} chats: main HWM ${mb(growth('main'))} MB, runner ${mb(growth('runners'))} MB, sum ${mb(growth('sum'))} MB, sampled during Transcribe ${mb(growth('during'))} MB`);
}
await n8n.close();
await emulator.stop();

#!/usr/bin/env node
// `npm run bench`: this node against n8n's HTTP Request node, in a REAL n8n 2.41.1, talking to the
// ElevateAI emulator. A benchmark, not a test: it prints a table, the ratios and the targets
// (it exits non-zero only when a run fails, or with --check when a target is missed).
//
//   P1  peak RSS of n8n's process tree (main process + task runner) uploading 50/200/500 MiB
//       (filesystem binary mode): this node, the HTTP Request node as users configure it, and
//       the HTTP Request node with Follow Redirects off (the streaming reference)
//   P2  upload throughput of the same runs
//   P3  wall time of 200 chat declares: this node vs the HTTP Request node
//   P4  status requests per interaction vs the ideal (processing time / poll interval + 1)
//   P5  Wait For Completion on 20 interactions vs on 1
//
// Options: --reps N (default 5)  --sizes 50,200,500 (MiB)  --only P1,P3,P5  --json FILE
//          --keep (keep the temp folder)  --check (exit 1 when a target is missed)
//          --package DIR (a built package root with package.json + dist/; default: this repo)
// Needs a built package (dist/): `npm run build` first (the npm script does it).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator } from './lib/emulator.mjs';
import { copyPublishedPackage } from '../scripts/package-copy.mjs';
import { createN8n, machine, N8N_VERSION, nodeRun } from './lib/n8n.mjs';
import { HAS_PROC_CHILDREN, onExit } from './lib/proc.mjs';
import { fmtMB, fmtRatio, median, min, table } from './lib/report.mjs';
import { writeRecording } from './lib/files.mjs';
import { credentials, declareWorkflow, UPLOAD_VARIANTS, uploadWorkflow, waitWorkflow } from './lib/workflows.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
	const opts = { reps: 5, sizes: [50, 200, 500], only: new Set(['P1', 'P2', 'P3', 'P4', 'P5']), keep: false, check: false, json: undefined };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].includes('=') ? argv[i].split(/=(.*)/s) : [argv[i], undefined];
		const value = () => inline ?? argv[++i];
		if (flag === '--reps') opts.reps = Math.max(1, Number(value()));
		else if (flag === '--sizes') opts.sizes = value().split(',').map(Number).filter((n) => n > 0);
		else if (flag === '--only') opts.only = new Set(value().toUpperCase().split(','));
		else if (flag === '--keep') opts.keep = true;
		else if (flag === '--check') opts.check = true;
		else if (flag === '--json') opts.json = path.resolve(value());
		else if (flag === '--package') opts.packageRoot = path.resolve(value());
		else throw new Error(`unknown option ${argv[i]}`);
	}
	// P2 comes from the P1 runs, P4 from the P5 runs.
	if (opts.only.has('P2')) opts.only.add('P1');
	if (opts.only.has('P4')) opts.only.add('P5');
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
const say = (line = '') => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`  ${line}\n`);
const t0 = Date.now();
const elapsed = () => `${Math.round((Date.now() - t0) / 1000)} s`;

/** Emulator timing for P4/P5: chat interactions process in 2 stages of STAGE_MS. */
const STAGE_MS = 2000;
const PROCESSING_MS = 2 * STAGE_MS;
const POLL_SECONDS = 1;
const DECLARES = 200;
const WAIT_COUNTS = [1, 20];
/** Emulated ElevateAI latency for the P3 latency rows (loopback answers in ~1 ms). */
const LATENCY_MS = 100;

// ---------------------------------------------------------------------------------------------
// Set-up

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-bench-'));
const filesDir = path.join(tmp, 'files');
fs.mkdirSync(filesDir);
onExit(() => {
	// The big recordings go in any case; the rest (n8n logs) only without --keep.
	fs.rmSync(filesDir, { recursive: true, force: true });
	fs.rmSync(path.join(tmp, 'n8n', 'binary-data'), { recursive: true, force: true });
	if (!opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
	else process.stderr.write(`bench: kept ${tmp}\n`);
});

const m = machine();
say(`ElevateAI node benchmark — n8n ${N8N_VERSION} (Node 24) on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB.toFixed(1)} GiB RAM, ${m.os}`);
say(`driver Node ${process.version}; repetitions: ${opts.reps}; temp: ${tmp}`);
if (!HAS_PROC_CHILDREN) say('warning: /proc/<pid>/task/<tid>/children is missing; only the n8n main process is measured');

const packageDir = await copyPublishedPackage(opts.packageRoot ?? REPO, path.join(tmp, 'package'));
const emulator = await startEmulator(REPO, { stageMs: STAGE_MS });
note(`emulator at ${emulator.url}`);
const n8n = await createN8n({ dir: path.join(tmp, 'n8n'), packageDir, filesDir, progress: note });

const results = { machine: { ...m, n8n: N8N_VERSION, driverNode: process.version }, reps: opts.reps, p1: [], p3: [], p5: [] };

// Workflows: all imported at once (each n8n CLI call boots n8n, ~4 s).
const workflows = [];
const uploadId = (variant, size) => `bu${variant.slice(0, 6)}${String(size).padStart(4, '0')}`.padEnd(16, 'x').slice(0, 16);
const recordings = new Map(opts.sizes.map((size) => [size, path.join(filesDir, `bench-${size}mib.wav`)]));
if (opts.only.has('P1')) {
	for (const size of opts.sizes) {
		for (const variant of UPLOAD_VARIANTS) workflows.push(uploadWorkflow(uploadId(variant, size), variant, emulator.url, recordings.get(size)));
	}
}
const P3_VARIANTS = [
	{ key: 'node', label: 'ElevateAI Declare, default concurrency (5)', variant: 'node', concurrency: undefined, id: 'bdeclNodeDefault' },
	{ key: 'node50', label: 'ElevateAI Declare, concurrency 50', variant: 'node', concurrency: 50, id: 'bdeclNodeConc050' },
	{ key: 'http', label: 'HTTP Request (all items at once)', variant: 'http', concurrency: undefined, id: 'bdeclHttpDefault' },
];
if (opts.only.has('P3')) {
	for (const v of P3_VARIANTS) workflows.push(declareWorkflow(v.id, v.variant, emulator.url, DECLARES, v.concurrency));
}
const waitId = (count) => `bwait${String(count).padStart(3, '0')}`.padEnd(16, 'x');
if (opts.only.has('P5')) for (const count of WAIT_COUNTS) workflows.push(waitWorkflow(waitId(count), count, POLL_SECONDS));

await n8n.importCredentials(credentials(emulator.url, emulator.token));
await n8n.importWorkflows(workflows);
note(`n8n ready, ${workflows.length} workflows imported (${elapsed()})`);

// ---------------------------------------------------------------------------------------------
// P1 + P2: big uploads

if (opts.only.has('P1')) {
	const hashes = new Map();
	for (const [size, file] of recordings) hashes.set(size, await writeRecording(file, size * MiB));
	note(`recordings written: ${opts.sizes.map((s) => `${s} MiB`).join(', ')} (${elapsed()})`);
	// One unmeasured run first: the first n8n start after the import reads n8n from disk.
	await emulator.reset();
	await n8n.execute(uploadId('node', Math.min(...opts.sizes)));
	n8n.clearBinaryData();
	for (let rep = 0; rep < opts.reps; rep++) {
		for (const size of opts.sizes) {
			// Rotate the variants' order each repetition so that none always runs first.
			const order = UPLOAD_VARIANTS.map((_, i) => UPLOAD_VARIANTS[(i + rep) % UPLOAD_VARIANTS.length]);
			for (const variant of order) {
				await emulator.reset();
				const { run, memory } = await n8n.execute(uploadId(variant, size), { sampleMemory: true });
				const upload = nodeRun(run, 'Upload');
				const stats = await emulator.stats();
				const fileBytes = fs.statSync(recordings.get(size)).size;
				// The emulator hashes what it receives: the whole file, byte for byte, exactly once.
				if (stats.uploads.length !== 1 || stats.uploads[0].size !== fileBytes || stats.uploads[0].sha256 !== hashes.get(size)) {
					throw new Error(`P1 ${variant} ${size} MiB: the emulator did not receive the file intact: ${JSON.stringify(stats.uploads)} ${JSON.stringify(stats.failedUploads)}`);
				}
				n8n.clearBinaryData();
				const row = {
					rep,
					size,
					variant,
					bytes: fileBytes,
					peakHwm: memory.peakHwm,
					peakSampled: memory.peakSampled,
					processes: memory.processes.length,
					uploadMs: upload.executionTime,
					mbPerS: fileBytes / MiB / (upload.executionTime / 1000),
				};
				results.p1.push(row);
				note(
					`P1 rep ${rep + 1}/${opts.reps} ${String(size).padStart(3)} MiB ${variant.padEnd(14)} peak ${fmtMB(row.peakHwm)} (sampled ${fmtMB(row.peakSampled)}, ${row.processes} processes) upload ${row.uploadMs} ms = ${row.mbPerS.toFixed(0)} MiB/s (${elapsed()})`,
				);
			}
		}
	}
	for (const file of recordings.values()) fs.rmSync(file, { force: true });
	note(`recordings removed (${elapsed()})`);
}

// ---------------------------------------------------------------------------------------------
// P3: 200 chat declares

async function runDeclares(latency) {
	for (let rep = 0; rep < opts.reps; rep++) {
		const order = P3_VARIANTS.map((_, i) => P3_VARIANTS[(i + rep) % P3_VARIANTS.length]);
		for (const v of order) {
			await emulator.reset();
			if (latency) await emulator.addFault({ method: 'POST', path: '^/interactions$', delayMs: latency, times: -1 });
			const { run } = await n8n.execute(v.id);
			const declare = nodeRun(run, 'Declare');
			const stats = await emulator.stats();
			// Every item declared once, outputs in input order with their pairedItem.
			const ids = declare.items.map((item) => item.json.interactionIdentifier);
			const inOrder = declare.items.every((item, i) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item === i);
			if (stats.declares !== DECLARES || declare.items.length !== DECLARES || new Set(ids).size !== DECLARES || !inOrder) {
				throw new Error(`P3 ${v.key}: expected ${DECLARES} declares in order, got ${stats.declares} declares, ${declare.items.length} items, in order: ${inOrder}`);
			}
			const row = { rep, latency, key: v.key, ms: declare.executionTime, maxConcurrent: stats.maxConcurrentRequests };
			results.p3.push(row);
			note(`P3 rep ${rep + 1}/${opts.reps} latency ${latency} ms ${v.key.padEnd(6)} ${row.ms} ms, ${row.maxConcurrent} requests at once (${elapsed()})`);
		}
	}
}

if (opts.only.has('P3')) {
	await runDeclares(0);
	await runDeclares(LATENCY_MS);
}

// ---------------------------------------------------------------------------------------------
// P4 + P5: waiting on interactions

if (opts.only.has('P5')) {
	for (let rep = 0; rep < opts.reps; rep++) {
		for (const count of rep % 2 === 0 ? WAIT_COUNTS : [...WAIT_COUNTS].reverse()) {
			await emulator.reset();
			const { run } = await n8n.execute(waitId(count));
			const declare = nodeRun(run, 'Declare');
			const wait = nodeRun(run, 'Wait');
			const stats = await emulator.stats();
			const ids = declare.items.map((item) => item.json.interactionIdentifier);
			const done = wait.items.filter((item) => item.json.status === 'processed').length;
			if (done !== count) throw new Error(`P5 ${count}: ${done} of ${count} interactions processed`);
			const polls = ids.map((id) => stats.statusRequests[id]?.length ?? 0);
			const row = { rep, count, waitMs: wait.executionTime, declareMs: declare.executionTime, polls };
			results.p5.push(row);
			note(`P5 rep ${rep + 1}/${opts.reps} ${String(count).padStart(2)} interactions: wait ${row.waitMs} ms (declare ${row.declareMs} ms), status requests ${Math.min(...polls)}–${Math.max(...polls)} (${elapsed()})`);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Report
//
// Memory is stable from run to run: its verdicts use medians. Times are not on a shared 2-core
// machine (other processes, disk write-back): their verdicts use the fastest repetition of each
// variant (the least disturbed), and the medians are printed next to them.

const verdicts = [];
const verdict = (name, ok, text) => verdicts.push({ name, ok, text });
const pick = (rows, pred, key) => rows.filter(pred).map((x) => x[key]);
const minMed = (xs, f = (v) => String(Math.round(v))) => `${f(min(xs))} / ${f(median(xs))}`;

say();
say(`Results: n8n ${N8N_VERSION}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB RAM; ${opts.reps} repetitions, min / median`);

if (results.p1.length) {
	const labels = { node: 'ElevateAI Upload', http: 'HTTP Request (defaults)', httpNoRedirect: 'HTTP Request, Follow Redirects off' };
	const rows = [];
	for (const variant of UPLOAD_VARIANTS) {
		for (const size of opts.sizes) {
			const is = (x) => x.variant === variant && x.size === size;
			rows.push([
				labels[variant],
				`${size} MiB`,
				minMed(pick(results.p1, is, 'peakHwm'), fmtMB),
				minMed(pick(results.p1, is, 'peakSampled'), fmtMB),
				minMed(pick(results.p1, is, 'uploadMs')),
				minMed(pick(results.p1, is, 'mbPerS').map((v) => -v), (v) => String(Math.round(-v))),
			]);
		}
	}
	say();
	say('P1/P2  One recording: Read/Write Files from Disk (filesystem binary) → upload node → emulator');
	say('       peak RSS = n8n main process + task runner (MB = MiB); throughput = file / upload node time');
	say(table(['Upload node', 'File', 'Peak RSS MB', 'Sampled peak MB', 'Upload ms', 'MiB/s max / med'], rows));

	const med = (variant, size, key) => median(pick(results.p1, (x) => x.variant === variant && x.size === size, key));
	const best = (variant, size, key) => min(pick(results.p1, (x) => x.variant === variant && x.size === size, key));
	const lo = Math.min(...opts.sizes);
	const hi = Math.max(...opts.sizes);
	say();
	if (lo !== hi) {
		for (const variant of UPLOAD_VARIANTS) {
			say(`  peak growth ${lo} → ${hi} MiB (medians), ${labels[variant]}: ${fmtMB(med(variant, hi, 'peakHwm') - med(variant, lo, 'peakHwm'), true)} MB`);
		}
		const growth = med('node', hi, 'peakHwm') - med('node', lo, 'peakHwm');
		verdict('P1 growth', growth < 64 * MiB, `ElevateAI Upload's peak grows ${fmtMB(growth, true)} MB from ${lo} to ${hi} MiB (target < 64 MB)`);
	}
	const vsRef = med('node', hi, 'peakHwm') / med('httpNoRedirect', hi, 'peakHwm');
	verdict('P1 peak', vsRef <= 1.1, `peak at ${hi} MiB is ${fmtRatio(vsRef)} the streaming reference's, ${fmtRatio(med('node', hi, 'peakHwm') / med('http', hi, 'peakHwm'))} the HTTP Request node's (target ≤ 1.10× the reference)`);

	// P2: all sizes together, total MiB over total upload time.
	const total = opts.sizes.reduce((a, x) => a + x, 0);
	const rate = (variant, stat) => total / opts.sizes.reduce((a, size) => a + stat(variant, size, 'uploadMs') / 1000, 0);
	say(`  throughput, all sizes together (MiB/s, fastest / median): ElevateAI ${rate('node', best).toFixed(0)} / ${rate('node', med).toFixed(0)}, HTTP Request ${rate('http', best).toFixed(0)} / ${rate('http', med).toFixed(0)}, Follow Redirects off ${rate('httpNoRedirect', best).toFixed(0)} / ${rate('httpNoRedirect', med).toFixed(0)}`);
	const perSize = (other) =>
		opts.sizes.map((size) => `${size} MiB ${fmtRatio(best(other, size, 'uploadMs') / best('node', size, 'uploadMs'))} / ${fmtRatio(med(other, size, 'uploadMs') / med('node', size, 'uploadMs'))}`).join(', ');
	say(`  ElevateAI throughput ÷ HTTP Request's, per size (fastest / median): ${perSize('http')}`);
	say(`  ElevateAI throughput ÷ Follow Redirects off, per size (fastest / median): ${perSize('httpNoRedirect')}`);
	const p2 = rate('node', best) / rate('http', best);
	verdict(
		'P2 throughput',
		p2 >= 0.9,
		`${fmtRatio(p2)} the HTTP Request node's (medians: ${fmtRatio(rate('node', med) / rate('http', med))}); ${fmtRatio(rate('node', best) / rate('httpNoRedirect', best))} with Follow Redirects off (target ≥ 0.90×)`,
	);
}

if (results.p3.length) {
	const rows = [];
	for (const latency of [0, LATENCY_MS]) {
		for (const v of P3_VARIANTS) {
			const is = (x) => x.key === v.key && x.latency === latency;
			if (!results.p3.some(is)) continue;
			rows.push([latency ? `+${latency} ms per declare` : 'loopback', v.label, minMed(pick(results.p3, is, 'ms')), String(Math.max(...pick(results.p3, is, 'maxConcurrent')))]);
		}
	}
	say();
	say(`P3  ${DECLARES} chat declares in one execution (Code node → declare node; node execution time)`);
	say(table(['Emulator', 'Declare node', 'ms', 'Max requests at once'], rows));
	const best = (key, latency) => min(pick(results.p3, (x) => x.key === key && x.latency === latency, 'ms'));
	const med = (key, latency) => median(pick(results.p3, (x) => x.key === key && x.latency === latency, 'ms'));
	const ratio = (key, latency) => `${fmtRatio(best(key, latency) / best('http', latency))} / ${fmtRatio(med(key, latency) / med('http', latency))}`;
	say(`  ÷ HTTP Request (fastest / median): loopback: default ${ratio('node', 0)}, concurrency 50 ${ratio('node50', 0)}; +${LATENCY_MS} ms: default ${ratio('node', LATENCY_MS)}, concurrency 50 ${ratio('node50', LATENCY_MS)}`);
	const r0 = best('node', 0) / best('http', 0);
	verdict('P3 declares', r0 <= 1.1, `ElevateAI Declare (default concurrency) takes ${fmtRatio(r0)} the HTTP Request node's time (medians: ${fmtRatio(med('node', 0) / med('http', 0))}) (target ≤ 1.10×)`);
}

if (results.p5.length) {
	const ideal = PROCESSING_MS / (POLL_SECONDS * 1000) + 1;
	const rows = WAIT_COUNTS.map((count) => {
		const is = (x) => x.count === count;
		const polls = results.p5.filter(is).flatMap((x) => x.polls);
		return [String(count), minMed(pick(results.p5, is, 'waitMs')), minMed(pick(results.p5, is, 'declareMs')), `${Math.min(...polls)} / ${median(polls)} / ${Math.max(...polls)}`, String(ideal)];
	});
	say();
	say(`P4/P5  Code node → ElevateAI Declare (chat) → Wait For Completion; processing ${PROCESSING_MS / 1000} s, poll interval ${POLL_SECONDS} s`);
	say(table(['Interactions', 'Wait ms', 'Declare ms', 'Status requests each (min / med / max)', 'Ideal'], rows));
	const maxPolls = Math.max(...results.p5.flatMap((x) => x.polls));
	verdict('P4 polling', maxPolls <= ideal + 1, `at most ${maxPolls} status requests per interaction; ideal ${ideal} (target ≤ ${ideal + 1})`);
	const waits = (count) => pick(results.p5, (x) => x.count === count, 'waitMs');
	const p5 = min(waits(20)) / min(waits(1));
	verdict('P5 waiting together', p5 <= 1.5, `waiting on 20 takes ${fmtRatio(p5)} the time of waiting on 1 (medians: ${fmtRatio(median(waits(20)) / median(waits(1)))}) (target ≤ 1.50×)`);
}

say();
say('Targets');
for (const v of verdicts) say(`  ${v.ok ? 'met   ' : 'MISSED'}  ${v.name}: ${v.text}`);
say(`\nDone in ${elapsed()}.`);

results.verdicts = verdicts;
if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
await emulator.stop();
process.exitCode = opts.check && verdicts.some((v) => !v.ok) ? 1 : 0;

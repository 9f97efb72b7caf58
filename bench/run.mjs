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
//   P3s P3 against a zero-latency loopback sink (bench/lib/sink.mjs) instead of the emulator, so the
//       nodes' own per-item cost is not hidden behind the emulator's (profile: bench/profile.mjs)
//   P6  Transcribe of 1,000 chats in one execution (emulator +50 ms per request, 20 s processing):
//       wall time, status requests per interaction, generative AI calls in flight, peak RSS
//   P7  route mode at scale: 200 webhook executions of examples/queue-mode-parked-wait.json parked
//       at once on ONE worker of concurrency 2 (queue mode: Postgres + Redis), all complete
//
// Options: --reps N (default 5)  --sizes 50,200,500 (MiB)  --only P1,P3,P5,P6,P7  --json FILE
//          --p6-counts 1,100,1000  --p7-calls 200
//          --p6-node-options "--max-old-space-size=300" (NODE_OPTIONS for n8n in the P6 runs)
//          --p6-concurrency 5,10,20 (also run the biggest P6 count at these Concurrency settings)
//          --keep (keep the temp folder)  --check (exit 1 when a target is missed)
//          --package DIR (a built package root with package.json + dist/; default: this repo)
// Needs a built package (dist/): `npm run build` first (the npm script does it).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startEmulator } from './lib/emulator.mjs';
import { runParkedWaits } from './lib/parked.mjs';
import { startSink } from './lib/sink.mjs';
import { copyPublishedPackage } from '../scripts/package-copy.mjs';
import { findPostgres } from '../scripts/postgres.mjs';
import { createN8n, machine, N8N_VERSION, nodeRun } from './lib/n8n.mjs';
import { HAS_PROC_CHILDREN, onExit } from './lib/proc.mjs';
import { fmtMB, fmtRatio, median, min, table } from './lib/report.mjs';
import { writeRecording } from './lib/files.mjs';
import {
	credentials,
	declareWorkflow,
	EAI_CREDENTIAL,
	transcribeChatWorkflow,
	UPLOAD_VARIANTS,
	uploadWorkflow,
	waitWorkflow,
} from './lib/workflows.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
	const opts = {
		reps: 5,
		sizes: [50, 200, 500],
		only: new Set(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7']),
		keep: false,
		check: false,
		json: undefined,
		p6Counts: [1, 100, 1000],
		p6Concurrency: [],
		p7Calls: 200,
	};
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
		else if (flag === '--p6-counts') opts.p6Counts = value().split(',').map(Number).filter((n) => n > 0);
		else if (flag === '--p6-node-options') opts.p6NodeOptions = value();
		else if (flag === '--p6-concurrency') opts.p6Concurrency = value().split(',').map(Number).filter((n) => n > 0);
		else if (flag === '--p7-calls') opts.p7Calls = Math.max(1, Number(value()));
		else throw new Error(`unknown option ${argv[i]}`);
	}
	// P2 comes from the P1 runs, P4 from the P5 runs.
	if (opts.only.has('P2')) opts.only.add('P1');
	if (opts.only.has('P4')) opts.only.add('P5');
	return opts;
}

const opts = parseArgs(process.argv.slice(2));
// P7 needs PostgreSQL and Redis: without them it is skipped, visibly, instead of failing the whole
// bench after the other rows have run.
const p7Missing = opts.only.has('P7')
	? [!findPostgres() && 'PostgreSQL', !['/usr/bin/redis-server', '/usr/local/bin/redis-server'].some((p) => fs.existsSync(p)) && 'redis-server'].filter(Boolean)
	: [];
if (p7Missing.length) opts.only.delete('P7');
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
/** P6: per-request latency and processing time (chat: 2 stages of half of it). */
const P6_LATENCY_MS = 50;
const P6_PROCESSING_MS = 20_000;
const P6_POLL_SECONDS = 5; // Transcribe's default for chat
/** P7: processing time and the Wait node's time (just over n8n's 65 s parking threshold). */
const P7_PROCESSING_MS = 60_000;
const P7_WAIT_SECONDS = 66;

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
const sink = opts.only.has('P3') ? await startSink() : undefined;
const emulatorP6 = opts.only.has('P6') ? await startEmulator(REPO, { stageMs: P6_PROCESSING_MS / 2 }) : undefined;
const P6_CREDENTIAL = { id: 'benchEaiCredP601', name: 'ElevateAI (bench emulator, P6)' };
const SINK_CREDENTIAL = { id: 'benchEaiCredSink', name: 'ElevateAI (bench zero-latency sink)' };
const n8n = await createN8n({ dir: path.join(tmp, 'n8n'), packageDir, filesDir, progress: note });

const results = { machine: { ...m, n8n: N8N_VERSION, driverNode: process.version }, reps: opts.reps, p1: [], p3: [], p5: [], p6: [], p7: undefined };

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
const sinkId = (v) => v.id.replace(/^bdecl/, 'bsink');
if (opts.only.has('P3')) {
	for (const v of P3_VARIANTS) {
		workflows.push(declareWorkflow(v.id, v.variant, emulator.url, DECLARES, v.concurrency));
		const wf = declareWorkflow(sinkId(v), v.variant, sink.url, DECLARES, v.concurrency);
		withCredential(wf, SINK_CREDENTIAL);
		workflows.push(wf);
	}
}
const p6Id = (count, simple, concurrency) => `bp6${simple ? 's' : 'r'}${String(count).padStart(5, '0')}c${concurrency ?? 'd'}`.padEnd(16, 'x');
if (opts.only.has('P6')) {
	for (const count of opts.p6Counts) {
		for (const simple of [true, false]) {
			if (!simple && count === 1) continue;
			const wf = transcribeChatWorkflow(p6Id(count, simple), count, { simple });
			withCredential(wf, P6_CREDENTIAL);
			workflows.push(wf);
		}
	}
	for (const concurrency of opts.p6Concurrency) {
		workflows.push(withCredential(transcribeChatWorkflow(p6Id(Math.max(...opts.p6Counts), true, concurrency), Math.max(...opts.p6Counts), { concurrency }), P6_CREDENTIAL));
	}
}

/** Points a bench workflow's ElevateAI nodes at another ElevateAI credential (sink, P6 emulator). */
function withCredential(workflow, credential) {
	for (const node of workflow.nodes) if (node.credentials?.elevateAiApi) node.credentials.elevateAiApi = credential;
	return workflow;
}
const waitId = (count) => `bwait${String(count).padStart(3, '0')}`.padEnd(16, 'x');
if (opts.only.has('P5')) for (const count of WAIT_COUNTS) workflows.push(waitWorkflow(waitId(count), count, POLL_SECONDS));

const creds = credentials(emulator.url, emulator.token);
if (sink) {
	creds.push({ ...SINK_CREDENTIAL, type: 'elevateAiApi', data: { apiToken: emulator.token, baseUrl: sink.url } });
	// The HTTP Request variant against the sink uses the same header credential (the sink ignores the token).
}
if (emulatorP6) creds.push({ ...P6_CREDENTIAL, type: 'elevateAiApi', data: { apiToken: emulatorP6.token, baseUrl: emulatorP6.url } });
await n8n.importCredentials(creds);
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
	const toSink = latency === 'sink';
	for (let rep = 0; rep < opts.reps; rep++) {
		const order = P3_VARIANTS.map((_, i) => P3_VARIANTS[(i + rep) % P3_VARIANTS.length]);
		for (const v of order) {
			if (toSink) await sink.reset();
			else await emulator.reset();
			if (latency && !toSink) await emulator.addFault({ method: 'POST', path: '^/interactions$', delayMs: latency, times: -1 });
			const { run } = await n8n.execute(toSink ? sinkId(v) : v.id);
			const declare = nodeRun(run, 'Declare');
			const stats = toSink ? await sink.stats() : await emulator.stats();
			// Every item declared once, outputs in input order with their pairedItem.
			const ids = declare.items.map((item) => item.json.interactionIdentifier);
			const inOrder = declare.items.every((item, i) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item === i);
			if (stats.declares !== DECLARES || declare.items.length !== DECLARES || new Set(ids).size !== DECLARES || !inOrder) {
				throw new Error(`P3 ${v.key}: expected ${DECLARES} declares in order, got ${stats.declares} declares, ${declare.items.length} items, in order: ${inOrder}`);
			}
			const row = { rep, latency, key: v.key, ms: declare.executionTime, maxConcurrent: toSink ? stats.maxConnections : stats.maxConcurrentRequests };
			results.p3.push(row);
			note(`P3 rep ${rep + 1}/${opts.reps} ${toSink ? 'sink' : `latency ${latency} ms`} ${v.key.padEnd(6)} ${row.ms} ms, ${row.maxConcurrent} ${toSink ? 'connections' : 'requests'} at once (${elapsed()})`);
		}
	}
}

if (opts.only.has('P3')) {
	await runDeclares('sink');
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
// P6: Transcribe of 1,000 chats in one execution

/** The most requests of `pred` in flight at once, from the emulator's request log (arrival → answer). */
function maxInFlight(requests, pred) {
	const edges = [];
	for (const r of requests.filter(pred)) {
		const start = Date.parse(r.startedAt);
		edges.push([start, 1], [start + (r.durationMs ?? 0), -1]);
	}
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let max = 0;
	for (const [, d] of edges) max = Math.max(max, (now += d));
	return max;
}

if (opts.only.has('P6')) {
	const p6Runs = [
		...opts.p6Counts.flatMap((count) => (count === 1 ? [[count, true]] : [[count, true], [count, false]])),
		...opts.p6Concurrency.map((concurrency) => [Math.max(...opts.p6Counts), true, concurrency]),
	];
	for (let rep = 0; rep < Math.min(opts.reps, 2); rep++) {
		for (const [count, simple, concurrency] of p6Runs) {
			{
				await emulatorP6.reset();
				await emulatorP6.addFault({ delayMs: P6_LATENCY_MS, times: -1 });
				const { run, memory, stdoutBytes } = await n8n.execute(p6Id(count, simple, concurrency), {
					sampleMemory: true,
					timeoutMs: 15 * 60_000,
					extraEnv: opts.p6NodeOptions ? { NODE_OPTIONS: opts.p6NodeOptions } : undefined,
				});
				const transcribe = nodeRun(run, 'Transcribe');
				// The peak while Transcribe ran, apart from what n8n does after it (storing and printing the run).
				const transcribeEnd = transcribe.startTime + transcribe.executionTime;
				const during = memory.timeline.filter(([t]) => t >= transcribe.startTime && t <= transcribeEnd).map(([, rss]) => rss);
				const after = memory.timeline.filter(([t]) => t > transcribeEnd).map(([, rss]) => rss);
				const stats = await emulatorP6.stats();
				const requests = await emulatorP6.requests();
				const texts = transcribe.items.filter((item) => typeof item.json.text === 'string' && item.json.text.length > 0).length;
				const summaries = transcribe.items.filter((item) => item.json.summary).length;
				if (stats.declares !== count || transcribe.items.length !== count || texts !== count || summaries !== count) {
					throw new Error(`P6 ${count}: ${stats.declares} declares, ${transcribe.items.length} items, ${texts} with text, ${summaries} with a summary`);
				}
				const declares = requests.filter((r) => r.route === 'POST /interactions');
				const declareMs = Math.max(...declares.map((r) => Date.parse(r.startedAt) + r.durationMs)) - Math.min(...declares.map((r) => Date.parse(r.startedAt)));
				const polls = Object.values(stats.statusRequests).map((times) => times.length);
				const row = {
					rep,
					count,
					simple,
					concurrency,
					ms: transcribe.executionTime,
					declareMs,
					pollsMax: Math.max(...polls),
					pollsMedian: median(polls),
					genAiMax: maxInFlight(requests, (r) => r.route.includes('/gen-ai/')),
					genAiRejected: stats.genAi.rejected,
					peakHwm: memory.peakHwm,
					peakDuringTranscribe: during.length ? Math.max(...during) : undefined,
					peakAfterTranscribe: after.length ? Math.max(...after) : undefined,
					printedMB: Math.round((stdoutBytes / MiB) * 10) / 10,
				};
				results.p6.push(row);
				note(
					`P6 rep ${rep + 1} ${String(count).padStart(4)} chats ${simple ? 'simple' : 'raw   '}${concurrency ? ` concurrency ${concurrency}` : ''} ${row.ms} ms (declares ${row.declareMs} ms), status requests max ${row.pollsMax} / median ${row.pollsMedian}, gen-AI ≤ ${row.genAiMax} at once (${row.genAiRejected} rejected), peak ${fmtMB(row.peakHwm)} MB (sampled: ${row.peakDuringTranscribe ? fmtMB(row.peakDuringTranscribe) : '?'} MB while Transcribe ran, ${row.peakAfterTranscribe ? fmtMB(row.peakAfterTranscribe) : '?'} MB after it), printed run ${row.printedMB} MB (${elapsed()})`,
				);
			}
		}
	}
}

// ---------------------------------------------------------------------------------------------
// P7: route mode at scale (queue mode, one worker of concurrency 2)

if (opts.only.has('P7')) {
	results.p7 = await runParkedWaits({
		calls: opts.p7Calls,
		processingMs: P7_PROCESSING_MS,
		waitSeconds: P7_WAIT_SECONDS,
		workerConcurrency: 2,
		dir: path.join(tmp, 'p7'),
		progress: note,
	});
	note(`P7 ${JSON.stringify(results.p7)} (${elapsed()})`);
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
	const latencyLabel = (latency) => (latency === 'sink' ? 'zero-latency sink' : latency ? `emulator +${latency} ms per declare` : 'emulator, loopback');
	for (const latency of ['sink', 0, LATENCY_MS]) {
		for (const v of P3_VARIANTS) {
			const is = (x) => x.key === v.key && x.latency === latency;
			if (!results.p3.some(is)) continue;
			const ms = pick(results.p3, is, 'ms');
			rows.push([latencyLabel(latency), v.label, minMed(ms), (min(ms) / DECLARES).toFixed(2), String(Math.max(...pick(results.p3, is, 'maxConcurrent')))]);
		}
	}
	say();
	say(`P3  ${DECLARES} chat declares in one execution (Code node → declare node; node execution time)`);
	say('    at once = requests in flight (emulator) / connections open (sink)');
	say(table(['Server', 'Declare node', 'ms', 'ms per item', 'Max at once'], rows));
	const best = (key, latency) => min(pick(results.p3, (x) => x.key === key && x.latency === latency, 'ms'));
	const med = (key, latency) => median(pick(results.p3, (x) => x.key === key && x.latency === latency, 'ms'));
	const ratio = (key, latency) => `${fmtRatio(best(key, latency) / best('http', latency))} / ${fmtRatio(med(key, latency) / med('http', latency))}`;
	say(`  ÷ HTTP Request (fastest / median): sink: default ${ratio('node', 'sink')}, concurrency 50 ${ratio('node50', 'sink')}; emulator: default ${ratio('node', 0)}, concurrency 50 ${ratio('node50', 0)}; +${LATENCY_MS} ms: default ${ratio('node', LATENCY_MS)}, concurrency 50 ${ratio('node50', LATENCY_MS)}`);
	const r0 = best('node', 0) / best('http', 0);
	verdict('P3 declares (emulator)', r0 <= 1.1, `ElevateAI Declare (default concurrency) takes ${fmtRatio(r0)} the HTTP Request node's time (medians: ${fmtRatio(med('node', 0) / med('http', 0))}) (target ≤ 1.10×)`);
	// The HTTP Request node sends every item at once; concurrency 50 (the node's maximum) is the
	// nearest the ElevateAI node comes to that. At zero latency both are CPU-bound, so this compares
	// their per-item cost.
	const rs = best('node50', 'sink') / best('http', 'sink');
	verdict(
		'P3 per-item cost (sink)',
		rs <= 1.1,
		`against the zero-latency sink, ElevateAI Declare at concurrency 50 takes ${fmtRatio(rs)} the HTTP Request node's time (${(best('node50', 'sink') / DECLARES).toFixed(2)} vs ${(best('http', 'sink') / DECLARES).toFixed(2)} ms per item; default concurrency: ${fmtRatio(best('node', 'sink') / best('http', 'sink'))}) (target ≤ 1.10×)`,
	);
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

if (results.p6.length) {
	const rows = [];
	for (const [count, simple, concurrency] of [
		...opts.p6Counts.flatMap((c) => [[c, true], [c, false]]),
		...opts.p6Concurrency.map((c) => [Math.max(...opts.p6Counts), true, c]),
	]) {
		{
			const is = (x) => x.count === count && x.simple === simple && x.concurrency === concurrency;
			if (!results.p6.some(is)) continue;
			rows.push([
				String(count),
				concurrency ? String(concurrency) : 'default',
				simple ? 'on' : 'off',
				minMed(pick(results.p6, is, 'ms')),
				minMed(pick(results.p6, is, 'declareMs')),
				String(Math.max(...pick(results.p6, is, 'pollsMax'))),
				String(Math.max(...pick(results.p6, is, 'genAiMax'))),
				minMed(pick(results.p6, is, 'peakHwm'), fmtMB),
				minMed(pick(results.p6, is, 'peakDuringTranscribe').filter((v) => v !== undefined), fmtMB),
			]);
		}
	}
	say();
	say(`P6  Code node → ElevateAI Transcribe (chat, with summary) in one execution; emulator +${P6_LATENCY_MS} ms per request, ${P6_PROCESSING_MS / 1000} s processing, poll ${P6_POLL_SECONDS} s`);
	say(table(['Chats', 'Concurrency', 'Simplify', 'Transcribe ms', 'Declares ms', 'Max status requests', 'Max gen-AI at once', 'Peak RSS MB', 'Sampled peak while Transcribe ran MB'], rows));
	say('    peak RSS = each n8n process\'s own kernel peak (VmHWM), summed: it includes n8n storing and printing the run after Transcribe');
	const p6Default = results.p6.filter((x) => x.concurrency === undefined);
	const counts = [...new Set(p6Default.map((x) => x.count))];
	const big = Math.max(...counts);
	const one = Math.min(...counts);
	if (big > one) {
		const t1 = min(pick(p6Default, (x) => x.count === one, 'ms'));
		const tN = min(pick(p6Default, (x) => x.count === big && x.simple, 'ms'));
		const declareN = min(pick(p6Default, (x) => x.count === big && x.simple, 'declareMs'));
		const limit = 1.5 * t1 + declareN;
		verdict('P6 wall', tN <= limit, `${big} chats take ${(tN / 1000).toFixed(1)} s; one takes ${(t1 / 1000).toFixed(1)} s, declaring ${big} takes ${(declareN / 1000).toFixed(1)} s (target ≤ 1.5 × ${(t1 / 1000).toFixed(1)} + ${(declareN / 1000).toFixed(1)} = ${(limit / 1000).toFixed(1)} s)`);
	}
	const ideal = P6_PROCESSING_MS / (P6_POLL_SECONDS * 1000) + 1;
	const maxPolls = Math.max(...results.p6.map((x) => x.pollsMax));
	verdict('P6 polling', maxPolls <= ideal + 1, `at most ${maxPolls} status requests per interaction; ideal ${ideal} (target ≤ ${ideal + 1})`);
	const genAi = Math.max(...results.p6.map((x) => x.genAiMax));
	verdict('P6 generative AI', genAi <= 10, `at most ${genAi} generative AI requests in flight, ${Math.max(...results.p6.map((x) => x.genAiRejected))} rejected (target ≤ 10)`);
	const mid = counts.filter((c) => c < big && c > one);
	if (mid.length) {
		const from = Math.max(...mid);
		const grow = (simple) => median(pick(p6Default, (x) => x.count === big && x.simple === simple, 'peakHwm')) - median(pick(p6Default, (x) => x.count === from && x.simple === simple, 'peakHwm'));
		const growDuring = (simple) =>
			median(pick(p6Default, (x) => x.count === big && x.simple === simple, 'peakDuringTranscribe')) -
			median(pick(p6Default, (x) => x.count === from && x.simple === simple, 'peakDuringTranscribe'));
		const raw = p6Default.some((x) => !x.simple) ? `; Simplify off: ${fmtMB(grow(false), true)} MB (${fmtMB(growDuring(false), true)} MB while Transcribe ran)` : '';
		verdict(
			'P6 memory',
			grow(true) <= 150 * MiB,
			`peak RSS grows ${fmtMB(grow(true), true)} MB from ${from} to ${big} chats with Simplify on (the peak sampled while Transcribe ran: ${fmtMB(growDuring(true), true)} MB)${raw} (target ≤ +150 MB; what it is made of: bench/p6-memory.mjs, docs/performance.md)`,
		);
	}
}

if (results.p7) {
	const p = results.p7;
	const sec = (ms) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(1));
	say();
	say(`P7  examples/queue-mode-parked-wait.json in queue mode (Postgres + Redis, main + ONE worker of concurrency 2): ${p.calls} webhook calls, processing ${P7_PROCESSING_MS / 1000} s, Wait ${P7_WAIT_SECONDS} s`);
	say('    per execution = webhook to CRM update (n8n createdAt → stoppedAt); all = first call to last completion');
	say(table(
		['Calls', 'Most parked at once', 'Per execution s (median / max)', 'All s', 'Declares', 'CRM updates', 'Status checks each (max)'],
		[[String(p.calls), String(p.maxWaiting), `${sec(p.executionMsMedian)} / ${sec(p.executionMsMax)}`, sec(p.wallMs), String(p.declares), String(p.crmUpdates), String(p.maxStatusChecks)]],
	));
	const ideal = P7_PROCESSING_MS + P7_WAIT_SECONDS * 1000;
	const ok = p.completed === p.calls && p.declares === p.calls && p.maxWaiting > 2 && p.maxStatusChecks <= 2 && p.executionMsMax <= 1.2 * ideal;
	verdict(
		'P7 parked waits',
		ok,
		`${p.completed}/${p.calls} completed, ${p.declares} declares, up to ${p.maxWaiting} parked at once on 2 worker slots; each execution ${sec(p.executionMsMedian)} s median, ${sec(p.executionMsMax)} s max, with ${p.maxStatusChecks} status checks at most (one Wait); all ${p.calls} in ${sec(p.wallMs)} s (target: all complete, each within 1.2 × (processing + one Wait) = ${(1.2 * ideal / 1000).toFixed(0)} s)`,
	);
}

if (p7Missing.length) {
	verdicts.push({ name: 'P7 parked waits', ok: true, skipped: true, text: `not run: ${p7Missing.join(' and ')} missing (apt-get install -y postgresql redis-server)` });
}

say();
say('Targets');
for (const v of verdicts) say(`  ${v.skipped ? 'SKIPPED' : v.ok ? 'met   ' : 'MISSED'}  ${v.name}: ${v.text}`);
say(`\nDone in ${elapsed()}.`);

results.verdicts = verdicts;
if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify(results, null, 2)}\n`);
await n8n.close();
await emulator.stop();
await emulatorP6?.stop();
await sink?.stop();
process.exitCode = opts.check && verdicts.some((v) => !v.ok) ? 1 : 0;

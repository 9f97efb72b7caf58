// Preloaded into n8n by bench/p6-memory.mjs (NODE_OPTIONS=--require). A diagnosis aid only; it
// never runs in the node.
//  - P6_MEMORY_DIR: every 100 ms, one line of process.memoryUsage() and V8's old space into
//    <dir>/<pid>.jsonl, to tell the V8 heap (live + not yet collected) from memory outside it
//    (isolates, malloc, code) at the RSS peak;
//  - P6_ALLOC_PROFILE=<file>: V8's sampling heap profiler from the start, INCLUDING objects that
//    were collected again (what was allocated, not what is live), written on SIGUSR2.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const dir = process.env.P6_MEMORY_DIR;
if (dir) {
	const file = path.join(dir, `${process.pid}.jsonl`);
	const sample = () => {
		const m = process.memoryUsage();
		const old = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
		fs.appendFileSync(file, `${JSON.stringify({ t: Date.now(), rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, oldSize: old?.space_size, oldUsed: old?.space_used_size })}\n`);
	};
	sample();
	setInterval(sample, 100).unref();
}
const allocFile = process.env.P6_ALLOC_PROFILE;
// Only in n8n's main process (the task runner is started with the same environment).
if (allocFile && !process.env.P6_ALLOC_STARTED) {
	process.env.P6_ALLOC_STARTED = String(process.pid);
	const inspector = require('node:inspector');
	const session = new inspector.Session();
	session.connect();
	session.post('HeapProfiler.enable');
	session.post('HeapProfiler.startSampling', {
		samplingInterval: 16384,
		includeObjectsCollectedByMajorGC: true,
		includeObjectsCollectedByMinorGC: true,
	});
	process.on('SIGUSR2', () => {
		session.post('HeapProfiler.stopSampling', (err, result) => {
			fs.writeFileSync(allocFile, JSON.stringify(err ? { error: String(err) } : result.profile));
		});
	});
}

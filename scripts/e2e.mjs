#!/usr/bin/env node
// The end-to-end layer on every n8n version asked for (`npm run test:e2e` runs this after the build):
//
//   N8N_VERSIONS=2.41.1,1.123.81,2.0.3 node scripts/e2e.mjs [test files…]   (`all` = the tested list)
//
// Default: the pinned version only, so `npm test` stays quick; CI (.ci/run) asks for all three.
// Each runtime is installed once into the cache (scripts/n8n-runtime.mjs), one after another,
// before any test runs; then `node --test` runs the files (default test/e2e/*.test.mjs) once per
// version with ELEVATEAI_N8N_VERSION set, which scripts/n8n.mjs uses as its default version.
// Prints a summary with the time per version; exits 1 if any version failed.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { detectVersion, e2eVersions, REPO_ROOT } from './n8n.mjs';
import { ensureRuntime } from './n8n-runtime.mjs';

const versions = e2eVersions();
const files = process.argv.slice(2).length
	? process.argv.slice(2)
	: fs
			.readdirSync(path.join(REPO_ROOT, 'test', 'e2e'))
			.filter((f) => f.endsWith('.test.mjs'))
			.sort()
			.map((f) => path.join('test', 'e2e', f));

const say = (line) => process.stdout.write(`${line}\n`);
const secs = (ms) => `${Math.round(ms / 1000)} s`;

const results = [];
for (const version of versions) {
	const t = Date.now();
	const rt = await ensureRuntime({ version, progress: (l) => say(`# ${l}`) });
	await detectVersion(version);
	results.push({ version, installMs: rt.installed ? Date.now() - t : 0 });
}

for (const r of results) {
	say(`\n# ═══ e2e on n8n ${r.version} (${files.length} files) ═══`);
	const t = Date.now();
	const code = await new Promise((resolve) => {
		const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
			cwd: REPO_ROOT,
			stdio: 'inherit',
			env: { ...process.env, ELEVATEAI_N8N_VERSION: r.version },
		});
		child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
	});
	r.code = code;
	r.testMs = Date.now() - t;
}

say('\n# e2e summary');
for (const r of results) {
	say(
		`#   n8n ${r.version.padEnd(9)} ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}  tests ${secs(r.testMs)}` +
			(r.installMs ? `, runtime installed in ${secs(r.installMs)}` : ''),
	);
}
process.exit(results.every((r) => r.code === 0) ? 0 : 1);

#!/usr/bin/env node
// Typecheck of what ships (nodes/, credentials/) against n8n 1.x's n8n-workflow types (1.120.31,
// the version n8n 1.123.81 runs; devDependency `n8n-workflow-v1`, an npm alias), so an API that
// only n8n 2.x has cannot slip in unnoticed. Part of `npm run lint`.
//
// Differences that are known and tracked (the node's code is being changed for them by another
// change) are listed in KNOWN: they are reported as SKIP with their reason, never hidden; any other
// error fails. When a known difference is fixed it simply stops being reported; remove its entry.

import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { REPO_ROOT } from './package-info.mjs';

/**
 * [file, TS error code, text in the message, reason]. Empty: the two 1.x differences once listed
 * here (`ignoreHttpStatusErrors` as a boolean, no `isToolExecution`) no longer apply since the
 * credential test became the node's `testedBy` method and tool detection works on every version.
 */
const KNOWN = [];

const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.n8n-v1.json', '--pretty', 'false'], {
	cwd: REPO_ROOT,
	encoding: 'utf8',
});
if (r.error) throw r.error;
const lines = `${r.stdout}${r.stderr}`.split('\n');
// "file(line,col): error TSxxxx: message" plus indented continuation lines
const errors = [];
for (const line of lines) {
	const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
	if (m) errors.push({ file: m[1].replace(/\\/g, '/'), line: m[2], code: m[4], message: m[5], text: line });
	else if (line.trim() && errors.length) errors[errors.length - 1].text += `\n${line}`;
	else if (line.trim()) errors.push({ file: '', code: '', message: line, text: line });
}

let failed = 0;
for (const e of errors) {
	const known = KNOWN.find(([file, code, text]) => e.file === file && e.code === code && e.message.includes(text));
	if (known) {
		process.stdout.write(`SKIP (known 1.x difference) ${e.file}:${e.line} ${e.code}: ${known[3]}\n`);
	} else {
		failed++;
		process.stderr.write(`${e.text}\n`);
	}
}
if (failed || (r.status !== 0 && errors.length === 0)) {
	process.stderr.write(`\nTypecheck against n8n-workflow 1.120 (n8n 1.x) failed: ${failed || 'tsc'} error(s) above. The node must build against n8n 1.x and 2.x types.\n`);
	process.exit(1);
}
process.stdout.write(`typecheck against n8n-workflow 1.120 (n8n 1.x): ok${errors.length ? `, ${errors.length} known difference(s) skipped` : ''}\n`);

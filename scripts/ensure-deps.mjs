// Makes `npm start` and `npm test` work straight after `git clone`: when the project's
// development dependencies are missing or older than package-lock.json, installs them with
// `npm ci` first (the repo's .npmrc keeps install scripts off). A no-op when they are current.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function mtime(file) {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return undefined;
	}
}

export function ensureDependencies() {
	// npm writes node_modules/.package-lock.json at the end of every install.
	const installed = mtime(path.join(REPO, 'node_modules', '.package-lock.json'));
	const locked = mtime(path.join(REPO, 'package-lock.json'));
	const tools = ['tsc', 'jest', 'gulp', 'eslint'].every((bin) =>
		fs.existsSync(path.join(REPO, 'node_modules', '.bin', bin)),
	);
	if (installed !== undefined && locked !== undefined && installed >= locked && tools) return;
	process.stdout.write('▶ Installing the development dependencies (npm ci, about a minute)\n');
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: REPO, stdio: 'inherit' });
	if (result.status !== 0) {
		process.stderr.write('npm ci failed: see the output above.\n');
		process.exit(result.status ?? 1);
	}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) ensureDependencies();

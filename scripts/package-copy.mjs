// A frozen copy of exactly the files `npm pack` would publish (package.json + dist/…), for the
// end-to-end tests, the screenshot and the benchmark: n8n then loads what users install,
// resolving `n8n-workflow` from itself, and a rebuild in the working tree cannot change it.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export async function copyPublishedPackage(root, dest) {
	const nodeFile = path.join(root, 'dist', 'nodes', 'ElevateAi', 'ElevateAi.node.js');
	if (!fs.existsSync(nodeFile)) {
		throw new Error(`${nodeFile} is missing: build the package first (npm run build).`);
	}
	const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		// Under `npm run`, npm_* variables would make the nested npm act on the outer command.
		env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_'))),
		maxBuffer: 64 * 1024 * 1024,
	});
	const [{ files }] = JSON.parse(stdout);
	for (const { path: rel } of files) {
		fs.mkdirSync(path.dirname(path.join(dest, rel)), { recursive: true });
		fs.copyFileSync(path.join(root, rel), path.join(dest, rel));
	}
	return dest;
}

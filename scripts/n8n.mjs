// A REAL n8n (on Node 24, installed once into a cache by scripts/n8n-runtime.mjs) loading this
// package the way users get it, talking to the ElevateAI emulator (emulator/) that runs inside the
// calling process. Used by the end-to-end tests (test/e2e/harness.mjs re-exports it) and
// scripts/screenshot.mjs.
//
// Every child process is started in its own process group and killed by PID (the whole group),
// at the end of each test file and on exit, also when a test fails.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { ensureRuntime, n8nBin, n8nEnv, node24Bin, parseRawOutput } from './n8n-runtime.mjs';
import { copyPublishedPackage } from './package-copy.mjs';
import { freePort, signalGroup, spawnGroup, stopGroup } from './processes.mjs';
import { CREDENTIAL_TYPE, NODE_TYPE, PACKAGE_NAME, TOOL_NODE_TYPE } from './package-info.mjs';
import { makeWav } from './wav.mjs';

export { makeWav };

const require = createRequire(import.meta.url);
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
export { CREDENTIAL_TYPE, NODE_TYPE, PACKAGE_NAME, TOOL_NODE_TYPE };
export const CREDENTIAL_ID = 'eaiLocalEmulator';
export const CREDENTIAL_NAME = 'ElevateAI (local emulator)';
export const HUBSPOT_CREDENTIAL_ID = 'hubspotToken0001';

const KEEP = process.env.E2E_KEEP === '1'; // keep temp folders for debugging

// ---------------------------------------------------------------------------------------------
// Processes

export { freePort, spawnGroup, stopGroup };

// ---------------------------------------------------------------------------------------------
// The package as n8n loads it

let packedCopy;

/** The published files, copied once per test process into a temp dir (see package-copy.mjs). */
async function packedPackageDir() {
	if (packedCopy) return packedCopy;
	const dest = await copyPublishedPackage(
		REPO_ROOT,
		fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-e2e-pkg-')),
	);
	packedCopy = dest;
	process.on('exit', () => {
		if (!KEEP) fs.rmSync(dest, { recursive: true, force: true });
	});
	return dest;
}

export function assertBuilt() {
	const nodeFile = path.join(REPO_ROOT, 'dist', 'nodes', 'ElevateAi', 'ElevateAi.node.js');
	if (!fs.existsSync(nodeFile)) {
		throw new Error(`${nodeFile} is missing: run \`npm run build\` before the e2e tests`);
	}
}

/**
 * Make the package visible to n8n in `userFolder`:
 * `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-elevateai` → the packed copy ('pack', default)
 * or the repository itself ('link'). n8n scans that folder for `n8n-nodes-*` directories and follows
 * the symlink; no `.n8n/nodes/package.json` entry is needed (n8n writes one itself).
 * E2E_PACKAGE_DIR=<dir> links that directory instead (e.g. an unpacked `npm pack` tarball).
 */
export async function installPackage(userFolder, mode = process.env.E2E_PACKAGE_MODE || 'pack') {
	const target = process.env.E2E_PACKAGE_DIR
		? path.resolve(process.env.E2E_PACKAGE_DIR)
		: mode === 'link'
			? (assertBuilt(), REPO_ROOT)
			: (assertBuilt(), await packedPackageDir());
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const linkPath = path.join(modules, PACKAGE_NAME);
	fs.rmSync(linkPath, { recursive: true, force: true });
	fs.symlinkSync(target, linkPath, 'dir');
	return linkPath;
}

// ---------------------------------------------------------------------------------------------
// Emulator (in-process)

export function loadEmulator() {
	return require('../emulator/server.js');
}

// ---------------------------------------------------------------------------------------------
// Workflows

export function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

export function findNode(workflow, predicate) {
	const node = workflow.nodes.find(typeof predicate === 'string' ? (n) => n.name === predicate : predicate);
	if (!node) throw new Error(`node ${predicate} not found in workflow ${workflow.name}`);
	return node;
}

/** Items a node produced on its first (or given) output in the first run. */
export function nodeOutput(run, nodeName, { output = 0, runIndex = 0 } = {}) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[runIndex]?.data?.main?.[output] ?? [];
}

export function nodeError(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.[0]?.error;
}

export { parseRawOutput };

// ---------------------------------------------------------------------------------------------
// One n8n instance (a user folder) per test file

/**
 * @param {object} [opts]
 * @param {object} [opts.emulatorOptions] passed to startEmulator
 * @param {boolean} [opts.emulator=true]
 * @param {Record<string,string>} [opts.env] extra n8n environment
 */
export async function createN8n(opts = {}) {
	await ensureRuntime({ progress: (l) => process.stderr.write(`# ${l}\n`) });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-e2e-'));
	const userFolder = path.join(dir, 'user');
	const work = path.join(dir, 'work');
	const files = path.join(dir, 'files'); // the only folder Read/Write Files from Disk may use
	fs.mkdirSync(userFolder);
	fs.mkdirSync(work);
	fs.mkdirSync(files);
	await installPackage(userFolder, opts.packageMode);

	let emulator;
	if (opts.emulator !== false) {
		const { startEmulator } = loadEmulator();
		emulator = await startEmulator({ host: '127.0.0.1', port: 0, ...opts.emulatorOptions });
	}
	const servers = [];
	const children = new Set();
	let counter = 0;

	const instanceEnv = { ...opts.env };
	const env = async (extra = {}) =>
		n8nEnv(userFolder, {
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_RESTRICT_FILE_ACCESS_TO: files,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...instanceEnv,
			...extra,
		});

	/**
	 * Run the n8n CLI to completion. With `monitorRss`, the result has `peakRssMb`: the n8n
	 * process's peak resident memory (VmHWM, polled every 100 ms).
	 */
	async function cli(args, { timeoutMs = 120000, extraEnv, monitorRss = false } = {}) {
		const label = `n8n ${args[0]}`;
		const logFile = path.join(dir, `cli-${++counter}-${args[0].replace(/\W/g, '_')}.log`);
		const child = spawnGroup(node24Bin(), [n8nBin(), ...args], {
			env: await env(extraEnv),
			cwd: work,
			logFile,
			label,
		});
		children.add(child);
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
		await stopGroup(child);
		children.delete(child);
		result.timedOut = result.signal === 'SIGKILL';
		result.logFile = logFile;
		return result;
	}

	/**
	 * Run an idempotent CLI command (import, publish) that must succeed. n8n 2.41.1 on Node 24
	 * sometimes dies with SIGSEGV while exiting, after its work is done (isolated-vm, the default
	 * `vm` expression engine; ~10 % of runs here): such a run is retried once.
	 */
	async function cliOk(args, o) {
		let r = await cli(args, o);
		if (r.signal === 'SIGSEGV') {
			process.stderr.write(`n8n ${args[0]} crashed with SIGSEGV while exiting (known n8n/isolated-vm issue); retrying once\n`);
			r = await cli(args, o);
		}
		if (r.code !== 0) {
			throw new Error(`${args.join(' ')} failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''}):\n${r.stdout}\n${r.stderr}`);
		}
		return r;
	}

	/** Spawn a long-running n8n command and wait until `isReady(child)` says so. */
	async function longRunning(args, extraEnv, isReady, readyTimeoutMs) {
		const logFile = path.join(dir, `n8n-${args[0]}-${++counter}.log`);
		const child = spawnGroup(node24Bin(), [n8nBin(), ...args], {
			env: await env(extraEnv),
			cwd: work,
			logFile,
			label: `n8n ${args[0]}`,
		});
		children.add(child);
		const proc = {
			child,
			logFile,
			output: child.output,
			stop: async () => {
				await stopGroup(child);
				children.delete(child);
			},
		};
		const deadline = Date.now() + readyTimeoutMs;
		for (;;) {
			if (child.exitCode !== null || child.signalCode !== null) {
				throw new Error(`n8n ${args[0]} exited early (${child.exitCode ?? child.signalCode}):\n${child.output.stdout}\n${child.output.stderr}`);
			}
			if (await isReady(child)) return proc;
			if (Date.now() > deadline) {
				await proc.stop();
				throw new Error(`n8n ${args[0]} not ready after ${readyTimeoutMs} ms:\n${child.output.stdout}\n${child.output.stderr}`);
			}
			await new Promise((r) => setTimeout(r, 250));
		}
	}

	const n8n = {
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
			const { DEFAULT_TOKEN } = loadEmulator();
			return {
				id: CREDENTIAL_ID,
				name: CREDENTIAL_NAME,
				type: CREDENTIAL_TYPE,
				data: { apiToken: emulator.token ?? DEFAULT_TOKEN, baseUrl: emulator.url },
				...overrides,
			};
		},

		/** import:credentials; `creds` as [{ id, name, type, data }] with plain data. */
		async importCredentials(creds) {
			const file = path.join(work, `credentials-${++counter}.json`);
			fs.writeFileSync(file, JSON.stringify(creds, null, 2));
			await cliOk(['import:credentials', `--input=${file}`]);
		},

		/**
		 * import:workflow for each workflow object (ids must be fixed). Imported workflows are
		 * inactive: publish with `cliOk(['publish:workflow', '--id=…'])` before `start`.
		 */
		async importWorkflows(workflows) {
			const folder = path.join(work, `workflows-${++counter}`);
			fs.mkdirSync(folder);
			for (const wf of workflows) {
				if (!wf.id) throw new Error(`workflow ${wf.name} has no id`);
				fs.writeFileSync(path.join(folder, `${wf.id}.json`), JSON.stringify(wf, null, 2));
			}
			await cliOk(['import:workflow', '--separate', `--input=${folder}`]);
		},

		/**
		 * `n8n execute --id <id> --rawOutput`. Returns { code, run, stdout, stderr } where run is the
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
					`workflow ${id} failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''})` +
						(err ? `: ${err.message} ${err.description ?? ''} [node ${err.node?.name ?? '?'}]` : '') +
						`\n--- stderr ---\n${r.stderr.slice(-4000)}\n--- stdout (tail) ---\n${r.stdout.slice(-4000)}`,
				);
			}
			return r;
		},

		/** `n8n start` on a free port; resolves once /healthz/readiness answers 200. */
		async start({ port, extraEnv, readyTimeoutMs = 90000 } = {}) {
			port ??= await freePort();
			const baseUrl = `http://127.0.0.1:${port}`;
			const proc = await longRunning(
				['start'],
				{ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', WEBHOOK_URL: `${baseUrl}/`, ...extraEnv },
				async () => {
					try {
						const res = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
						return res.ok;
					} catch {
						return false;
					}
				},
				readyTimeoutMs,
			);
			return { ...proc, baseUrl, port };
		},

		/** `n8n worker` (queue mode); resolves once it logs that it is ready. */
		async worker({ extraEnv, readyTimeoutMs = 90000 } = {}) {
			const proc = await longRunning(
				['worker', '--concurrency=5'],
				{ QUEUE_HEALTH_CHECK_ACTIVE: 'false', ...extraEnv },
				(child) => /n8n worker is now ready/.test(child.output.stdout + child.output.stderr),
				readyTimeoutMs,
			);
			return proc;
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
				{ cwd: work, logFile: path.join(dir, 'redis.log'), label: 'redis-server' },
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
		async close() {
			await Promise.allSettled([...children].map((c) => stopGroup(c, 3000)));
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
			if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
			else process.stderr.write(`# kept ${dir}\n`);
		},
	};
	return n8n;
}

/**
 * A local HTTP sink that records every request (method, url, headers, parsed JSON body) and
 * answers 200 with `{ ok: true, id }` (like HubSpot's PATCH …/objects/calls/{id}).
 */
export async function createSink(n8n) {
	const requests = [];
	const server = await n8n.httpServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = raw;
			try {
				body = JSON.parse(raw);
			} catch {}
			requests.push({ method: req.method, url: req.url, headers: req.headers, body });
			const id = req.url.split('?')[0].split('/').pop();
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id, properties: typeof body === 'object' ? body.properties ?? {} : {}, ok: true }));
		});
	});
	return { url: server.url, requests, server };
}

/** A loopback file server: GET /<name> answers with `files[name]` (Buffer). */
export async function createFileServer(n8n, files) {
	const served = [];
	const server = await n8n.httpServer((req, res) => {
		const name = decodeURIComponent(req.url.split('?')[0].slice(1));
		served.push(name);
		const body = files[name];
		if (!body) {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': body.length });
		res.end(body);
	});
	return { url: server.url, served, server };
}

export function sha256(buf) {
	return crypto.createHash('sha256').update(buf).digest('hex');
}

/**
 * n8n answers /healthz/readiness before it has registered the webhooks of published workflows.
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

export const TEST_OWNER = { email: 'e2e@example.com', password: 'E2e-password-1', firstName: 'E2E', lastName: 'Owner' };

/** Set up the owner account of a fresh `n8n start` and log in; returns the auth cookie header. */
export async function ownerSession(baseUrl, owner = TEST_OWNER) {
	const settings = await (await fetch(`${baseUrl}/rest/settings`)).json();
	if (settings?.data?.userManagement?.showSetupOnFirstLoad) {
		const res = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (!res.ok) throw new Error(`owner setup failed: ${res.status} ${await res.text()}`);
	}
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

/** Poll `fn` until it returns a truthy value. */
export async function waitFor(fn, { timeoutMs = 20000, intervalMs = 100, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

#!/usr/bin/env node
// `npm start`: a real n8n with this package, the example workflows and a local ElevateAI
// emulator, at http://localhost:5678.
//
//   1. npm ci when node_modules is missing or stale, then npm run build (skip with --skip-build)
//   2. Node 24 + n8n 2.41.1 into a cache   (first time only, a few minutes; scripts/n8n-runtime.mjs)
//   3. the ElevateAI emulator              (node emulator/cli.js; not when a real token is given)
//   4. n8n data in .n8n-local/ (kept between runs): the package linked in, the credential
//      "ElevateAI (local emulator)" (or "ElevateAI" for the real API), the examples imported,
//      a sample recording, an owner account
//   5. n8n start; Ctrl-C stops n8n and the emulator.
//
// Environment:
//   ELEVATEAI_API_TOKEN [+ ELEVATEAI_BASE_URL]  use the real ElevateAI (no emulator)
//   N8N_PORT (5678), EMULATOR_PORT (8787)
//   N8N_LOCAL_OWNER_EMAIL / N8N_LOCAL_OWNER_PASSWORD  the owner account created on first start
// Flags: --skip-build, --reimport (import every example again, overwriting local edits).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureRuntime, n8nBin, n8nEnv, node24Bin } from './n8n-runtime.mjs';
import { signalGroup } from './processes.mjs';
import { adaptExample, EXAMPLE_CREDENTIAL, loadExamples, WORKFLOW_IDS } from './examples.mjs';
import { ensureDependencies } from './ensure-deps.mjs';
import { PACKAGE_NAME } from './package-info.mjs';
import { makeWav } from './wav.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL = path.join(REPO, '.n8n-local');
const FILES = path.join(LOCAL, 'files');
const RECORDINGS = path.join(FILES, 'recordings');
const STATE_FILE = path.join(LOCAL, 'imported.json');

const args = new Set(process.argv.slice(2));
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const EMULATOR_PORT = Number(process.env.EMULATOR_PORT || 8787);
const REAL_TOKEN = process.env.ELEVATEAI_API_TOKEN || '';
const REAL_BASE_URL = process.env.ELEVATEAI_BASE_URL || 'https://api.elevateai.com/v1';
const OWNER = {
	email: process.env.N8N_LOCAL_OWNER_EMAIL || 'admin@example.com',
	password: process.env.N8N_LOCAL_OWNER_PASSWORD || 'ElevateAI-local-1',
	firstName: 'Local',
	lastName: 'Admin',
};

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (line) => say(`\n▶ ${line}`);

/** pid -> name of every process group started here; all are stopped on exit. */
const started = new Map();
let stopping = false;

function spawnGroup(name, cmd, argv, opts) {
	const child = spawn(cmd, argv, { ...opts, detached: true });
	started.set(child.pid, name);
	child.done = new Promise((resolve) =>
		child.on('close', (code, signal) => {
			started.delete(child.pid);
			resolve({ code, signal });
		}),
	);
	return child;
}

async function stopAll(exitCode) {
	if (stopping) {
		// A second Ctrl-C: do not wait any longer.
		for (const pid of started.keys()) signalGroup(pid, 'SIGKILL');
		process.exit(exitCode || 130);
	}
	stopping = true;
	say('\nStopping… (running executions get up to 10 s; Ctrl-C again to kill at once)');
	const order = [...started.entries()].sort(([, a]) => (a === 'n8n' ? -1 : 1)); // n8n first
	for (const [pid, name] of order) {
		say(`  stopping ${name} (pid ${pid})`);
		signalGroup(pid, 'SIGTERM');
		const deadline = Date.now() + 15000;
		while (started.has(pid) && Date.now() < deadline) await sleep(100);
		signalGroup(pid, 'SIGKILL');
	}
	process.exit(exitCode);
}

process.on('exit', () => {
	for (const pid of started.keys()) signalGroup(pid, 'SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stopAll(0));

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
	});
}

async function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function run(name, cmd, argv, opts = {}) {
	const child = spawnGroup(name, cmd, argv, { stdio: opts.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', ...opts });
	let output = '';
	child.stdout?.on('data', (c) => (output += c));
	child.stderr?.on('data', (c) => (output += c));
	return child.done.then(({ code, signal }) => {
		if (code !== 0) {
			throw new Error(`${name} failed (${code ?? signal})${output ? `:\n${output.slice(-6000)}` : ''}`);
		}
		return output;
	});
}

const hash = (v) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

async function main() {
	const t0 = Date.now();
	say('n8n-nodes-elevateai — local n8n with the ElevateAI node');

	if (!(await portFree(N8N_PORT))) throw new Error(`Port ${N8N_PORT} is in use (another n8n?). Set N8N_PORT to use another one.`);

	// 1. build
	if (!args.has('--skip-build')) {
		ensureDependencies();
		step('Building the package (npm run build)');
		await run('npm run build', 'npm', ['run', 'build'], { cwd: REPO });
	}
	if (!fs.existsSync(path.join(REPO, 'dist', 'nodes', 'ElevateAi', 'ElevateAi.node.js'))) {
		throw new Error('dist/nodes/ElevateAi/ElevateAi.node.js is missing after the build.');
	}

	// 2. runtime
	step('n8n runtime (Node 24 + n8n 2.41.1, cached after the first run)');
	const rt = await ensureRuntime({ progress: (l) => say(`  ${l}`) });
	say(`  using ${rt.cacheDir}`);

	// 3. ElevateAI: emulator or the real API
	let credential;
	let emulator;
	if (REAL_TOKEN) {
		step(`Using the real ElevateAI API at ${REAL_BASE_URL} (ELEVATEAI_API_TOKEN is set; no emulator)`);
		credential = { ...EXAMPLE_CREDENTIAL, name: 'ElevateAI', data: { apiToken: REAL_TOKEN, baseUrl: REAL_BASE_URL } };
	} else {
		step(`Starting the ElevateAI emulator on port ${EMULATOR_PORT}`);
		if (!(await portFree(EMULATOR_PORT))) throw new Error(`Port ${EMULATOR_PORT} is in use. Set EMULATOR_PORT to use another one.`);
		fs.mkdirSync(LOCAL, { recursive: true });
		const emuLog = fs.createWriteStream(path.join(LOCAL, 'emulator.log'), { flags: 'a' });
		const child = spawnGroup('emulator', process.execPath, [path.join(REPO, 'emulator', 'cli.js'), '--port', String(EMULATOR_PORT)], {
			cwd: REPO,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		emulator = await new Promise((resolve, reject) => {
			let buf = '';
			const timer = setTimeout(() => reject(new Error(`The emulator did not start:\n${buf}`)), 15000);
			child.stdout.on('data', (c) => {
				emuLog.write(c);
				if (buf === null) return;
				buf += c;
				const m = /listening on (http:\/\/\S+) \(token (\S+)\)/.exec(buf) || /listening on (http:\/\/\S+)/.exec(buf);
				if (m) {
					clearTimeout(timer);
					buf = null;
					resolve({ url: m[1], token: m[2], child });
				}
			});
			child.stderr.on('data', (c) => {
				emuLog.write(c);
				if (buf !== null) buf += c;
			});
			child.done.then(({ code }) => reject(new Error(`The emulator exited (${code}):\n${buf}`)));
		});
		if (!emulator.token) {
			emulator.token = (await import(path.join(REPO, 'emulator', 'server.js'))).default.DEFAULT_TOKEN;
		}
		say(`  ${emulator.url} (requests are logged to .n8n-local/emulator.log)`);
		credential = {
			...EXAMPLE_CREDENTIAL,
			name: 'ElevateAI (local emulator)',
			data: { apiToken: emulator.token, baseUrl: emulator.url },
		};
		// Exit when the emulator dies unexpectedly.
		child.done.then(({ code }) => {
			if (!stopping) {
				say(`The emulator exited (${code}); stopping.`);
				stopAll(1);
			}
		});
	}

	// 4. user folder
	step('Preparing .n8n-local/ (n8n data, kept between runs)');
	const nodesDir = path.join(LOCAL, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(nodesDir, { recursive: true });
	const link = path.join(nodesDir, PACKAGE_NAME);
	let linkOk = false;
	try {
		linkOk = fs.readlinkSync(link) === REPO;
	} catch {}
	if (!linkOk) {
		fs.rmSync(link, { recursive: true, force: true });
		fs.symlinkSync(REPO, link, 'dir');
	}
	say(`  package linked: .n8n-local/.n8n/nodes/node_modules/${PACKAGE_NAME} → ${REPO}`);
	fs.mkdirSync(RECORDINGS, { recursive: true });
	if (fs.readdirSync(RECORDINGS).length === 0) {
		fs.writeFileSync(path.join(RECORDINGS, 'call-1001.wav'), makeWav({ seconds: 4, seed: 1 }));
		say('  sample recording: .n8n-local/files/recordings/call-1001.wav');
	}

	const brokerPort = await freePort();
	const env = n8nEnv(LOCAL, {
		N8N_PORT: String(N8N_PORT),
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RESTRICT_FILE_ACCESS_TO: FILES,
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_HOST: 'localhost',
		N8N_EDITOR_BASE_URL: `http://localhost:${N8N_PORT}`,
		WEBHOOK_URL: `http://localhost:${N8N_PORT}/`,
	});
	const n8n = (argv, opts) => run(`n8n ${argv[0]}`, node24Bin(), [n8nBin(), ...argv], { cwd: LOCAL, env, quiet: true, ...opts });

	let state = {};
	try {
		state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {}
	const saveState = () => fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);

	const credHash = hash(credential);
	if (state.credential !== credHash || args.has('--reimport')) {
		const file = path.join(LOCAL, 'credentials.import.json');
		fs.writeFileSync(file, JSON.stringify([credential]), { mode: 0o600 });
		try {
			await n8n(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
		state.credential = credHash;
		saveState();
		say(`  credential "${credential.name}" imported`);
	} else {
		say(`  credential "${credential.name}" unchanged`);
	}

	const mode = REAL_TOKEN ? 'real' : 'emulator';
	const adaptOpts = {
		recordingsDir: RECORDINGS,
		credential,
		...(REAL_TOKEN ? {} : { pollInterval: 1 }),
	};
	const examples = loadExamples().map(({ file, workflow }) => ({ file, workflow: adaptExample(workflow, adaptOpts) }));
	state.workflows ??= {};
	const changed = examples.filter(
		({ workflow }) => args.has('--reimport') || state.workflows[workflow.id] !== hash({ mode, workflow }),
	);
	if (changed.length) {
		const dir = path.join(LOCAL, 'workflows.import');
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir);
		for (const { workflow } of changed) fs.writeFileSync(path.join(dir, `${workflow.id}.json`), JSON.stringify(workflow));
		await n8n(['import:workflow', '--separate', `--input=${dir}`]);
		fs.rmSync(dir, { recursive: true, force: true });
		// The webhook example is published (active) so it answers right away.
		if (changed.some(({ workflow }) => workflow.id === WORKFLOW_IDS.webhookSummary)) {
			await n8n(['publish:workflow', `--id=${WORKFLOW_IDS.webhookSummary}`]).catch((err) =>
				say(`  (could not publish the webhook example: ${err.message.split('\n')[0]})`),
			);
		}
		for (const { workflow } of changed) state.workflows[workflow.id] = hash({ mode, workflow });
		saveState();
	}
	for (const { file, workflow } of examples) {
		say(`  ${changed.some((c) => c.file === file) ? 'imported ' : 'unchanged'} ${file} — "${workflow.name}"`);
	}
	if (!REAL_TOKEN) say('  (against the emulator, the examples poll every 1 s instead of 30 s)');

	// 5. n8n start
	step(`Starting n8n on http://localhost:${N8N_PORT}`);
	const n8nLog = fs.createWriteStream(path.join(LOCAL, 'n8n.log'), { flags: 'a' });
	const server = spawnGroup('n8n', node24Bin(), [n8nBin(), 'start'], { cwd: LOCAL, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let recent = '';
	let ready = false;
	for (const stream of [server.stdout, server.stderr]) {
		stream.on('data', (c) => {
			n8nLog.write(c);
			recent = (recent + c).slice(-8000);
			if (ready) process.stdout.write(c);
		});
	}
	server.done.then(({ code, signal }) => {
		if (!stopping) {
			say(`n8n exited (${code ?? signal}).${ready ? '' : `\n${recent}`}`);
			stopAll(code || 1);
		}
	});
	const base = `http://localhost:${N8N_PORT}`;
	const deadline = Date.now() + 180000;
	while (!ready) {
		if (stopping) return;
		try {
			const res = await fetch(`${base}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (res.ok) ready = true;
		} catch {}
		if (!ready) {
			if (Date.now() > deadline) throw new Error(`n8n did not become ready:\n${recent}`);
			await sleep(300);
		}
	}

	// Owner account, so the editor opens on a login page instead of the setup form.
	let ownerNote;
	try {
		const settings = await (await fetch(`${base}/rest/settings`)).json();
		if (settings?.data?.userManagement?.showSetupOnFirstLoad) {
			const res = await fetch(`${base}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(OWNER),
			});
			ownerNote = res.ok ? 'created now' : `could not be created (${res.status}: ${(await res.text()).slice(0, 200)})`;
		} else {
			ownerNote = 'already set up';
		}
	} catch (err) {
		ownerNote = `unknown (${err.message})`;
	}

	const emuLine = emulator
		? `ElevateAI emulator: ${emulator.url}  token ${emulator.token}`
		: `ElevateAI API:      ${REAL_BASE_URL} (credential "ElevateAI")`;
	say(`
────────────────────────────────────────────────────────────────────────
  n8n is running:     ${base}   (ready in ${Math.round((Date.now() - t0) / 1000)} s)
  Log in with:        ${OWNER.email} / ${OWNER.password}   (owner ${ownerNote};
                      a local-only account, change it via N8N_LOCAL_OWNER_EMAIL/_PASSWORD
                      before the first start, or in Settings › Personal)
  ${emuLine}
  Workflows:          Overview → the four "ElevateAI: …" examples
  Recordings folder:  ${path.relative(process.cwd(), RECORDINGS) || RECORDINGS}
  Try the webhook:    curl -X POST ${base}/webhook/elevateai/summarize-call \\
                        -H 'content-type: application/json' \\
                        -d '{"recordingUrl":"https://example.com/call-42.wav","callId":"42"}'
  Data & logs:        .n8n-local/ (delete it to start from scratch)
  Stop:               Ctrl-C
────────────────────────────────────────────────────────────────────────
`);
}

main().catch((err) => {
	process.stderr.write(`\nnpm start failed: ${err.message}\n`);
	stopAll(1);
});

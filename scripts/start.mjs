#!/usr/bin/env node
// `npm start`: a real n8n with this package, the example workflows and a local ElevateAI
// emulator, at http://localhost:5678.
//
//   1. npm ci when node_modules is missing or stale, then npm run build (skip with --skip-build)
//   2. Node 24 + n8n 2.41.1 into a cache   (first time only, a few minutes; scripts/n8n-runtime.mjs;
//                                           ELEVATEAI_N8N_VERSION=1.123.81 or 2.0.3 for another n8n)
//   3. the ElevateAI emulator              (emulator/, in this process; not when a real token is given)
//   4. n8n data in .n8n-local/ (kept between runs): the package linked in, the credential
//      "ElevateAI (local emulator)" (or "ElevateAI" for the real API), the examples imported,
//      a sample recording, an owner account
//   5. n8n start; Ctrl-C stops n8n and the emulator.
//
// Environment:
//   ELEVATEAI_API_TOKEN [+ ELEVATEAI_BASE_URL]  use the real ElevateAI (no emulator)
//   N8N_PORT (5678), EMULATOR_PORT (8787); N8N_LISTEN_ADDRESS (127.0.0.1: the owner password is a
//   known default, so n8n is not exposed to the network unless asked)
//   N8N_LOCAL_OWNER_EMAIL / N8N_LOCAL_OWNER_PASSWORD  the owner account created on first start
//   ELEVATEAI_LOCAL_DIR  another folder than .n8n-local/ for n8n's data (test/e2e/start.test.mjs)
// Flags: --skip-build, --reimport (import every example again, overwriting local edits).
//
// n8n itself is driven through the one n8n-runtime wrapper, scripts/n8n.mjs (cli, imports,
// activation, owner setup, start and readiness, per n8n version).

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { ensureDependencies } from './ensure-deps.mjs';
import { adaptExample, EXAMPLE_CREDENTIAL, loadExamples, WORKFLOW_IDS } from './examples.mjs';
import { assertBuilt, createN8n, CREDENTIAL_NAME, defaultVersion, REPO_ROOT as REPO, setupOwner } from './n8n.mjs';
import { onSignal } from './processes.mjs';
import { PACKAGE_NAME } from './package-info.mjs';
import { makeWav } from './wav.mjs';

const LOCAL = path.resolve(process.env.ELEVATEAI_LOCAL_DIR || path.join(REPO, '.n8n-local'));
const FILES = path.join(LOCAL, 'files');
const RECORDINGS = path.join(FILES, 'recordings');
const STATE_FILE = path.join(LOCAL, 'imported.json');

const args = new Set(process.argv.slice(2));
const N8N_PORT = Number(process.env.N8N_PORT || 5678);
const N8N_HOST = process.env.N8N_LISTEN_ADDRESS || '127.0.0.1';
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

/** The running instance (n8n processes + the emulator), stopped on Ctrl-C or failure. */
let n8n;
let stopping = false;

async function stopAll(exitCode) {
	if (stopping) return;
	stopping = true;
	say('\nStopping… (running executions get up to 10 s; Ctrl-C again to kill at once)');
	await n8n?.close({ graceMs: 15000 });
	process.exit(exitCode);
}
// Ctrl-C: stop gracefully; a second Ctrl-C kills every process group at once (processes.mjs).
onSignal(() => stopAll(0));

function portFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
	});
}

function run(name, cmd, argv, opts = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, argv, { stdio: 'inherit', ...opts });
		child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${name} failed (${code ?? signal})`))));
	});
}

const hash = (v) => crypto.createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

async function main() {
	const t0 = Date.now();
	say('n8n-nodes-elevateai — local n8n with the ElevateAI node');

	if (!(await portFree(N8N_PORT))) throw new Error(`Port ${N8N_PORT} is in use (another n8n?). Set N8N_PORT to use another one.`);
	if (!REAL_TOKEN && !(await portFree(EMULATOR_PORT))) throw new Error(`Port ${EMULATOR_PORT} is in use. Set EMULATOR_PORT to use another one.`);

	// 1. build
	if (!args.has('--skip-build')) {
		ensureDependencies();
		step('Building the package (npm run build)');
		await run('npm run build', 'npm', ['run', 'build'], { cwd: REPO });
	}
	assertBuilt();

	// 2.–4. runtime, emulator, user folder (the package linked in, so a rebuild is picked up on restart)
	const version = defaultVersion();
	step(`n8n runtime (Node 24 + n8n ${version}, cached after the first run), ${REAL_TOKEN ? 'the real ElevateAI API' : 'the ElevateAI emulator'}, .n8n-local/`);
	fs.mkdirSync(path.join(LOCAL, 'logs'), { recursive: true });
	const emuLog = fs.createWriteStream(path.join(LOCAL, 'emulator.log'), { flags: 'a' });
	n8n = await createN8n({
		version,
		dir: LOCAL,
		userFolder: LOCAL,
		workDir: LOCAL,
		filesDir: FILES,
		logDir: path.join(LOCAL, 'logs'),
		keep: true,
		packageMode: 'link',
		progress: (l) => say(`  ${l}`),
		// The emulator's command-line default pace: each status lasts 1.5 s, so the editor shows it move.
		emulator: REAL_TOKEN ? false : { port: EMULATOR_PORT, timing: { stageMs: 1500 }, quiet: false, log: (line) => emuLog.write(`${line}\n`) },
		env: { N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10', N8N_HOST: 'localhost' },
	});
	say(`  n8n ${n8n.version}; package linked: .n8n-local/.n8n/nodes/node_modules/${PACKAGE_NAME} → ${REPO}`);
	let credential;
	if (REAL_TOKEN) {
		say(`  using the real ElevateAI API at ${REAL_BASE_URL} (ELEVATEAI_API_TOKEN is set; no emulator)`);
		credential = { ...EXAMPLE_CREDENTIAL, name: 'ElevateAI', data: { apiToken: REAL_TOKEN, baseUrl: REAL_BASE_URL } };
	} else {
		say(`  emulator at ${n8n.emulator.url} (requests are logged to .n8n-local/emulator.log)`);
		credential = n8n.credential({ name: CREDENTIAL_NAME });
	}
	fs.mkdirSync(RECORDINGS, { recursive: true });
	if (fs.readdirSync(RECORDINGS).length === 0) {
		fs.writeFileSync(path.join(RECORDINGS, 'call-1001.wav'), makeWav({ seconds: 4, seed: 1 }));
		say('  sample recording: .n8n-local/files/recordings/call-1001.wav');
	}

	let state = {};
	try {
		state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {}
	const saveState = () => fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
	// The import state is per n8n version: another version's database is another .n8n-local.
	state.version ??= n8n.version;
	if (state.version !== n8n.version) {
		throw new Error(`.n8n-local/ holds the data of n8n ${state.version}; delete it (or start with ELEVATEAI_N8N_VERSION=${state.version}) to use n8n ${n8n.version}.`);
	}

	const credHash = hash(credential);
	if (state.credential !== credHash || args.has('--reimport')) {
		await n8n.importCredentials([credential]);
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
		await n8n.importWorkflows(changed.map(({ workflow }) => workflow));
		// The webhook examples are active so they answer right away.
		for (const id of [WORKFLOW_IDS.webhookSummary, WORKFLOW_IDS.queueParkedWait]) {
			if (!changed.some(({ workflow }) => workflow.id === id)) continue;
			await n8n.activate(id).catch((err) =>
				say(`  (could not activate the webhook example ${id}: ${err.message.split('\n')[0]})`),
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
	const base = `http://localhost:${N8N_PORT}`;
	let ready = false;
	let recent = '';
	const server = await n8n.start({
		port: N8N_PORT,
		host: N8N_HOST,
		readyTimeoutMs: 180000,
		extraEnv: { N8N_EDITOR_BASE_URL: base, WEBHOOK_URL: `${base}/` },
		onOutput: (c) => {
			recent = (recent + c).slice(-8000);
			if (ready) process.stdout.write(c);
		},
	});
	ready = true;
	server.exited.then(({ code, signal }) => {
		if (!stopping) {
			say(`n8n exited (${code ?? signal}).\n${recent}`);
			stopAll(code || 1);
		}
	});

	// Owner account, so the editor opens on a login page instead of the setup form.
	let ownerNote;
	try {
		ownerNote = (await setupOwner(server.baseUrl, OWNER)) === 'created' ? 'created now' : 'already set up';
	} catch (err) {
		ownerNote = `could not be created (${err.message})`;
	}

	const emuLine = n8n.emulator
		? `ElevateAI emulator: ${n8n.emulator.url}  token ${n8n.emulator.token}`
		: `ElevateAI API:      ${REAL_BASE_URL} (credential "ElevateAI")`;
	say(`
────────────────────────────────────────────────────────────────────────
  n8n ${n8n.version} is running: ${base}   (ready in ${Math.round((Date.now() - t0) / 1000)} s)
  Log in with:        ${OWNER.email} / ${OWNER.password}   (owner ${ownerNote};
                      a local-only account, change it via N8N_LOCAL_OWNER_EMAIL/_PASSWORD
                      before the first start, or in Settings › Personal)
  ${emuLine}
  Workflows:          Overview → the ${examples.length} "ElevateAI: …" examples
  Recordings folder:  ${path.relative(process.cwd(), RECORDINGS) || RECORDINGS}
  Try the webhook:    curl -X POST ${base}/webhook/elevateai/summarize-call \\
                        -H 'content-type: application/json' \\
                        -d '{"recordingUrl":"https://example.com/call-42.wav","callId":"42"}'
  Data & logs:        .n8n-local/ (n8n log: .n8n-local/logs/; delete the folder to start from scratch)
  Stop:               Ctrl-C
────────────────────────────────────────────────────────────────────────
`);
}

main().catch((err) => {
	process.stderr.write(`\nnpm start failed: ${err.message}\n`);
	stopAll(1);
});

#!/usr/bin/env node
'use strict';

/**
 * Command line entry point:
 *
 *   node emulator/cli.js [--port 8787] [--host 127.0.0.1] [--token T ...] [--stage-ms 1500]
 *                             [--seed N] [--base-path /v1] [--max-upload-bytes N] [--no-explore]
 *                             [--gen-ai-ms N] [--quiet]
 *
 * Prints one line, `ElevateAI emulator listening on http://127.0.0.1:8787/v1 (token ...)`, then
 * logs each request (tokens never shown) until SIGINT/SIGTERM, when it closes cleanly.
 *
 * Scripts can also `require` this file: `runCli(argv)` starts an emulator in-process, and
 * `spawnEmulator(argv)` starts it as a child process and resolves with its URL.
 */

const { spawn } = require('node:child_process');
const { startEmulator, DEFAULT_TOKEN } = require('./server');

const CLI_PATH = __filename;

const USAGE = `Usage: node emulator/cli.js [options]
  --port N              port to listen on (default 8787; 0 = any free port)
  --host H              address to bind (default 127.0.0.1)
  --token T             accepted X-API-Token (repeatable; default ${DEFAULT_TOKEN})
  --stage-ms N          how long each intermediate status lasts, in ms (default 1500)
  --gen-ai-ms N         how long a generative-AI answer takes, in ms (default 0)
  --seed N              seed for fault probabilities (default 1)
  --base-path P         API path prefix (default /v1)
  --max-upload-bytes N  uploads larger than this get 413 (default 2 GiB)
  --no-explore          reject metadata on declare, like an account without Explore
  --quiet               do not log requests
  --help                show this help`;

/**
 * Parse command line arguments into emulator options.
 * @param {string[]} argv
 * @returns {import('./server').EmulatorOptions & { help?: boolean }}
 */
function parseArgs(argv) {
	/** @type {import('./server').EmulatorOptions & { help?: boolean, tokens: string[] }} */
	const options = { port: 8787, tokens: [], timing: { stageMs: 1500 }, quiet: false };
	const timing = /** @type {{ stageMs: number, genAiMs?: number }} */ (options.timing);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => {
			const v = inline !== undefined ? inline : argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value.`);
			return v;
		};
		const number = () => {
			const n = Number(value());
			if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number >= 0.`);
			return n;
		};
		switch (flag) {
			case '--port': options.port = number(); break;
			case '--host': options.host = value(); break;
			case '--token': options.tokens.push(value()); break;
			case '--stage-ms': timing.stageMs = number(); break;
			case '--gen-ai-ms': timing.genAiMs = number(); break;
			case '--seed': options.seed = number(); break;
			case '--base-path': options.basePath = value(); break;
			case '--max-upload-bytes': options.maxUploadBytes = number(); break;
			case '--no-explore': options.exploreEnabled = false; break;
			case '--quiet': options.quiet = true; break;
			case '--help': case '-h': options.help = true; break;
			default: throw new Error(`Unknown option ${arg}.`);
		}
	}
	return options;
}

/**
 * Start the emulator from command line arguments; closes it on SIGINT/SIGTERM.
 * @param {string[]} argv
 * @param {{ out?: (line: string) => void, handleSignals?: boolean }} [io]
 */
async function runCli(argv, io = {}) {
	const out = io.out || ((/** @type {string} */ line) => process.stdout.write(`${line}\n`));
	const options = parseArgs(argv);
	if (options.help) {
		out(USAGE);
		return null;
	}
	const customTokens = options.tokens && options.tokens.length > 0;
	const emulator = await startEmulator({ ...options, log: out });
	// The default token is a public test value and is shown so it can be pasted into n8n;
	// tokens given on the command line are never printed.
	const tokenNote = customTokens
		? `${options.tokens?.length} token(s) from --token`
		: `token ${DEFAULT_TOKEN}`;
	out(`ElevateAI emulator listening on ${emulator.url} (${tokenNote})`);
	if (io.handleSignals !== false) {
		const stop = () => {
			emulator.close().then(() => process.exit(0));
		};
		process.once('SIGINT', stop);
		process.once('SIGTERM', stop);
	}
	return emulator;
}

/**
 * Start the emulator as a child process (for scripts and e2e tests that need it out of
 * process). Resolves once it listens.
 * @param {string[]} [argv]  CLI arguments, e.g. ['--port', '0', '--stage-ms', '200']
 * @returns {Promise<{ url: string, rootUrl: string, child: import('child_process').ChildProcess, stop: () => Promise<void> }>}
 */
function spawnEmulator(argv = ['--port', '0']) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [CLI_PATH, ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
		let buffer = '';
		const onData = (/** @type {Buffer} */ chunk) => {
			buffer += chunk.toString('utf8');
			const m = /listening on (http:\/\/\S+)/.exec(buffer);
			if (!m) return;
			child.stdout?.off('data', onData);
			child.stdout?.resume(); // keep draining the request log
			const url = m[1];
			resolve({
				url,
				rootUrl: new URL(url).origin,
				child,
				stop: () =>
					new Promise((done) => {
						if (child.exitCode !== null) return done();
						child.once('exit', () => done());
						child.kill('SIGTERM');
					}),
			});
		};
		child.stdout?.on('data', onData);
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`The emulator exited early (code ${code}): ${buffer.trim()}`)));
	});
}

module.exports = { runCli, parseArgs, spawnEmulator, CLI_PATH, USAGE };

if (require.main === module) {
	runCli(process.argv.slice(2)).catch((err) => {
		process.stderr.write(`${err.message}\n${USAGE}\n`);
		process.exit(2);
	});
}

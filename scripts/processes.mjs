// Child processes for the end-to-end tests, the screenshot script and the benchmark: every process
// they start leads its own process group, is tracked here, and is stopped through that group, by
// PID, never by name: when done, on errors, on exit and on Ctrl-C.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** Sends `signal` to the process group led by `pid`; false when the group is already gone. */
export function signalGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch (err) {
		if (err.code !== 'ESRCH') throw err;
		return false;
	}
}

/** pid -> label of every process group started here and not yet stopped */
const groups = new Map();
const cleanups = [];

/** Runs `fn` (synchronously) when this process exits, also after Ctrl-C. */
export function onExit(fn) {
	cleanups.push(fn);
}

function runCleanups() {
	for (const pid of groups.keys()) signalGroup(pid, 'SIGKILL');
	groups.clear();
	while (cleanups.length) {
		try {
			cleanups.pop()();
		} catch {}
	}
}

let graceful;

/**
 * Lets a long-running script (npm start) stop gracefully on the first Ctrl-C: `fn(signal)` runs
 * instead of the immediate kill; a second signal kills every tracked group at once.
 */
export function onSignal(fn) {
	graceful = fn;
}

process.on('exit', runCleanups);
const exitCode = (signal) => 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.once(signal, async () => {
		if (graceful) {
			for (const again of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
				process.once(again, () => {
					runCleanups();
					process.exit(exitCode(again));
				});
			}
			try {
				await graceful(signal);
			} catch {}
		}
		runCleanups();
		// Exit with the conventional code rather than re-raising the signal: a script with its own
		// one-time handler for it would swallow the re-raised signal and keep running.
		process.exit(exitCode(signal));
	});
}

/**
 * Spawns `cmd` as the leader of a new process group, tracked until `stopGroup`. stdout/stderr are
 * collected (and copied to `logFile` when given); `child.exited` resolves with
 * `{ code, signal, stdout, stderr }` once it closed (or failed to start: `error`).
 */
export function spawnGroup(cmd, args, { env, cwd, label, logFile, stdoutFile } = {}) {
	// stdoutFile: the child's stdout goes to that file (read into `stdout` once it exited). A process
	// that prints megabytes and then calls process.exit() can lose the tail of a pipe, never of a file
	// (measured: n8n 1.123's `execute --rawOutput` of a run with 2.5 MB of inline binary data).
	const outFd = stdoutFile ? fs.openSync(stdoutFile, 'w') : undefined;
	const child = spawn(cmd, args, { env, cwd, detached: true, stdio: ['ignore', outFd ?? 'pipe', 'pipe'] });
	if (outFd !== undefined) fs.closeSync(outFd);
	groups.set(child.pid, label ?? cmd);
	const out = { stdout: '', stderr: '' };
	const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
	child.stdout?.on('data', (c) => {
		out.stdout += c;
		log?.write(c);
	});
	child.stderr.on('data', (c) => {
		out.stderr += c;
		log?.write(c);
	});
	child.exited = new Promise((resolve) => {
		child.once('error', (error) => resolve({ code: null, signal: null, error, ...out }));
		child.on('close', (code, signal) => {
			if (stdoutFile) {
				try {
					out.stdout = fs.readFileSync(stdoutFile, 'utf8');
				} catch {}
			}
			log?.end();
			resolve({ code, signal, ...out });
		});
	});
	child.output = out;
	return child;
}

/** SIGTERM the group, SIGKILL it after `graceMs`, then SIGKILL whatever of the group is left. */
export async function stopGroup(child, graceMs = 8000) {
	if (!child?.pid || !groups.has(child.pid)) return;
	if (child.exitCode === null && child.signalCode === null) {
		signalGroup(child.pid, 'SIGTERM');
		const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), graceMs);
		await child.exited;
		clearTimeout(timer);
	}
	// The leader is gone; make sure nothing else of its group (task runners…) lives on.
	signalGroup(child.pid, 'SIGKILL');
	groups.delete(child.pid);
}

/** Kills a tracked group at once (e.g. a run that overran its time). */
export function killGroupNow(child) {
	if (child?.pid && groups.has(child.pid)) signalGroup(child.pid, 'SIGKILL');
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

// Memory sampling of a process tree for the benchmark. Processes are started and stopped by
// process group, by PID, through scripts/processes.mjs (re-exported here for the bench).

import fs from 'node:fs';

export { freePort, killGroupNow, onExit, spawnGroup, stopGroup } from '../../scripts/processes.mjs';

// ---------------------------------------------------------------------------------------------
// Memory of a process tree, from /proc

function readStatus(pid) {
	try {
		const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (key) => {
			const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
			return m ? Number(m[1]) * 1024 : 0;
		};
		const name = /^Name:\s+(.*)$/m.exec(text)?.[1] ?? '?';
		// A zombie (exited, not yet reaped) has no memory lines: nothing to learn from it.
		if (!/^VmRSS:/m.test(text)) return undefined;
		return { rss: kb('VmRSS'), hwm: kb('VmHWM'), name };
	} catch {
		return undefined; // gone
	}
}

function childrenOf(pid) {
	const found = [];
	let tasks;
	try {
		tasks = fs.readdirSync(`/proc/${pid}/task`);
	} catch {
		return found;
	}
	for (const tid of tasks) {
		try {
			const text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
			if (text) for (const c of text.split(/\s+/)) found.push(Number(c));
		} catch {}
	}
	return found;
}

/** The pids of `rootPid` and all its descendants. */
export function processTree(rootPid) {
	const seen = new Set();
	const queue = [rootPid];
	while (queue.length) {
		const pid = queue.shift();
		if (seen.has(pid)) continue;
		seen.add(pid);
		queue.push(...childrenOf(pid));
	}
	return [...seen];
}

export const HAS_PROC_CHILDREN = fs.existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/**
 * Samples the resident memory of a process and all its descendants every `intervalMs`; with
 * `exe`, only the processes running that executable count (n8n and its task runner are Node
 * processes; the short-lived shells n8n starts at boot are not).
 * Two figures come out of it:
 *  - `peakSampled`: the largest sum of VmRSS over the tree seen in one sample;
 *  - `peakHwm`: the sum over every process ever seen of its own VmHWM (the kernel's exact
 *    per-process peak), an upper bound of the tree's peak that no sampling gap can miss.
 */
export function sampleTreeMemory(rootPid, { intervalMs = 50, exe } = {}) {
	const hwm = new Map(); // pid -> { name, hwm, counts }
	// Checked on every sample: a process that was just forked still shows its parent's exe.
	const runsExe = (pid) => {
		if (!exe) return true;
		try {
			return fs.readlinkSync(`/proc/${pid}/exe`) === exe;
		} catch {
			return undefined; // gone meanwhile: keep what is known
		}
	};
	let peakSampled = 0;
	let samples = 0;
	/** [time, RSS of the tree] per sample, to tell when the peak happened (e.g. during a node or after it). */
	const timeline = [];
	let maxProcesses = 0;
	const tick = () => {
		const pids = processTree(rootPid);
		let sum = 0;
		let alive = 0;
		for (const pid of pids) {
			const s = readStatus(pid);
			if (!s) continue;
			const counts = runsExe(pid);
			if (counts === undefined) continue;
			const prev = hwm.get(pid) ?? { name: s.name, hwm: 0 };
			hwm.set(pid, { name: s.name, hwm: counts ? Math.max(prev.hwm, s.hwm) : 0, counts });
			if (!counts) continue;
			alive++;
			sum += s.rss;
		}
		if (alive > 0) {
			samples++;
			timeline.push([Date.now(), sum]);
			peakSampled = Math.max(peakSampled, sum);
			maxProcesses = Math.max(maxProcesses, alive);
		}
	};
	tick();
	const timer = setInterval(tick, intervalMs);
	return {
		/** Takes a last sample and stops. */
		stop() {
			tick();
			clearInterval(timer);
			return this.result();
		},
		result() {
			// What a process ran when last seen decides whether it counts (fork, then exec).
			const processes = [...hwm.entries()].filter(([, v]) => v.counts).map(([pid, v]) => ({ pid, name: v.name, hwm: v.hwm }));
			return {
				peakSampled,
				peakHwm: processes.reduce((a, p) => a + p.hwm, 0),
				processes,
				samples,
				maxProcesses,
				timeline,
			};
		},
	};
}

/**
 * Resolves to the URL a child prints as "listening on http://…" (the emulator and the sink both do);
 * rejects if it has not done so within `timeoutMs` or exits first.
 */
export function listeningUrl(child, what, timeoutMs) {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`the ${what} did not start: ${child.output.stdout}${child.output.stderr}`)), timeoutMs);
		const check = () => {
			const m = /listening on (http:\/\/\S+)/.exec(child.output.stdout);
			if (m) {
				clearTimeout(timer);
				child.stdout.off('data', check);
				resolve(m[1]);
			}
		};
		child.stdout.on('data', check);
		child.exited.then((r) => reject(new Error(`the ${what} exited (code ${r.code}): ${r.stdout}${r.stderr}`)));
	});
}

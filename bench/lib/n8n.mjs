// A real n8n for the benchmark, through the one n8n-runtime wrapper (scripts/n8n.mjs): the pinned
// n8n (Node 24) from the cache, a throw-away user folder with this package loaded the way users get
// it, binary data on disk in a folder the bench empties, and `n8n execute` runs whose process
// tree (n8n and its task runner) is sampled for memory.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { node24Bin } from '../../scripts/n8n-runtime.mjs';
import { createN8n as createWrapper, N8N_VERSION } from '../../scripts/n8n.mjs';
import { PACKAGE_NAME } from '../../scripts/package-info.mjs';
import { sampleTreeMemory } from './proc.mjs';

export { N8N_VERSION, PACKAGE_NAME };

/**
 * @param {{ dir: string, packageDir: string, filesDir: string, progress?: (l: string) => void }} opts
 */
export async function createN8n({ dir, packageDir, filesDir, progress }) {
	const binaryDir = path.join(dir, 'binary-data');
	fs.mkdirSync(binaryDir, { recursive: true });
	const n8n = await createWrapper({
		version: N8N_VERSION,
		dir,
		filesDir,
		packageDir,
		logDir: path.join(dir, 'logs'),
		emulator: false,
		keep: true, // the bench removes its own temp folder
		progress: progress ?? ((l) => process.stderr.write(`${l}\n`)),
		// Binary data on disk (n8n's regular-mode default), in a folder the bench empties.
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_STORAGE_PATH: binaryDir },
	});
	// n8n runs on the runtime's own Node 24: only processes of that executable count as n8n's.
	const exe = fs.realpathSync(node24Bin(N8N_VERSION));

	return {
		dir,
		userFolder: n8n.userFolder,
		binaryDir,
		importCredentials: (creds) => n8n.importCredentials(creds),
		importWorkflows: (workflows) => n8n.importWorkflows(workflows),
		/**
		 * `n8n execute --id <id> --rawOutput`; throws unless the workflow succeeded. Returns the
		 * run (`data.resultData.runData`), the process tree's memory and the wall time.
		 */
		async execute(id, { sampleMemory = false, timeoutMs = 10 * 60_000, extraEnv, onSpawn } = {}) {
			const r = await n8n.execute(id, {
				timeoutMs,
				extraEnv,
				onSpawn: (child) => {
					onSpawn?.(child);
					return sampleMemory ? sampleTreeMemory(child.pid, { intervalMs: 50, exe }) : undefined;
				},
			});
			const error = r.run?.data?.resultData?.error;
			if (r.code !== 0 || !r.run || error) {
				throw new Error(
					`workflow ${id} failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''})` +
						(error ? `: ${error.message} ${error.description ?? ''} [node ${error.node?.name ?? '?'}]` : '') +
						`; log: ${r.logFile}\n${r.stderr.slice(-2000)}`,
				);
			}
			return { run: r.run, memory: r.sample, wallMs: r.wallMs, stdoutBytes: Buffer.byteLength(r.stdout) };
		},
		/** Removes the binary files n8n stored for earlier executions (big recordings). */
		clearBinaryData() {
			fs.rmSync(binaryDir, { recursive: true, force: true });
			fs.mkdirSync(binaryDir, { recursive: true });
		},
		close: () => n8n.close(),
	};
}

/** A node's first run: its items on output 0, its execution time (ms) and start time. */
export function nodeRun(run, nodeName) {
	const task = run?.data?.resultData?.runData?.[nodeName]?.[0];
	if (!task) throw new Error(`node "${nodeName}" did not run`);
	return {
		items: task.data?.main?.[0] ?? [],
		executionTime: task.executionTime,
		startTime: task.startTime,
	};
}

export function machine() {
	const cpus = os.cpus();
	return {
		cores: cpus.length,
		cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
		memoryGiB: os.totalmem() / 1024 ** 3,
		os: `${os.type()} ${os.release()} (${os.arch()})`,
	};
}

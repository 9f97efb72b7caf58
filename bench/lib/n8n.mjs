// A real n8n 2.41.1 for the benchmark: Node 24 + n8n from the cache that scripts/n8n-runtime.mjs
// fills (installed on first use), one throw-away user folder, this package loaded the way users
// get it, and `n8n execute` runs whose process tree is sampled for memory.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ensureRuntime, n8nBin, n8nEnv, node24Bin, N8N_VERSION, parseRawOutput } from '../../scripts/n8n-runtime.mjs';
import { freePort, sampleTreeMemory, spawnGroup, stopGroup } from './proc.mjs';

export { N8N_VERSION };
import { PACKAGE_NAME } from '../../scripts/package-info.mjs';

export { PACKAGE_NAME };


/**
 * @param {{ dir: string, packageDir: string, filesDir: string, progress?: (l: string) => void }} opts
 */
export async function createN8n({ dir, packageDir, filesDir, progress }) {
	await ensureRuntime({ progress: progress ?? ((l) => process.stderr.write(`${l}\n`)) });
	const userFolder = path.join(dir, 'user');
	const work = path.join(dir, 'work');
	const binaryDir = path.join(dir, 'binary-data');
	const logs = path.join(dir, 'logs');
	for (const d of [userFolder, work, binaryDir, logs]) fs.mkdirSync(d, { recursive: true });
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	fs.symlinkSync(packageDir, path.join(modules, PACKAGE_NAME), 'dir');

	let counter = 0;
	const env = async (extra = {}) =>
		n8nEnv(userFolder, {
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
			// Binary data on disk (n8n's regular-mode default), in a folder the bench empties.
			N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
			N8N_STORAGE_PATH: binaryDir,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...extra,
		});

	/**
	 * Runs the n8n CLI to completion. With `sampleMemory`, the memory of its process tree
	 * (n8n and the task runner it starts) is sampled every 50 ms while it runs.
	 */
	async function cli(args, { timeoutMs = 10 * 60_000, sampleMemory = false, extraEnv } = {}) {
		const label = `n8n ${args[0]}`;
		const logFile = path.join(logs, `${String(++counter).padStart(3, '0')}-${args[0].replace(/\W/g, '_')}.log`);
		const started = Date.now();
		const child = spawnGroup(node24Bin(), [n8nBin(), ...args], { env: await env(extraEnv), cwd: work, label, logFile });
		const sampler = sampleMemory ? sampleTreeMemory(child.pid, { intervalMs: 50, exe: fs.realpathSync(node24Bin()) }) : undefined;
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			stopGroup(child, 1000);
		}, timeoutMs);
		const result = await child.exited;
		clearTimeout(timer);
		const memory = sampler?.stop();
		await stopGroup(child);
		return { ...result, timedOut, memory, wallMs: Date.now() - started, logFile };
	}

	async function cliOk(args, o) {
		const r = await cli(args, o);
		if (r.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''}); log: ${r.logFile}\n${r.stderr.slice(-3000)}`);
		}
		return r;
	}

	return {
		dir,
		userFolder,
		binaryDir,
		async importCredentials(creds) {
			const file = path.join(work, `credentials-${++counter}.json`);
			fs.writeFileSync(file, JSON.stringify(creds, null, 2));
			await cliOk(['import:credentials', `--input=${file}`]);
		},
		async importWorkflows(workflows) {
			const folder = path.join(work, `workflows-${++counter}`);
			fs.mkdirSync(folder);
			for (const wf of workflows) fs.writeFileSync(path.join(folder, `${wf.id}.json`), JSON.stringify(wf, null, 2));
			await cliOk(['import:workflow', '--separate', `--input=${folder}`]);
		},
		/**
		 * `n8n execute --id <id> --rawOutput`; throws unless the workflow succeeded. Returns the
		 * run (`data.resultData.runData`), the process tree's memory and the wall time.
		 */
		async execute(id, { sampleMemory = false, timeoutMs, extraEnv } = {}) {
			const r = await cli(['execute', `--id=${id}`, '--rawOutput'], { sampleMemory, timeoutMs, extraEnv });
			const run = parseRawOutput(r.stdout);
			const error = run?.data?.resultData?.error;
			if (r.code !== 0 || !run || error) {
				throw new Error(
					`workflow ${id} failed (exit ${r.code ?? r.signal}${r.timedOut ? ', timed out' : ''})` +
						(error ? `: ${error.message} ${error.description ?? ''} [node ${error.node?.name ?? '?'}]` : '') +
						`; log: ${r.logFile}\n${r.stderr.slice(-2000)}`,
				);
			}
			return { run, memory: r.memory, wallMs: r.wallMs };
		},
		/** Removes the binary files n8n stored for earlier executions (big recordings). */
		clearBinaryData() {
			fs.rmSync(binaryDir, { recursive: true, force: true });
			fs.mkdirSync(binaryDir, { recursive: true });
		},
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

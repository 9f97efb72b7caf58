// A private PostgreSQL for tests and the benchmark: Debian's `postgresql` package, an own cluster
// in a temp folder on a free loopback port (no Unix socket outside that folder), started and
// stopped by PID. Nothing of the system's own cluster is used or touched.
//
// PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user the
// package creates, and initdb/postgres run through `runuser -u postgres`.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freePort } from './processes.mjs';

const run = promisify(execFile);

/** The bin folder of the newest installed PostgreSQL (Debian layout), or undefined. */
export function findPostgres() {
	const root = '/usr/lib/postgresql';
	let versions;
	try {
		versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
	} catch {
		return undefined;
	}
	for (const v of versions) {
		const bin = path.join(root, v, 'bin');
		if (['initdb', 'postgres', 'psql', 'createdb'].every((b) => fs.existsSync(path.join(bin, b)))) return bin;
	}
	return undefined;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function asOwner(bin, args) {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

/**
 * Starts a cluster and creates `database`. Returns { port, pid, env (n8n's DB_* variables), psql(sql), stop() }.
 * The server log is `<dir>/postgres.log` (the folder belongs to the server's user).
 * @param {{ dir?: string, database?: string, user?: string }} [opts]
 */
export async function startPostgres({ dir, database = 'n8n', user = 'n8n' } = {}) {
	const bin = findPostgres();
	if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
	const base = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-pg-'));
	const data = path.join(base, 'data');
	fs.mkdirSync(data, { recursive: true, mode: 0o700 });
	if (isRoot()) {
		await run('chown', ['-R', 'postgres:postgres', base]);
		fs.chmodSync(base, 0o755);
	}
	const [initCmd, initArgs] = asOwner(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', user, '-E', 'UTF8', '--no-sync']);
	await run(initCmd, initArgs, { timeout: 120_000 });

	const port = await freePort();
	const log = path.join(base, 'postgres.log');
	fs.writeFileSync(log, '');
	if (isRoot()) await run('chown', ['postgres:postgres', log]);
	// pg_ctl starts the server in the background; its PID is read back from postmaster.pid.
	const [ctlCmd, ctlArgs] = asOwner(path.join(bin, 'pg_ctl'), [
		'-D',
		data,
		'-l',
		log,
		'-w',
		'-t',
		'60',
		'-o',
		`-p ${port} -k ${data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`,
		'start',
	]);
	await run(ctlCmd, ctlArgs, { timeout: 90_000 });
	const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster.pid in ${data}`);

	let stopped = false;
	const stop = async (graceMs = 15_000) => {
		if (stopped) return;
		stopped = true;
		// SIGINT = PostgreSQL's "fast" shutdown: disconnect clients, stop cleanly.
		try {
			process.kill(pid, 'SIGINT');
		} catch {}
		const deadline = Date.now() + graceMs;
		while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		if (pidAlive(pid)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}
		if (!dir && process.env.E2E_KEEP !== '1') fs.rmSync(base, { recursive: true, force: true });
	};
	// Never leave a server behind, also when the caller crashes.
	process.on('exit', () => {
		if (!stopped && pidAlive(pid)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}
	});

	const psql = async (sql, db = database) => {
		const { stdout } = await run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
			timeout: 30_000,
		});
		return stdout.trim();
	};
	try {
		await run(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], { timeout: 30_000 });
	} catch (err) {
		await stop();
		throw err;
	}

	return {
		port,
		pid,
		dir: base,
		log,
		database,
		user,
		psql,
		stop,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: '',
		},
	};
}

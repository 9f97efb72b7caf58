'use strict';

/**
 * A local emulator of the ElevateAI REST API, for tests and for developing workflows without
 * an account. It speaks the contract in shared/elevateai-api.md strictly (validation, status
 * codes, error bodies) and adds test hooks: fault injection, stats and a request log.
 *
 *   const { startEmulator, DEFAULT_TOKEN } = require('./emulator/server');
 *   const emu = await startEmulator({ timing: { stageMs: 50 } });
 *   // ... point the client at emu.url with X-API-Token: DEFAULT_TOKEN ...
 *   await emu.close();
 *
 * Only Node built-ins are used; no build step (plain CommonJS with JSDoc types).
 */

const http = require('node:http');
const { FaultRegistry } = require('./faults');
const { Stats } = require('./stats');
const { createRequestListener } = require('./routes');

/** The token accepted when no `tokens` option is given (a public, test-only value). */
const DEFAULT_TOKEN = '11111111-1111-4111-8111-111111111111';

/**
 * @typedef {object} EmulatorOptions
 * @property {string} [host]  default '127.0.0.1'
 * @property {number} [port]  default 0 (a free port)
 * @property {string[]} [tokens]  accepted X-API-Token values; default [DEFAULT_TOKEN]
 * @property {string} [basePath]  default '/v1'
 * @property {number | Partial<{ stageMs: number, stages: Record<string, number>, genAiMs: number }>} [timing]
 *   how long each intermediate status lasts (default stageMs 100); a number is taken as stageMs
 * @property {boolean} [exploreEnabled]  accept `metadata` on declare (default true; false → 400 as on a non-Explore account)
 * @property {number} [maxUploadBytes]  larger uploads get 413 (default 2 GiB)
 * @property {number} [seed]  seed of the PRNG used for fault probabilities (default 1)
 * @property {boolean} [quiet]  no request log lines (default true; the CLI turns logging on)
 * @property {(line: string) => void} [log]  where log lines go (default console.log)
 * @property {() => number} [clock]  time source in ms (default Date.now), e.g. for fake clocks
 */

/**
 * @typedef {object} ResolvedOptions
 * @property {string} host
 * @property {number} port
 * @property {string[]} tokens
 * @property {string} basePath
 * @property {boolean} exploreEnabled
 * @property {number} maxUploadBytes
 * @property {number} seed
 * @property {boolean} quiet
 */

/**
 * @param {EmulatorOptions} options
 * @returns {{ resolved: ResolvedOptions, timing: import('./state').Timing }}
 */
function resolveOptions(options) {
	const t = typeof options.timing === 'number' ? { stageMs: options.timing } : options.timing || {};
	const timing = {
		stageMs: t.stageMs === undefined ? 100 : t.stageMs,
		stages: { ...(t.stages || {}) },
		genAiMs: t.genAiMs || 0,
	};
	if (!(timing.stageMs >= 0)) throw new TypeError('timing.stageMs must be a number >= 0.');
	const tokens = options.tokens && options.tokens.length ? [...options.tokens] : [DEFAULT_TOKEN];
	if (tokens.some((x) => typeof x !== 'string' || !x)) throw new TypeError('tokens must be non-empty strings.');
	let basePath = options.basePath === undefined ? '/v1' : String(options.basePath);
	basePath = basePath.replace(/\/+$/, '');
	if (basePath && !basePath.startsWith('/')) basePath = `/${basePath}`;
	return {
		resolved: {
			host: options.host || '127.0.0.1',
			port: options.port || 0,
			tokens,
			basePath,
			exploreEnabled: options.exploreEnabled !== false,
			maxUploadBytes: options.maxUploadBytes || 2 * 1024 ** 3,
			seed: options.seed === undefined ? 1 : options.seed,
			quiet: options.quiet !== false,
		},
		timing,
	};
}

/**
 * Start an emulator. Resolves once it is listening.
 * @param {EmulatorOptions} [options]
 */
async function startEmulator(options = {}) {
	const { resolved, timing } = resolveOptions(options);
	const now = options.clock || Date.now;
	const print = options.log || ((/** @type {string} */ line) => console.log(line));
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	let url = '';

	/** @type {import('./routes').Env} */
	const env = {
		options: resolved,
		timing,
		store: new Map(),
		deleted: new Set(),
		faults: new FaultRegistry(resolved.seed),
		stats: new Stats(),
		requestLog: [],
		genAiInFlight: new Map(),
		now,
		sleep: (ms) =>
			new Promise((resolve) => {
				const timer = setTimeout(() => {
					timers.delete(timer);
					resolve();
				}, ms);
				timer.unref(); // never keep a test process alive
				timers.add(timer);
			}),
		log: (line) => {
			if (!resolved.quiet) print(`[elevateai-emulator] ${line}`);
		},
		reset: () => {
			for (const interaction of env.store.values()) interaction.download?.abort?.();
			env.store.clear();
			env.deleted.clear();
			env.faults.reset();
			env.stats.reset();
			env.requestLog.length = 0;
		},
		url: () => url,
	};

	const server = http.createServer(createRequestListener(env));
	// Uploads of hundreds of MB can take a while: no request timeout.
	server.requestTimeout = 0;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(resolved.port, resolved.host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('net').AddressInfo} */ (server.address());
	const shownHost = ['0.0.0.0', '::'].includes(resolved.host) ? '127.0.0.1' : resolved.host;
	const hostForUrl = shownHost.includes(':') ? `[${shownHost}]` : shownHost;
	const rootUrl = `http://${hostForUrl}:${address.port}`;
	url = `${rootUrl}${resolved.basePath}`;

	/** @type {Promise<void> | null} */
	let closing = null;

	const emulator = {
		/** API base URL, e.g. http://127.0.0.1:PORT/v1 (what the credential's baseUrl gets) */
		url,
		/** server root, where the /__emulator control endpoints live */
		rootUrl,
		port: address.port,
		host: resolved.host,
		/** the first accepted token, for convenience */
		token: resolved.tokens[0],
		timing,

		/** Stop listening and destroy every open connection (so test runners can exit). */
		close() {
			if (!closing) {
				closing = new Promise((resolve) => {
					for (const interaction of env.store.values()) interaction.download?.abort?.();
					for (const timer of timers) clearTimeout(timer);
					timers.clear();
					server.close(() => resolve());
					for (const socket of sockets) socket.destroy();
					server.closeAllConnections?.();
				});
			}
			return closing;
		},
		/** Forget interactions, faults, stats and the request log (the PRNG restarts too). */
		reset() {
			env.reset();
		},
		/**
		 * Add a fault; see faults.js for the fields.
		 * @param {import('./faults').FaultSpec} fault
		 */
		addFault(fault) {
			return env.faults.add(fault);
		},
		/** @param {number} id */
		removeFault(id) {
			return env.faults.remove(id);
		},
		clearFaults() {
			env.faults.clear();
		},
		faults() {
			return env.faults.list();
		},
		stats() {
			return env.stats.snapshot();
		},
		/** The request log (copies; X-API-Token redacted). */
		get requests() {
			return env.requestLog.map((e) => ({ ...e, headers: { ...e.headers } }));
		},
		/** Every live interaction, id → snapshot with its current status. */
		get interactions() {
			const t = now();
			return new Map([...env.store].map(([id, i]) => [id, i.snapshot(t, timing)]));
		},
		/**
		 * One interaction's snapshot (undefined when unknown or deleted).
		 * @param {string} id
		 */
		interaction(id) {
			return env.store.get(String(id).toLowerCase())?.snapshot(now(), timing);
		},
	};
	return emulator;
}

/** @typedef {Awaited<ReturnType<typeof startEmulator>>} Emulator */

// The types TypeScript callers use, all from the JSDoc of the modules that implement them
// (`import type { Emulator, FaultSpec } from '../../emulator/server'`); `tsc` checks the JSDoc
// against the code (checkJs), so there is no hand-written declaration file to drift.
/** @typedef {import('./faults').FaultSpec} FaultSpec */
/** @typedef {ReturnType<import('./faults').FaultRegistry['list']>[number]} FaultInfo */
/** @typedef {import('./stats').EmulatorStats} EmulatorStats */
/** @typedef {import('./stats').UploadStat} UploadStat */
/** @typedef {import('./state').StatusObject} StatusObject */
/** @typedef {import('./state').InteractionStatus} InteractionStatus */
/** @typedef {ReturnType<import('./state').Interaction['snapshot']>} InteractionSnapshot */
/** @typedef {import('./validate').DeclaredInteraction} DeclaredInteraction */
/** @typedef {import('./routes').RequestLogEntry} RequestLogEntry */

module.exports = { startEmulator, DEFAULT_TOKEN, resolveOptions };

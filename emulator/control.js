'use strict';

/**
 * Control endpoints, at the server root (not under basePath), with no token: they let a test
 * or a developer drive the emulator from outside the process (e.g. when it runs via cli.js).
 *
 *   GET    /__emulator                   → info (url, timing, counts)
 *   GET    /__emulator/stats             → stats snapshot
 *   GET    /__emulator/requests          → request log (tokens redacted)
 *   GET    /__emulator/interactions      → every interaction with its current status
 *   POST   /__emulator/reset             → forget interactions, faults, stats and the log
 *   GET    /__emulator/faults            → the fault list
 *   POST   /__emulator/faults            → add a fault (or an array of faults) → 201
 *   DELETE /__emulator/faults            → remove every fault
 *   DELETE /__emulator/faults/{faultId}  → remove one fault
 *
 * Control requests are not counted in stats and not faulted.
 */

const { send, sendError } = require('./http-util');
const { normalizeFault } = require('./faults');

/** @returns {import('./http-util').RequestContext} */
const plainCtx = () => ({ dropResponse: false, tap: () => true });

/**
 * Read a small JSON body (any Content-Type is accepted here, to be kind to curl users).
 * @param {import('http').IncomingMessage} req
 * @returns {Promise<unknown>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size <= 1024 * 1024) chunks.push(c);
		});
		req.on('end', () => {
			if (size > 1024 * 1024) return reject(new Error('Body too large.'));
			const text = Buffer.concat(chunks).toString('utf8').trim();
			if (!text) return resolve(undefined);
			try {
				resolve(JSON.parse(text));
			} catch (e) {
				reject(new Error(`Invalid JSON: ${/** @type {Error} */ (e).message}`));
			}
		});
		req.on('error', reject);
	});
}

/**
 * @param {import('./routes').Env} env
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {string} pathname
 */
async function handleControl(env, req, res, pathname) {
	const ctx = plainCtx();
	const method = (req.method || 'GET').toUpperCase();
	const sub = pathname.replace(/^\/__emulator\/?/, '');
	const now = env.now();

	if (sub === '' && method === 'GET') {
		return send(res, ctx, 200, {
			name: 'ElevateAI emulator',
			url: env.url(),
			basePath: env.options.basePath,
			timing: env.timing,
			exploreEnabled: env.options.exploreEnabled,
			maxUploadBytes: env.options.maxUploadBytes,
			tokens: env.options.tokens.length,
			interactions: env.store.size,
			faults: env.faults.list().length,
		});
	}
	if (sub === 'stats' && method === 'GET') return send(res, ctx, 200, env.stats.snapshot());
	if (sub === 'requests' && method === 'GET') return send(res, ctx, 200, { requests: env.requestLog.map((e) => ({ ...e })) });
	if (sub === 'interactions' && method === 'GET') {
		return send(res, ctx, 200, { interactions: [...env.store.values()].map((i) => i.snapshot(now, env.timing)) });
	}
	if (sub === 'reset' && method === 'POST') {
		env.reset();
		return send(res, ctx, 200, { reset: true });
	}
	if (sub === 'faults') {
		if (method === 'GET') return send(res, ctx, 200, { faults: env.faults.list() });
		if (method === 'DELETE') {
			const cleared = env.faults.list().length;
			env.faults.clear();
			return send(res, ctx, 200, { cleared });
		}
		if (method === 'POST') {
			let body;
			try {
				body = await readBody(req);
			} catch (e) {
				return sendError(res, ctx, 400, /** @type {Error} */ (e).message);
			}
			const specs = Array.isArray(body) ? body : [body];
			try {
				// Validate all first, so a bad entry in an array adds nothing.
				specs.forEach((s) => normalizeFault(s, 0));
				const added = specs.map((s) => env.faults.add(s));
				return send(res, ctx, 201, { faults: added });
			} catch (e) {
				return sendError(res, ctx, 400, /** @type {Error} */ (e).message);
			}
		}
	}
	const one = /^faults\/(\d+)$/.exec(sub);
	if (one && method === 'DELETE') {
		return env.faults.remove(Number(one[1]))
			? send(res, ctx, 200, { removed: Number(one[1]) })
			: sendError(res, ctx, 404, `No fault #${one[1]}.`);
	}
	return sendError(res, ctx, 404, `No such control endpoint: ${method} ${pathname}.`);
}

module.exports = { handleControl };

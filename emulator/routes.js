'use strict';

/**
 * The request pipeline and the API endpoints.
 *
 * For every request under basePath: log + count it → apply a matching fault (delay, drop, or
 * canned answer) → check X-API-Token → route → handler. Control endpoints under /__emulator
 * bypass all of that (see control.js).
 */

const crypto = require('node:crypto');
const { HttpError, send, sendError, readJsonBody, redactHeaders, redactUri } = require('./http-util');
const { validateDeclare } = require('./validate');
const { Interaction, isFinal } = require('./state');
const { startDownload } = require('./download');
const { handleUpload } = require('./upload');
const results = require('./results');
const { handleControl } = require('./control');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_JSON_BYTES = 10 * 1024 * 1024;
const GEN_AI_CONCURRENCY = 10;
const MAX_LOGGED_REQUESTS = 10000;

/**
 * Everything the handlers share (built by server.js).
 * @typedef {object} Env
 * @property {import('./server').ResolvedOptions} options
 * @property {import('./state').Timing} timing
 * @property {Map<string, Interaction>} store
 * @property {Set<string>} deleted  ids deleted through the API (for a clearer 404)
 * @property {import('./faults').FaultRegistry} faults
 * @property {import('./stats').Stats} stats
 * @property {RequestLogEntry[]} requestLog
 * @property {Map<number, number>} genAiInFlight  per token (by index in options.tokens)
 * @property {() => number} now
 * @property {(ms: number) => Promise<void>} sleep  cancelled by close()
 * @property {(line: string) => void} log
 * @property {() => void} reset
 * @property {() => string} url
 */

/**
 * @typedef {object} RequestLogEntry
 * @property {number} seq
 * @property {string} method
 * @property {string} path  the request target as received (query included)
 * @property {string} route  e.g. "GET /interactions/:id/status"
 * @property {Record<string, string | string[] | undefined>} headers  X-API-Token shows as [REDACTED]
 * @property {number | null} status  null when no answer was sent (dropped connection)
 * @property {boolean} dropped
 * @property {number | null} faultId
 * @property {string | null} interactionIdentifier
 * @property {string} startedAt
 * @property {number | null} durationMs
 */

/**
 * @typedef {import('./http-util').RequestContext & {
 *   token: number, processingFault: import('./faults').Fault | null }} Ctx
 */

/**
 * @typedef {object} Route
 * @property {string} method
 * @property {RegExp} pattern  first group, if any, is the interaction id
 * @property {string} key  the name used in stats.byRoute
 * @property {(env: Env, req: import('http').IncomingMessage, res: import('http').ServerResponse, ctx: Ctx, id: string) => Promise<void> | void} handle
 */

/** @type {Route[]} */
const ROUTES = [
	{ method: 'POST', pattern: /^\/interactions$/, key: 'POST /interactions', handle: declare },
	{ method: 'POST', pattern: /^\/interactions\/([^/]+)\/upload$/, key: 'POST /interactions/:id/upload', handle: upload },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/status$/, key: 'GET /interactions/:id/status', handle: status },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)$/, key: 'GET /interactions/:id', handle: declaredParameters },
	{ method: 'DELETE', pattern: /^\/interactions\/([^/]+)$/, key: 'DELETE /interactions/:id', handle: remove },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/transcript$/, key: 'GET /interactions/:id/transcript', handle: resultRoute((d, i) => results.phraseByPhrase(d, i)) },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/transcripts\/punctuated$/, key: 'GET /interactions/:id/transcripts/punctuated', handle: resultRoute((d, i) => results.punctuated(d, i)) },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/ai$/, key: 'GET /interactions/:id/ai', handle: ai },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/gen-ai\/cx\/summary$/, key: 'GET /interactions/:id/gen-ai/cx/summary', handle: genAi((d, i, req) => results.summary(d, i, /** @type {string | undefined} */ (req.headers['accept-language']))) },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/gen-ai\/cx\/summary\/details$/, key: 'GET /interactions/:id/gen-ai/cx/summary/details', handle: genAi((d, i) => results.summaryDetails(d, i)) },
	// Illustrative answers: ElevateAI has not published these shapes (see results.js).
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/gen-ai\/cx\/agent\/action-items$/, key: 'GET /interactions/:id/gen-ai/cx/agent/action-items', handle: genAi((d, i) => results.agentActionItems(d, i)) },
	{ method: 'GET', pattern: /^\/interactions\/([^/]+)\/gen-ai\/cx\/agent\/coaching-assistant$/, key: 'GET /interactions/:id/gen-ai/cx/agent/coaching-assistant', handle: genAi((d, i) => results.agentCoaching(d, i)) },
];

/**
 * @param {string} method
 * @param {string} path
 * @returns {{ route: Route, id: string } | { allow: string[] } | null}
 */
function matchRoute(method, path) {
	/** @type {string[]} */
	const allow = [];
	for (const route of ROUTES) {
		const m = route.pattern.exec(path);
		if (!m) continue;
		if (route.method === method) return { route, id: m[1] || '' };
		allow.push(route.method);
	}
	return allow.length ? { allow } : null;
}

/**
 * Build the server's request listener.
 * @param {Env} env
 * @returns {(req: import('http').IncomingMessage, res: import('http').ServerResponse) => void}
 */
function createRequestListener(env) {
	let seq = 0;
	return function onRequest(req, res) {
		const target = req.url || '/';
		const pathname = target.split('?')[0];
		if (pathname === '/__emulator' || pathname.startsWith('/__emulator/')) {
			handleControl(env, req, res, pathname).catch((err) => {
				if (!res.headersSent) sendError(res, plainCtx(), 500, String(err && err.message));
			});
			return;
		}

		const method = (req.method || 'GET').toUpperCase();
		const base = env.options.basePath;
		const underBase = pathname === base || pathname.startsWith(`${base}/`) || base === '';
		const apiPath = underBase ? pathname.slice(base.length) || '/' : null;
		const match = apiPath === null ? null : matchRoute(method, apiPath);
		const routeKey = match && 'route' in match ? match.route.key : `${method} (no such route)`;
		const id = match && 'route' in match ? match.id.toLowerCase() : null;
		const startedAt = env.now();

		/** @type {RequestLogEntry} */
		const entry = {
			seq: ++seq,
			method,
			path: target,
			route: routeKey,
			headers: redactHeaders(req.headers),
			status: null,
			dropped: false,
			faultId: null,
			interactionIdentifier: id || null,
			startedAt: new Date(startedAt).toISOString(),
			durationMs: null,
		};
		env.requestLog.push(entry);
		if (env.requestLog.length > MAX_LOGGED_REQUESTS) env.requestLog.shift();
		env.stats.requestStarted(routeKey);
		if (routeKey === 'GET /interactions/:id/status' && id) env.stats.statusPolled(id, startedAt);

		/** @type {Ctx} */
		const ctx = { ...plainCtx(), token: -1, processingFault: null };
		res.on('close', () => {
			entry.status = ctx.answeredStatus === undefined || ctx.dropped ? null : ctx.answeredStatus;
			entry.dropped = entry.status === null;
			entry.durationMs = env.now() - startedAt;
			env.stats.requestEnded(entry.status);
			env.log(`${method} ${target} → ${entry.status === null ? 'dropped' : entry.status} (${entry.durationMs} ms)${entry.faultId ? ` [fault #${entry.faultId}]` : ''}`);
		});

		handle(env, req, res, ctx, { method, apiPath, match, id, entry }).catch((err) => {
			if (err instanceof HttpError) sendError(res, ctx, err.status, err.message, err.headers);
			else {
				env.log(`internal error: ${err && err.stack}`);
				sendError(res, ctx, 500, `Emulator internal error: ${err && err.message}`);
			}
		}).finally(() => {
			// A processing-failure fault that found no interaction to fail is given back.
			if (ctx.processingFault) env.faults.refund(ctx.processingFault);
		});
	};
}

/** @returns {import('./http-util').RequestContext} */
function plainCtx() {
	return { dropResponse: false, tap: () => true };
}

/**
 * @param {Env} env
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {Ctx} ctx
 * @param {{ method: string, apiPath: string | null, match: ReturnType<typeof matchRoute>, id: string | null, entry: RequestLogEntry }} r
 */
async function handle(env, req, res, ctx, r) {
	if (r.apiPath !== null && (await applyFault(env, req, res, ctx, r))) return;

	// Authentication comes before routing, as on the real service.
	const token = req.headers['x-api-token'];
	ctx.token = typeof token === 'string' ? env.options.tokens.indexOf(token) : -1;
	if (ctx.token < 0) {
		throw new HttpError(401, token ? 'Unauthorized: the X-API-Token is not valid.' : 'Unauthorized: the X-API-Token header is missing.');
	}
	if (!r.match) throw new HttpError(404, `No such endpoint: ${r.method} ${req.url}.`);
	if ('allow' in r.match) {
		throw new HttpError(405, `Method ${r.method} is not allowed here (allowed: ${r.match.allow.join(', ')}).`, { Allow: r.match.allow.join(', ') });
	}
	await r.match.route.handle(env, req, res, ctx, r.id || '');
}

/**
 * Apply the first matching fault. Returns true when the request is fully handled by it.
 * @param {Env} env
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {Ctx} ctx
 * @param {{ method: string, apiPath: string | null, match: ReturnType<typeof matchRoute>, id: string | null, entry: RequestLogEntry }} r
 */
async function applyFault(env, req, res, ctx, r) {
	const targetsInteraction = !!r.id || (r.match !== null && 'route' in r.match && r.match.route.key === 'POST /interactions');
	const fault = env.faults.take(r.method, /** @type {string} */ (r.apiPath), (f) => f.action !== 'processing-failure' || targetsInteraction);
	if (!fault) return false;
	r.entry.faultId = fault.id;
	const record = (/** @type {string} */ kind) =>
		env.stats.faultsApplied.push({ faultId: fault.id, method: r.method, path: /** @type {string} */ (r.apiPath), kind, at: new Date(env.now()).toISOString() });

	if (fault.delayMs) {
		await env.sleep(fault.delayMs);
		if (res.destroyed) return true; // the client gave up while we were "slow"
	}
	switch (fault.action) {
		case 'drop-before-body':
			record('drop-before-body');
			ctx.dropped = true;
			req.socket.destroy();
			return true;
		case 'drop-after-body':
			record('drop-after-body');
			ctx.dropResponse = true; // handled normally, but the answer is never sent
			return false;
		case 'drop-mid-upload': {
			record('drop-mid-upload');
			let seen = 0;
			ctx.tap = (chunk) => {
				seen += chunk.length;
				if (seen < fault.afterBytes) return true;
				ctx.dropped = true;
				req.socket.destroy();
				return false;
			};
			return false;
		}
		case 'processing-failure':
			ctx.processingFault = fault; // recorded when an interaction is actually marked
			return false;
		default:
			break;
	}
	if (fault.status !== null) {
		record(`status ${fault.status}`);
		const body = fault.body === undefined ? { errorMessage: `Emulated fault: HTTP ${fault.status}.` } : fault.body;
		send(res, ctx, fault.status, body, fault.headers);
		return true;
	}
	record(`delay ${fault.delayMs} ms`);
	return false;
}

/**
 * Mark the interaction as failing if a processing-failure fault is pending for this request.
 * @param {Env} env
 * @param {Ctx} ctx
 * @param {Interaction} interaction
 */
function consumeProcessingFault(env, ctx, interaction) {
	const fault = ctx.processingFault;
	if (!fault) return;
	if (isFinal(interaction.statusAt(env.now(), env.timing).status)) return; // too late: refunded
	ctx.processingFault = null;
	interaction.failProcessing = fault.errorMessage || 'Processing failed (emulated fault).';
	env.stats.faultsApplied.push({ faultId: fault.id, method: 'any', path: `/interactions/${interaction.id}`, kind: 'processing-failure', at: new Date(env.now()).toISOString() });
}

/**
 * Find an interaction or throw the 404 the API gives.
 * @param {Env} env
 * @param {Ctx} ctx
 * @param {string} id
 */
function lookup(env, ctx, id) {
	if (!GUID.test(id)) {
		throw new HttpError(404, `"${decodeSafe(id).slice(0, 64)}" is not a valid interaction identifier (a GUID is expected).`);
	}
	const interaction = env.store.get(id);
	if (!interaction) {
		throw new HttpError(404, env.deleted.has(id) ? `Interaction ${id} was deleted.` : `Interaction ${id} was not found.`);
	}
	consumeProcessingFault(env, ctx, interaction);
	return interaction;
}

/** @param {string} s */
function decodeSafe(s) {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/**
 * Results exist only once the interaction is processed; before that, and after a failure, 404.
 * @param {Env} env
 * @param {Interaction} interaction
 */
function requireProcessed(env, interaction) {
	const s = interaction.statusAt(env.now(), env.timing);
	if (s.status === 'processed') return;
	if (isFinal(s.status)) {
		throw new HttpError(404, `Interaction ${interaction.id} has no results: it ended in ${s.status}${s.errorMessage ? ` (${s.errorMessage})` : ''}.`);
	}
	throw new HttpError(404, `Interaction ${interaction.id} has not been processed yet (status: ${s.status}).`);
}

// ---------------------------------------------------------------------------------------
// Endpoints
// ---------------------------------------------------------------------------------------

/** POST /interactions @type {Route['handle']} */
async function declare(env, req, res, ctx) {
	const body = await readJsonBody(req, ctx, MAX_JSON_BYTES);
	const declared = validateDeclare(body, { exploreEnabled: env.options.exploreEnabled });
	const id = crypto.randomUUID();
	const now = env.now();
	const interaction = new Interaction({ id, declaredAt: now, declared, tokenHint: String(ctx.token) });
	if (declared.downloadUri) {
		const uri = declared.downloadUri;
		interaction.mediaName ||= decodeSafe(new URL(uri).pathname.split('/').filter(Boolean).pop() || '') || null;
		/** @type {import('./stats').Stats['downloads'][number]} */
		const stat = { interactionIdentifier: id, uri: redactUri(uri), mode: '', size: null, sha256: null, failed: false, errorMessage: null };
		const dl = startDownload(uri, {
			now: env.now,
			maxBytes: env.options.maxUploadBytes,
			onDone: (d) => Object.assign(stat, { size: d.size, sha256: d.sha256, failed: d.failed, errorMessage: d.errorMessage }),
		});
		Object.assign(stat, { mode: dl.mode, failed: dl.failed, errorMessage: dl.errorMessage });
		interaction.download = dl;
		env.stats.downloads.push(stat);
	}
	env.store.set(id, interaction);
	consumeProcessingFault(env, ctx, interaction);
	env.stats.declares += 1;
	env.stats.declaresByType[declared.type] = (env.stats.declaresByType[declared.type] || 0) + 1;
	send(res, ctx, 201, { interactionIdentifier: id });
}

/** POST /interactions/{id}/upload @type {Route['handle']} */
async function upload(env, req, res, ctx, id) {
	await handleUpload(env, req, res, ctx, lookup(env, ctx, id));
}

/** GET /interactions/{id}/status @type {Route['handle']} */
function status(env, req, res, ctx, id) {
	const { finalAt, ...body } = lookup(env, ctx, id).statusAt(env.now(), env.timing);
	send(res, ctx, 200, body);
}

/** GET /interactions/{id}: the declared parameters (available at any time). @type {Route['handle']} */
function declaredParameters(env, req, res, ctx, id) {
	const { id: identifier, declared: d } = lookup(env, ctx, id);
	/** @type {Record<string, unknown>} */
	const body = {
		identifier,
		type: d.type,
		languageTag: d.languageTag,
		vertical: d.vertical,
		audioTranscriptionMode: d.audioTranscriptionMode,
		includeAiResults: d.includeAiResults,
		downloadUri: d.downloadUri,
		transcript: null,
		chat: null,
	};
	if (d.externalIdentifier !== null) body.externalIdentifier = d.externalIdentifier;
	if (d.originalFilename !== null) body.originalFilename = d.originalFilename;
	if (d.model !== null) body.model = d.model;
	send(res, ctx, 200, body);
}

/** DELETE /interactions/{id} @type {Route['handle']} */
function remove(env, req, res, ctx, id) {
	const interaction = lookup(env, ctx, id);
	interaction.download?.abort?.();
	env.store.delete(interaction.id);
	env.deleted.add(interaction.id);
	env.stats.deletes += 1;
	send(res, ctx, 200);
}

/**
 * A result endpoint: 404 before processed, 204 when there is no speech.
 * @param {(declared: import('./validate').DeclaredInteraction, i: Interaction, req: import('http').IncomingMessage) => unknown} build
 * @returns {Route['handle']}
 */
function resultRoute(build) {
	return (env, req, res, ctx, id) => {
		const interaction = lookup(env, ctx, id);
		requireProcessed(env, interaction);
		const body = build(interaction.declared, interaction, req);
		if (body === null) send(res, ctx, 204);
		else send(res, ctx, 200, body);
	};
}

/** GET /interactions/{id}/ai @type {Route['handle']} */
function ai(env, req, res, ctx, id) {
	const interaction = lookup(env, ctx, id);
	requireProcessed(env, interaction);
	if (!interaction.declared.includeAiResults) {
		throw new HttpError(404, `Interaction ${interaction.id} has no CX AI results: it was declared with includeAiResults false.`);
	}
	send(res, ctx, 200, results.cxAi(interaction.declared, interaction));
}

/**
 * A generative-AI endpoint: at most 10 at once per token (429 beyond), each taking
 * `timing.genAiMs` so that tests can hold several open.
 * @param {(declared: import('./validate').DeclaredInteraction, i: Interaction, req: import('http').IncomingMessage) => unknown} build
 * @returns {Route['handle']}
 */
function genAi(build) {
	const inner = resultRoute(build);
	return async (env, req, res, ctx, id) => {
		const running = env.genAiInFlight.get(ctx.token) || 0;
		if (running >= GEN_AI_CONCURRENCY) {
			env.stats.genAiRejected += 1;
			throw new HttpError(429, `Too many concurrent generative AI requests: at most ${GEN_AI_CONCURRENCY} at once per account.`);
		}
		env.genAiInFlight.set(ctx.token, running + 1);
		env.stats.genAiMaxConcurrent = Math.max(env.stats.genAiMaxConcurrent, running + 1);
		try {
			if (env.timing.genAiMs > 0) await env.sleep(env.timing.genAiMs);
			if (!res.destroyed) await inner(env, req, res, ctx, id);
		} finally {
			env.genAiInFlight.set(ctx.token, (env.genAiInFlight.get(ctx.token) || 1) - 1);
		}
	};
}

module.exports = { createRequestListener, matchRoute, ROUTES, GUID };

'use strict';

/**
 * Fault injection: a list of rules checked, in the order they were added, against every API
 * request (control endpoints under /__emulator are never faulted). The first rule that matches
 * the method and path, still has `times` left and wins its `probability` roll is applied.
 * Probability rolls use a seeded PRNG so that a run with the same seed faults the same requests.
 */

const ACTIONS = [
	'drop-before-body',
	'drop-after-body',
	'drop-mid-upload',
	'processing-failure',
];

/** Upload path: the default target of 'drop-mid-upload' when no path is given. */
const UPLOAD_PATH = '^/interactions/[^/]+/upload$';

/**
 * @typedef {object} FaultSpec
 * @property {string} [method]  HTTP method to match (any when absent)
 * @property {string} [path]  regular expression matched against the path after basePath
 * @property {number | null} [times]  how many times it applies (default 1; -1, null or Infinity = always)
 * @property {number} [probability]  0..1 chance to apply on each matching request (default 1)
 * @property {number} [status]  answer with this HTTP status instead of handling the request
 * @property {unknown} [body]  answer body (object → JSON, string as is); default {"errorMessage"}
 * @property {Record<string, string>} [headers]  extra answer headers, e.g. {"Retry-After": "1"}
 * @property {number} [delayMs]  wait this long before doing anything else (slow answer)
 * @property {'drop-before-body'|'drop-after-body'|'drop-mid-upload'|'processing-failure'} [action]
 * @property {number} [afterBytes]  drop-mid-upload: destroy the socket after this many body bytes (default 65536)
 * @property {string} [errorMessage]  processing-failure: the status errorMessage to report
 */

/**
 * @typedef {object} Fault
 * @property {number} id
 * @property {string | null} method
 * @property {string | null} path
 * @property {RegExp | null} regex
 * @property {number} remaining  Infinity for "always"
 * @property {number} probability
 * @property {number | null} status
 * @property {unknown} body
 * @property {Record<string, string>} headers
 * @property {number} delayMs
 * @property {string | null} action
 * @property {number} afterBytes
 * @property {string | null} errorMessage
 * @property {number} applied  how many times it was applied so far
 */

/**
 * Mulberry32: a tiny, fast, seedable PRNG (good enough for test reproducibility).
 * @param {number} seed
 * @returns {() => number} a function giving floats in [0, 1)
 */
function mulberry32(seed) {
	let a = seed >>> 0;
	return function next() {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Check and normalise a fault description; throws a TypeError with a readable message.
 * @param {FaultSpec} spec
 * @param {number} id
 * @returns {Fault}
 */
function normalizeFault(spec, id) {
	if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
		throw new TypeError('A fault must be an object.');
	}
	const s = /** @type {Record<string, any>} */ (spec);
	const known = [
		'method', 'path', 'times', 'probability', 'status', 'body', 'headers', 'delayMs',
		'action', 'afterBytes', 'errorMessage',
	];
	for (const key of Object.keys(s)) {
		if (!known.includes(key)) throw new TypeError(`Unknown fault field "${key}".`);
	}
	if (s.method !== undefined && typeof s.method !== 'string') throw new TypeError('fault.method must be a string.');
	if (s.action !== undefined && !ACTIONS.includes(s.action)) {
		throw new TypeError(`fault.action must be one of ${ACTIONS.join(', ')}.`);
	}
	let path = s.path === undefined ? null : s.path;
	if (path === null && s.action === 'drop-mid-upload') path = UPLOAD_PATH;
	/** @type {RegExp | null} */
	let regex = null;
	if (path !== null) {
		if (typeof path !== 'string') throw new TypeError('fault.path must be a regular expression string.');
		try {
			regex = new RegExp(path);
		} catch (e) {
			throw new TypeError(`fault.path is not a valid regular expression: ${/** @type {Error} */ (e).message}`);
		}
	}
	let remaining = 1;
	if (s.times === null || s.times === -1 || s.times === Infinity || s.times === 'Infinity') remaining = Infinity;
	else if (s.times !== undefined) {
		if (!Number.isInteger(s.times) || s.times < 1) throw new TypeError('fault.times must be a positive integer, or -1 for always.');
		remaining = s.times;
	}
	const probability = s.probability === undefined ? 1 : s.probability;
	if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
		throw new TypeError('fault.probability must be a number from 0 to 1.');
	}
	if (s.status !== undefined && (!Number.isInteger(s.status) || s.status < 100 || s.status > 599)) {
		throw new TypeError('fault.status must be an HTTP status code (100-599).');
	}
	if (s.headers !== undefined) {
		if (!s.headers || typeof s.headers !== 'object' || Array.isArray(s.headers)) throw new TypeError('fault.headers must be an object.');
		for (const v of Object.values(s.headers)) {
			if (typeof v !== 'string' && typeof v !== 'number') throw new TypeError('fault.headers values must be strings.');
		}
	}
	if (s.delayMs !== undefined && !(typeof s.delayMs === 'number' && s.delayMs >= 0)) {
		throw new TypeError('fault.delayMs must be a number >= 0.');
	}
	if (s.afterBytes !== undefined && !(Number.isInteger(s.afterBytes) && s.afterBytes >= 0)) {
		throw new TypeError('fault.afterBytes must be an integer >= 0.');
	}
	if (s.errorMessage !== undefined && typeof s.errorMessage !== 'string') throw new TypeError('fault.errorMessage must be a string.');
	if (s.status === undefined && s.action === undefined && !s.delayMs) {
		throw new TypeError('A fault needs a status, an action or a delayMs, otherwise it does nothing.');
	}
	if (s.status !== undefined && s.action !== undefined) {
		throw new TypeError('A fault has either a status (an answer) or an action, not both.');
	}
	/** @type {Record<string, string>} */
	const headers = {};
	for (const [k, v] of Object.entries(s.headers || {})) headers[k] = String(v);
	return {
		id,
		method: s.method ? s.method.toUpperCase() : null,
		path,
		regex,
		remaining,
		probability,
		status: s.status === undefined ? null : s.status,
		body: s.body,
		headers,
		delayMs: s.delayMs || 0,
		action: s.action || null,
		afterBytes: s.afterBytes === undefined ? 65536 : s.afterBytes,
		errorMessage: s.errorMessage === undefined ? null : s.errorMessage,
		applied: 0,
	};
}

/**
 * A plain-JSON view of a fault (Infinity becomes -1 so it survives JSON).
 * @param {Fault} f
 */
function describeFault(f) {
	return {
		id: f.id,
		method: f.method,
		path: f.path,
		remaining: f.remaining === Infinity ? -1 : f.remaining,
		probability: f.probability,
		status: f.status,
		action: f.action,
		delayMs: f.delayMs,
		afterBytes: f.action === 'drop-mid-upload' ? f.afterBytes : undefined,
		applied: f.applied,
	};
}

class FaultRegistry {
	/** @param {number} seed */
	constructor(seed) {
		this.seed = seed;
		/** @type {Fault[]} */
		this.faults = [];
		this.nextId = 1;
		this.random = mulberry32(seed);
	}

	/** Forget every fault and restart the PRNG, so a reset run is reproducible. */
	reset() {
		this.faults = [];
		this.nextId = 1;
		this.random = mulberry32(this.seed);
	}

	/**
	 * @param {FaultSpec} spec
	 * @returns {ReturnType<typeof describeFault>}
	 */
	add(spec) {
		const fault = normalizeFault(spec, this.nextId);
		this.nextId += 1;
		this.faults.push(fault);
		return describeFault(fault);
	}

	/** @param {number} id */
	remove(id) {
		const before = this.faults.length;
		this.faults = this.faults.filter((f) => f.id !== id);
		return this.faults.length !== before;
	}

	clear() {
		this.faults = [];
	}

	list() {
		return this.faults.map(describeFault);
	}

	/**
	 * Give back a use that had no effect (a processing-failure fault that found no interaction).
	 * @param {Fault} fault
	 */
	refund(fault) {
		fault.remaining += 1;
		fault.applied -= 1;
	}

	/**
	 * Find (and consume one use of) the fault that applies to this request, if any.
	 * @param {string} method
	 * @param {string} path  the path after basePath, without the query string
	 * @param {(fault: Fault) => boolean} [eligible]  extra condition checked before the roll
	 * @returns {Fault | null}
	 */
	take(method, path, eligible) {
		for (const fault of this.faults) {
			if (fault.remaining <= 0) continue;
			if (fault.method && fault.method !== method) continue;
			if (fault.regex && !fault.regex.test(path)) continue;
			if (eligible && !eligible(fault)) continue;
			if (fault.probability < 1 && !(this.random() < fault.probability)) continue;
			fault.remaining -= 1;
			fault.applied += 1;
			return fault;
		}
		return null;
	}
}

module.exports = { FaultRegistry, normalizeFault, describeFault, mulberry32, ACTIONS };

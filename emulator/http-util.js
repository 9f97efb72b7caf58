'use strict';

/**
 * Small HTTP helpers shared by the routes: JSON answers, error answers and a bounded JSON body
 * reader. Every answer goes through `send` so that the "drop-after-body" fault can turn any
 * answer into a broken connection in one place.
 */

/** An error that maps to an HTTP answer `{"errorMessage": message}`. */
class HttpError extends Error {
	/**
	 * @param {number} status
	 * @param {string} message
	 * @param {Record<string, string>} [headers]
	 */
	constructor(status, message, headers) {
		super(message);
		this.name = 'HttpError';
		this.status = status;
		this.headers = headers || {};
	}
}

/**
 * @typedef {object} RequestContext
 * @property {boolean} dropResponse  when true, `send` destroys the socket instead of answering
 * @property {(chunk: Buffer) => boolean} tap  called with every body chunk; false = connection dropped
 * @property {number} [answeredStatus]  the status that was sent (for the request log)
 * @property {boolean} [dropped]  the connection was destroyed on purpose
 */

/**
 * Send an answer (or, under a drop-after-body fault, destroy the connection instead).
 * @param {import('http').ServerResponse} res
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {unknown} [body]  object → JSON; string/Buffer → sent as is; undefined → empty body
 * @param {Record<string, string>} [headers]
 */
function send(res, ctx, status, body, headers) {
	if (res.headersSent || res.destroyed) return;
	if (ctx.dropResponse) {
		ctx.dropped = true;
		res.socket?.destroy();
		return;
	}
	/** @type {Buffer} */
	let payload;
	/** @type {Record<string, string>} */
	const outHeaders = {};
	if (body === undefined || body === null) {
		payload = Buffer.alloc(0);
	} else if (typeof body === 'string' || Buffer.isBuffer(body)) {
		payload = Buffer.from(body);
		outHeaders['Content-Type'] = 'text/plain; charset=utf-8';
	} else {
		payload = Buffer.from(JSON.stringify(body));
		outHeaders['Content-Type'] = 'application/json; charset=utf-8';
	}
	if (status === 204) payload = Buffer.alloc(0);
	if (payload.length === 0) delete outHeaders['Content-Type'];
	outHeaders['Content-Length'] = String(payload.length);
	Object.assign(outHeaders, headers || {});
	ctx.answeredStatus = status;
	res.writeHead(status, outHeaders);
	res.end(payload);
}

/**
 * @param {import('http').ServerResponse} res
 * @param {RequestContext} ctx
 * @param {number} status
 * @param {string} message
 * @param {Record<string, string>} [headers]
 */
function sendError(res, ctx, status, message, headers) {
	send(res, ctx, status, { errorMessage: message }, headers);
}

/**
 * Read a JSON request body (bounded), checking the Content-Type first as the real API does.
 * @param {import('http').IncomingMessage} req
 * @param {RequestContext} ctx
 * @param {number} limit  maximum body size in bytes
 * @returns {Promise<unknown>}
 */
function readJsonBody(req, ctx, limit) {
	const type = String(req.headers['content-type'] || '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	if (type !== 'application/json') {
		return Promise.reject(
			new HttpError(400, `Content-Type must be application/json (got "${type || 'none'}").`),
		);
	}
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let failed = false;
		req.on('data', (/** @type {Buffer} */ chunk) => {
			if (failed) return;
			if (!ctx.tap(chunk)) {
				failed = true;
				return; // the connection was dropped on purpose; nobody is listening any more
			}
			size += chunk.length;
			if (size > limit) {
				failed = true;
				reject(new HttpError(413, `Request body larger than ${limit} bytes.`));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (failed) return;
			const text = Buffer.concat(chunks).toString('utf8');
			try {
				resolve(JSON.parse(text));
			} catch (e) {
				reject(new HttpError(400, `The request body is not valid JSON: ${/** @type {Error} */ (e).message}`));
			}
		});
		req.on('error', (err) => {
			if (!failed) reject(err);
			failed = true;
		});
	});
}

/**
 * Copy request headers for the log, hiding credentials.
 * @param {import('http').IncomingHttpHeaders} headers
 * @returns {Record<string, string | string[] | undefined>}
 */
function redactHeaders(headers) {
	/** @type {Record<string, string | string[] | undefined>} */
	const out = {};
	for (const [name, value] of Object.entries(headers)) {
		out[name] = /^(x-api-token|authorization|cookie|proxy-authorization)$/i.test(name)
			? '[REDACTED]'
			: value;
	}
	return out;
}

/**
 * Hide the user:password part of a URI (sftp URIs may carry one) before it is logged.
 * @param {string} uri
 */
function redactUri(uri) {
	return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1[REDACTED]@');
}

module.exports = { HttpError, send, sendError, readJsonBody, redactHeaders, redactUri };

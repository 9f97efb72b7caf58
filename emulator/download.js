'use strict';

/**
 * The `downloadUri` side of a declare. The emulator never reaches outside the machine:
 * - http(s) URIs on 127.0.0.1 / localhost / [::1] are really fetched (streamed, counted and
 *   hashed, never stored), so a test can serve a file and check what arrived;
 * - any other URI is simulated: success, unless it contains `download-fails`.
 */

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** @typedef {import('./state').DownloadRecord} DownloadRecord */

/**
 * @param {string} uri
 * @returns {boolean} true when the URI is fetched for real
 */
function isLocalHttp(uri) {
	try {
		const url = new URL(uri);
		return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
	} catch {
		return false;
	}
}

/**
 * Start "downloading" a declared downloadUri.
 * @param {string} uri
 * @param {object} opts
 * @param {() => number} opts.now
 * @param {number} opts.maxBytes  a larger file fails like an over-size upload would
 * @param {number} [opts.timeoutMs]  socket inactivity limit for real downloads
 * @param {(record: DownloadRecord) => void} [opts.onDone]  called once a real download ends
 * @returns {DownloadRecord}
 */
function startDownload(uri, opts) {
	/** @type {DownloadRecord} */
	const record = {
		mode: isLocalHttp(uri) ? 'real' : 'simulated',
		startedAt: opts.now(),
		finishedAt: null,
		failed: false,
		errorMessage: null,
		size: null,
		sha256: null,
	};
	if (record.mode === 'simulated') {
		if (uri.toLowerCase().includes('download-fails')) {
			record.failed = true;
			record.errorMessage = 'The file could not be downloaded from the downloadUri (emulated failure).';
		}
		return record;
	}

	let finished = false;
	/** @param {string | null} error */
	const finish = (error) => {
		if (finished) return;
		finished = true;
		record.finishedAt = opts.now();
		if (error) {
			record.failed = true;
			record.errorMessage = `The file could not be downloaded from the downloadUri: ${error}`;
		}
		opts.onDone?.(record);
	};

	const client = uri.startsWith('https:') ? https : http;
	const hash = crypto.createHash('sha256');
	let size = 0;
	// Loopback https servers in tests use self-signed certificates: do not verify them.
	const req = client.get(uri, { rejectUnauthorized: false, agent: false }, (res) => {
		const status = res.statusCode || 0;
		if (status < 200 || status > 299) {
			res.resume();
			finish(`the server answered HTTP ${status}.`);
			return;
		}
		res.on('data', (/** @type {Buffer} */ chunk) => {
			size += chunk.length;
			if (size > opts.maxBytes) {
				finish(`the file is larger than ${opts.maxBytes} bytes.`);
				req.destroy();
				return;
			}
			hash.update(chunk);
		});
		res.on('end', () => {
			if (finished) return;
			record.size = size;
			record.sha256 = hash.digest('hex');
			finish(null);
		});
		res.on('error', (err) => finish(err.message));
		res.on('aborted', () => finish('the connection was closed before the whole file arrived.'));
	});
	req.setTimeout(opts.timeoutMs || 60000, () => {
		finish('the download timed out.');
		req.destroy();
	});
	req.on('error', (err) => finish(/** @type {NodeJS.ErrnoException} */ (err).code || err.message));
	record.abort = () => {
		finish('the emulator was stopped.');
		req.destroy();
	};
	return record;
}

module.exports = { startDownload, isLocalHttp };

'use strict';

/**
 * A streaming multipart/form-data parser (RFC 7578 / RFC 2046).
 *
 * Part bodies are never buffered: each chunk is scanned for the next delimiter with
 * Buffer#indexOf and handed to the part's sink straight away. Only a tail as long as the
 * delimiter is carried over between chunks (a delimiter may straddle two chunks), and part
 * headers are bounded, so memory stays flat whatever the size of the upload.
 */

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER_BYTES = 16 * 1024;

class MultipartError extends Error {
	/** @param {string} message */
	constructor(message) {
		super(message);
		this.name = 'MultipartError';
	}
}

/**
 * @typedef {object} PartInfo
 * @property {Record<string, string>} headers  lower-cased header names
 * @property {string | null} name  the form field name
 * @property {string | null} filename  the file name, when the part is a file
 * @property {string | null} contentType
 */

/**
 * @typedef {object} PartSink
 * @property {(chunk: Buffer) => void} data
 * @property {() => void} end
 */

/**
 * Read the boundary out of a Content-Type header; throws MultipartError when it is not multipart.
 * @param {string | undefined} contentType
 * @returns {string}
 */
function boundaryOf(contentType) {
	const value = String(contentType || '');
	const [type, ...params] = splitHeaderParams(value);
	if (type.toLowerCase() !== 'multipart/form-data') {
		throw new MultipartError(`Content-Type must be multipart/form-data (got "${type || 'none'}").`);
	}
	const boundary = params.find((p) => p.key === 'boundary')?.value;
	if (!boundary) throw new MultipartError('The multipart/form-data Content-Type has no boundary.');
	if (boundary.length > 70) throw new MultipartError('The multipart boundary is longer than 70 characters.');
	return boundary;
}

/**
 * Split `a; k=v; k2="v 2"` into the leading value and its parameters (quotes and \-escapes handled).
 * @param {string} header
 * @returns {[string, ...Array<{ key: string, value: string }>]}
 */
function splitHeaderParams(header) {
	/** @type {string[]} */
	const pieces = [];
	let current = '';
	let quoted = false;
	for (let i = 0; i < header.length; i++) {
		const ch = header[i];
		if (quoted) {
			if (ch === '\\' && i + 1 < header.length) {
				current += header[++i];
			} else if (ch === '"') {
				quoted = false;
			} else current += ch;
		} else if (ch === '"') {
			quoted = true;
		} else if (ch === ';') {
			pieces.push(current);
			current = '';
		} else current += ch;
	}
	pieces.push(current);
	const [first, ...rest] = pieces.map((p) => p.trim());
	const params = rest
		.filter(Boolean)
		.map((p) => {
			const eq = p.indexOf('=');
			if (eq < 0) return { key: p.toLowerCase(), value: '' };
			return { key: p.slice(0, eq).trim().toLowerCase(), value: p.slice(eq + 1).trim() };
		});
	return [first, ...params];
}

/**
 * Decode an RFC 5987 extended value such as `UTF-8''na%C3%AFve.wav`.
 * @param {string} value
 */
function decodeExtValue(value) {
	const m = /^([^']*)'[^']*'(.*)$/.exec(value);
	if (!m) return value;
	try {
		return decodeURIComponent(m[2]);
	} catch {
		return m[2];
	}
}

/**
 * @param {string} block  the raw header block of one part
 * @returns {PartInfo}
 */
function parsePartHeaders(block) {
	/** @type {Record<string, string>} */
	const headers = {};
	for (const line of block.split('\r\n')) {
		if (!line) continue;
		const colon = line.indexOf(':');
		if (colon <= 0) throw new MultipartError(`Malformed part header line "${line.slice(0, 80)}".`);
		headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	const disposition = headers['content-disposition'];
	if (!disposition) throw new MultipartError('A multipart part has no Content-Disposition header.');
	const [kind, ...params] = splitHeaderParams(disposition);
	if (kind.toLowerCase() !== 'form-data') {
		throw new MultipartError(`Part Content-Disposition must be form-data (got "${kind}").`);
	}
	const get = (/** @type {string} */ key) => params.find((p) => p.key === key)?.value;
	const extended = get('filename*');
	const plain = get('filename');
	const filename = extended !== undefined ? decodeExtValue(extended) : plain;
	return {
		headers,
		name: get('name') ?? null,
		filename: filename === undefined ? null : filename,
		contentType: headers['content-type'] || null,
	};
}

/**
 * Push-style parser: call write() with each chunk and end() at the end of the body.
 * Errors are thrown from write()/end() as MultipartError (or whatever a sink throws).
 */
class MultipartParser {
	/**
	 * @param {string} boundary
	 * @param {(part: PartInfo) => PartSink} onPart  called at the start of each part
	 */
	constructor(boundary, onPart) {
		this.onPart = onPart;
		/** "\r\n--boundary": every delimiter, the first one included thanks to the virtual CRLF below */
		this.delimiter = Buffer.from(`\r\n--${boundary}`);
		/** @type {'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'epilogue'} */
		this.state = 'preamble';
		/** @type {Buffer} unconsumed bytes; starts with a CRLF so that a body opening with "--boundary" matches */
		this.buffer = Buffer.from(CRLF);
		/** @type {PartSink | null} */
		this.sink = null;
		this.parts = 0;
	}

	/** @param {Buffer} chunk */
	write(chunk) {
		if (this.state === 'epilogue') return; // anything after the close delimiter is ignored
		const carry = this.buffer;
		const d = this.delimiter.length;
		if ((this.state === 'body' || this.state === 'preamble') && carry.length > 0 && carry.length < d && chunk.length >= d) {
			// Fast path, taken for nearly every chunk of a large file: the carried tail is shorter
			// than a delimiter, so a delimiter starting in it must end within the chunk's first
			// d-1 bytes. If the small join has none, the tail is plain data and the chunk needs
			// no copying (copying every chunk doubled the garbage of a large upload).
			const head = Buffer.concat([carry, chunk.subarray(0, d - 1)]);
			if (head.indexOf(this.delimiter) === -1) {
				if (this.state === 'body') this.sink?.data(carry);
				this.buffer = chunk;
			} else this.buffer = Buffer.concat([carry, chunk]);
		} else {
			this.buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
		}
		while (this.step()) {
			/* keep consuming while progress is made */
		}
	}

	end() {
		if (this.state !== 'epilogue') {
			throw new MultipartError('The multipart body ended before its closing boundary.');
		}
	}

	/**
	 * Consume as much of the buffer as the current state allows.
	 * @returns {boolean} true when the state changed and there may be more to do
	 */
	step() {
		const buf = this.buffer;
		switch (this.state) {
			case 'preamble':
			case 'body': {
				const at = buf.indexOf(this.delimiter);
				if (at === -1) {
					// Keep a tail that could be the start of a delimiter; pass the rest on.
					const safe = buf.length - (this.delimiter.length - 1);
					if (safe > 0) {
						if (this.state === 'body') this.sink?.data(buf.subarray(0, safe));
						this.buffer = buf.subarray(safe);
					}
					return false;
				}
				if (this.state === 'body') {
					if (at > 0) this.sink?.data(buf.subarray(0, at));
					this.sink?.end();
					this.sink = null;
				}
				this.buffer = buf.subarray(at + this.delimiter.length);
				this.state = 'afterDelimiter';
				return true;
			}
			case 'afterDelimiter': {
				// Either "--" (close delimiter) or optional white space then CRLF.
				if (buf.length < 2) return false;
				if (buf[0] === 0x2d && buf[1] === 0x2d) {
					this.state = 'epilogue';
					this.buffer = Buffer.alloc(0);
					return false;
				}
				const eol = buf.indexOf(CRLF);
				if (eol === -1) {
					if (buf.length > 256) throw new MultipartError('Malformed multipart delimiter line.');
					return false;
				}
				if (!/^[ \t]*$/.test(buf.subarray(0, eol).toString('latin1'))) {
					throw new MultipartError('Malformed multipart delimiter line.');
				}
				this.buffer = buf.subarray(eol + 2);
				this.state = 'headers';
				return true;
			}
			case 'headers': {
				let block;
				let rest;
				if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
					block = ''; // a part with no headers at all
					rest = buf.subarray(2);
				} else {
					const end = buf.indexOf(HEADER_END);
					if (end === -1) {
						if (buf.length > MAX_HEADER_BYTES) throw new MultipartError('Multipart part headers are too large.');
						return false;
					}
					block = buf.subarray(0, end).toString('utf8');
					rest = buf.subarray(end + HEADER_END.length);
				}
				this.parts += 1;
				this.sink = this.onPart(parsePartHeaders(block));
				this.buffer = rest;
				this.state = 'body';
				return true;
			}
			default:
				return false;
		}
	}
}

module.exports = { MultipartParser, MultipartError, boundaryOf, parsePartHeaders, splitHeaderParams };

'use strict';

/**
 * POST /interactions/{id}/upload — streams the multipart body through the parser, counting
 * and hashing the file part as it arrives (memory stays flat for files of any size).
 *
 * Rules (as the API contract states them):
 * - the interaction must be an audio interaction waiting for its file (no downloadUri, not
 *   uploaded, no upload running) → else 409, answered before the body is read;
 * - exactly one part with a filename, whose extension is a supported media type → else 400;
 *   parts without a filename (plain form fields) are ignored;
 * - a file larger than `maxUploadBytes` → 413;
 * - success → 201 with an empty body, and the status moves on by itself.
 * While the body streams in, the status is `fileUploading`; if the upload fails or the
 * connection breaks, it goes back to `filePendingUpload` so the client can retry.
 */

const crypto = require('node:crypto');
const { HttpError, send } = require('./http-util');
const { MultipartParser, MultipartError, boundaryOf } = require('./multipart');
const { applyMagicNames } = require('./state');

/** Extensions the emulated service accepts (it takes the codec from the file name). */
const SUPPORTED_EXTENSIONS = [
	'wav', 'mp3', 'ogg', 'oga', 'opus', 'm4a', 'mp4', 'flac', 'wma', 'aac', 'webm', 'amr',
	'wmv', 'mov', 'avi', 'mkv', 'mpeg', 'mpg', 'aiff', 'aif', 'au', 'gsm', 'vox', '3gp',
];
/** Non-file form fields are ignored, but bounded. */
const MAX_FIELD_BYTES = 64 * 1024;

/** @param {string} filename */
function extensionOf(filename) {
	const base = filename.split(/[\\/]/).pop() || '';
	const dot = base.lastIndexOf('.');
	return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/**
 * @param {import('./routes').Env} env
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {import('./http-util').RequestContext} ctx
 * @param {import('./state').Interaction} interaction
 * @returns {Promise<void>}
 */
function handleUpload(env, req, res, ctx, interaction) {
	if (!interaction.awaitsUpload()) {
		const why =
			interaction.type !== 'audio'
				? `a ${interaction.type} interaction has no file to upload`
				: interaction.declared.downloadUri
					? 'it was declared with a downloadUri'
					: interaction.uploading
						? 'an upload is already in progress'
						: 'its file was already uploaded';
		throw new HttpError(409, `Interaction ${interaction.id} is not waiting for an upload: ${why}.`);
	}
	let boundary;
	try {
		boundary = boundaryOf(req.headers['content-type']);
	} catch (e) {
		throw new HttpError(400, /** @type {Error} */ (e).message);
	}
	const max = env.options.maxUploadBytes;
	const declaredLength = Number(req.headers['content-length']);
	if (Number.isFinite(declaredLength) && declaredLength > max + 64 * 1024) {
		throw new HttpError(413, `The file is too large: the limit is ${max} bytes.`);
	}

	interaction.uploading = true;
	const startedAt = env.now();
	const hash = crypto.createHash('sha256');
	/** @type {{ partName: string, filename: string, contentType: string | null } | null} */
	let file = null;
	let fileParts = 0;
	let size = 0;
	let received = 0;
	let done = false; // an answer was decided (success or error): ignore further bytes

	const parser = new MultipartParser(boundary, (part) => {
		if (part.filename === null) {
			let fieldBytes = 0;
			return {
				data: (chunk) => {
					fieldBytes += chunk.length;
					if (fieldBytes > MAX_FIELD_BYTES) throw new HttpError(400, `Form field "${part.name}" is too large.`);
				},
				end: () => {},
			};
		}
		fileParts += 1;
		if (fileParts > 1) throw new HttpError(400, 'The upload must contain exactly one file part; found more than one.');
		const ext = extensionOf(part.filename);
		if (!ext) {
			throw new HttpError(400, `The file name "${part.filename}" has no extension; the codec is taken from it (e.g. call.wav).`);
		}
		if (!SUPPORTED_EXTENSIONS.includes(ext)) {
			throw new HttpError(400, `Unsupported file type ".${ext}"; supported: ${SUPPORTED_EXTENSIONS.join(', ')}.`);
		}
		file = { partName: part.name || '', filename: part.filename, contentType: part.contentType };
		return {
			data: (chunk) => {
				size += chunk.length;
				if (size > max) throw new HttpError(413, `The file is too large: the limit is ${max} bytes.`);
				hash.update(chunk);
			},
			end: () => {},
		};
	});

	return new Promise((resolve) => {
		/** @param {string} reason */
		const giveUp = (reason) => {
			interaction.uploading = false;
			env.stats.failedUploads.push({ interactionIdentifier: interaction.id, reason, bytesReceived: received });
		};
		/** @param {unknown} err */
		const fail = (err) => {
			if (done) return;
			done = true;
			const status = err instanceof HttpError ? err.status : 400;
			const message = err instanceof MultipartError ? `Malformed multipart body: ${err.message}` : /** @type {Error} */ (err).message;
			giveUp(message);
			// Answer now; Node discards the rest of the body, which keeps the connection usable.
			send(res, ctx, status, { errorMessage: message });
			resolve();
		};

		req.on('data', (/** @type {Buffer} */ chunk) => {
			if (done) return;
			received += chunk.length;
			if (!ctx.tap(chunk)) {
				done = true;
				giveUp('connection dropped (fault)');
				resolve();
				return;
			}
			try {
				parser.write(chunk);
			} catch (e) {
				fail(e);
			}
		});
		req.on('end', () => {
			if (done) return;
			try {
				parser.end();
				if (!file) throw new HttpError(400, 'The upload must contain exactly one file part (a part with a filename); found none.');
			} catch (e) {
				fail(e);
				return;
			}
			done = true;
			const f = /** @type {NonNullable<typeof file>} */ (file);
			const completedAt = env.now();
			interaction.uploading = false;
			interaction.upload = { ...f, size, sha256: hash.digest('hex'), startedAt, completedAt };
			interaction.mediaName = f.filename;
			applyMagicNames(interaction, [f.filename, f.partName]);
			env.stats.uploads.push({
				interactionIdentifier: interaction.id,
				partName: f.partName,
				filename: f.filename,
				contentType: f.contentType,
				size,
				sha256: interaction.upload.sha256,
				at: new Date(completedAt).toISOString(),
			});
			send(res, ctx, 201);
			resolve();
		});
		// The client went away (or a fault dropped the connection) before the body ended.
		res.on('close', () => {
			if (done) return;
			done = true;
			giveUp('connection closed before the upload completed');
			resolve();
		});
	});
}

module.exports = { handleUpload, SUPPORTED_EXTENSIONS, extensionOf };

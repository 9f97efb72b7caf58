'use strict';

/**
 * Interactions and their status timeline.
 *
 * The status is computed lazily from timestamps each time it is read (no timers), so the
 * emulator never keeps the event loop alive and a stopped clock gives a stable answer. Every
 * intermediate status lasts `timing.stageMs` (or `timing.stages[status]`); the only waits with
 * no fixed length are "waiting for an upload" and a real download that is still running.
 */

const FINAL_STATUSES = ['processed', 'processingFailed', 'fileUploadFailed', 'fileDownloadFailed'];

/**
 * @typedef {object} Timing
 * @property {number} stageMs  how long each intermediate status lasts
 * @property {Record<string, number>} stages  per-status overrides, e.g. { processing: 5000 }
 * @property {number} genAiMs  how long a generative-AI answer takes (lets tests hold requests open)
 */

/**
 * @typedef {object} UploadRecord
 * @property {string} partName
 * @property {string} filename
 * @property {string | null} contentType
 * @property {number} size
 * @property {string} sha256
 * @property {number} startedAt
 * @property {number} completedAt
 */

/**
 * @typedef {object} DownloadRecord
 * @property {'real' | 'simulated'} mode
 * @property {number} startedAt
 * @property {number | null} finishedAt  when the fetch ended (real downloads only)
 * @property {boolean} failed
 * @property {string | null} errorMessage
 * @property {number | null} size
 * @property {string | null} sha256
 * @property {() => void} [abort]
 */

/**
 * @typedef {'declared' | 'filePendingUpload' | 'fileUploading' | 'fileUploaded' | 'fileUploadFailed'
 *   | 'filePendingDownload' | 'fileDownloading' | 'fileDownloaded' | 'fileDownloadFailed'
 *   | 'pendingProcessing' | 'processing' | 'processed' | 'processingFailed'} InteractionStatus
 */

/**
 * GET /interactions/{id}/status
 * @typedef {object} StatusObject
 * @property {string} identifier
 * @property {InteractionStatus} status
 * @property {string | null} declared
 * @property {string | null} uploaded
 * @property {string | null} downloaded
 * @property {string | null} processed
 * @property {string | null} errorMessage
 */

/** @param {number | null} ms */
function iso(ms) {
	return ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

class Interaction {
	/**
	 * @param {object} init
	 * @param {string} init.id
	 * @param {number} init.declaredAt
	 * @param {import('./validate').DeclaredInteraction} init.declared
	 * @param {string} init.tokenHint  which token declared it (index only, never the token itself)
	 */
	constructor({ id, declaredAt, declared, tokenHint }) {
		this.id = id;
		this.type = declared.type;
		this.declaredAt = declaredAt;
		this.declared = declared;
		this.tokenHint = tokenHint;
		/** @type {UploadRecord | null} */
		this.upload = null;
		/** an upload is streaming in right now */
		this.uploading = false;
		/** @type {DownloadRecord | null} */
		this.download = null;
		/** @type {string | null} when set, processing ends in processingFailed with this message */
		this.failProcessing = null;
		/** processed audio with no speech: transcript and gen-ai endpoints answer 204 */
		this.silent = false;
		/** the name the results mention: upload file name, originalFilename or downloadUri's last segment */
		this.mediaName = declared.originalFilename || null;
		applyMagicNames(this, [declared.originalFilename, declared.externalIdentifier, declared.downloadUri]);
	}

	/** True while the interaction would still accept an upload. */
	awaitsUpload() {
		return this.type === 'audio' && !this.declared.downloadUri && !this.upload && !this.uploading;
	}

	/**
	 * Compute the status at time `now`.
	 * @param {number} now
	 * @param {Timing} timing
	 * @returns {StatusObject & { finalAt: number | null }}
	 */
	statusAt(now, timing) {
		const d = (/** @type {string} */ s) => (s in timing.stages ? timing.stages[s] : timing.stageMs);
		/** @type {StatusObject & { finalAt: number | null }} */
		const out = {
			identifier: this.id,
			status: 'declared',
			declared: iso(this.declaredAt),
			uploaded: null,
			downloaded: null,
			processed: null,
			errorMessage: null,
			finalAt: null,
		};
		/**
		 * Walk the fixed stages from `start`; return the status reached at `now`.
		 * @param {number} start
		 * @param {InteractionStatus[]} stages
		 */
		const walk = (start, stages) => {
			let cursor = start;
			for (const s of stages) {
				if (now < cursor + d(s)) {
					out.status = s;
					return out;
				}
				cursor += d(s);
			}
			out.finalAt = cursor;
			if (this.failProcessing) {
				out.status = 'processingFailed';
				out.errorMessage = this.failProcessing;
			} else {
				out.status = 'processed';
				out.processed = iso(cursor);
			}
			return out;
		};

		if (this.type !== 'audio') return walk(this.declaredAt, ['pendingProcessing', 'processing']);

		if (!this.declared.downloadUri) {
			if (this.upload) {
				out.uploaded = iso(this.upload.completedAt);
				return walk(this.upload.completedAt, ['fileUploaded', 'pendingProcessing', 'processing']);
			}
			if (this.uploading) out.status = 'fileUploading';
			else out.status = now < this.declaredAt + d('declared') ? 'declared' : 'filePendingUpload';
			return out;
		}

		// Declared with a downloadUri: ElevateAI fetches the file itself.
		const dl = /** @type {DownloadRecord} */ (this.download);
		const pendingEnd = this.declaredAt + d('filePendingDownload');
		if (now < pendingEnd) {
			out.status = 'filePendingDownload';
			return out;
		}
		let downloadEnd = pendingEnd + d('fileDownloading');
		if (dl.mode === 'real') {
			if (dl.finishedAt === null) {
				out.status = 'fileDownloading';
				return out;
			}
			downloadEnd = Math.max(downloadEnd, dl.finishedAt);
		}
		if (now < downloadEnd) {
			out.status = 'fileDownloading';
			return out;
		}
		if (dl.failed) {
			out.status = 'fileDownloadFailed';
			out.errorMessage = dl.errorMessage;
			out.finalAt = downloadEnd;
			return out;
		}
		out.downloaded = iso(downloadEnd);
		return walk(downloadEnd, ['fileDownloaded', 'pendingProcessing', 'processing']);
	}

	/**
	 * A plain snapshot for tests and the control API.
	 * @param {number} now
	 * @param {Timing} timing
	 */
	snapshot(now, timing) {
		const { finalAt, ...status } = this.statusAt(now, timing);
		const dl = this.download;
		return {
			identifier: this.id,
			type: this.type,
			declared: this.declared,
			status,
			upload: this.upload ? { ...this.upload } : null,
			uploading: this.uploading,
			download: dl
				? {
						mode: dl.mode,
						failed: dl.failed,
						errorMessage: dl.errorMessage,
						size: dl.size,
						sha256: dl.sha256,
						finished: dl.finishedAt !== null || dl.mode === 'simulated',
					}
				: null,
			failProcessing: this.failProcessing,
			silent: this.silent,
			mediaName: this.mediaName,
		};
	}
}

/**
 * The magic names: a name containing `processing-fails` makes processing fail, one containing
 * `silence` makes a recording with no speech. `download-fails` is handled by the downloader.
 * @param {Interaction} interaction
 * @param {Array<string | null | undefined>} names
 */
function applyMagicNames(interaction, names) {
	for (const name of names) {
		if (!name) continue;
		const lower = name.toLowerCase();
		if (lower.includes('processing-fails') && !interaction.failProcessing) {
			interaction.failProcessing = `Processing failed: the media "${name}" could not be processed (emulated failure).`;
		}
		if (lower.includes('silence') && interaction.type === 'audio') interaction.silent = true;
	}
}

/** Is this status final (no further change)? @param {string} status */
function isFinal(status) {
	return FINAL_STATUSES.includes(status);
}

module.exports = { Interaction, applyMagicNames, isFinal, iso, FINAL_STATUSES };

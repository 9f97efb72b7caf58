'use strict';

/**
 * Counters a test asserts on: how many declares (quota!), calls per route, status polls per
 * interaction with their times (to check a polling interval), uploads with their sizes and
 * hashes, downloads, faults applied and request concurrency.
 */

/**
 * @typedef {object} UploadStat
 * @property {string} interactionIdentifier
 * @property {string} partName
 * @property {string} filename
 * @property {string | null} contentType
 * @property {number} size
 * @property {string} sha256
 * @property {string} at  ISO time the upload completed
 */

class Stats {
	constructor() {
		this.declares = 0;
		/** @type {Record<string, number>} */
		this.declaresByType = {};
		this.totalRequests = 0;
		/** @type {Record<string, number>} */
		this.byRoute = {};
		/** @type {Record<string, number>} */
		this.byStatus = {};
		/** @type {Record<string, number[]>} status request times (ms since epoch) per interaction */
		this.statusRequests = {};
		/** @type {UploadStat[]} */
		this.uploads = [];
		/** @type {Array<{ interactionIdentifier: string, reason: string, bytesReceived: number }>} */
		this.failedUploads = [];
		/** @type {Array<{ interactionIdentifier: string, uri: string, mode: string, size: number | null, sha256: string | null, failed: boolean, errorMessage: string | null }>} */
		this.downloads = [];
		/** @type {Array<{ faultId: number, method: string, path: string, kind: string, at: string }>} */
		this.faultsApplied = [];
		this.deletes = 0;
		this.maxConcurrentRequests = 0;
		this.genAiMaxConcurrent = 0;
		this.genAiRejected = 0;
		this.concurrentRequests = 0;
	}

	/** Forget the history. `concurrentRequests` is live state, not history: reset() leaves it alone. */
	reset() {
		const live = this.concurrentRequests;
		Object.assign(this, new Stats());
		this.concurrentRequests = live;
	}

	/** A request arrived. @param {string} route */
	requestStarted(route) {
		this.totalRequests += 1;
		this.byRoute[route] = (this.byRoute[route] || 0) + 1;
		this.concurrentRequests += 1;
		this.maxConcurrentRequests = Math.max(this.maxConcurrentRequests, this.concurrentRequests);
	}

	/** @param {number | null} status  null when the connection was dropped */
	requestEnded(status) {
		this.concurrentRequests = Math.max(0, this.concurrentRequests - 1);
		const key = status === null ? 'dropped' : String(status);
		this.byStatus[key] = (this.byStatus[key] || 0) + 1;
	}

	/** @param {string} id @param {number} at */
	statusPolled(id, at) {
		(this.statusRequests[id] ||= []).push(at);
	}

	/** A deep copy, safe to keep and compare. */
	snapshot() {
		return {
			declares: this.declares,
			declaresByType: { ...this.declaresByType },
			totalRequests: this.totalRequests,
			byRoute: { ...this.byRoute },
			byStatus: { ...this.byStatus },
			statusRequests: Object.fromEntries(Object.entries(this.statusRequests).map(([k, v]) => [k, [...v]])),
			uploads: this.uploads.map((u) => ({ ...u })),
			failedUploads: this.failedUploads.map((u) => ({ ...u })),
			downloads: this.downloads.map((d) => ({ ...d })),
			faultsApplied: this.faultsApplied.map((f) => ({ ...f })),
			deletes: this.deletes,
			maxConcurrentRequests: this.maxConcurrentRequests,
			concurrentRequests: this.concurrentRequests,
			genAi: { maxConcurrent: this.genAiMaxConcurrent, rejected: this.genAiRejected },
		};
	}
}

/** @typedef {ReturnType<Stats['snapshot']>} EmulatorStats */

module.exports = { Stats };

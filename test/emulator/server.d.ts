/**
 * Types for server.js (the emulator is plain CommonJS; this file lets TypeScript tests
 * `import { startEmulator, DEFAULT_TOKEN } from '../emulator/server'` with full types).
 * Keep in step with the JSDoc in server.js, faults.js, stats.js and state.js.
 */

/** The token accepted when no `tokens` option is given (a public, test-only value). */
export declare const DEFAULT_TOKEN: string;

export interface TimingOptions {
	/** how long each intermediate status lasts, in ms (default 100) */
	stageMs?: number;
	/** per-status overrides, e.g. { processing: 5000 } */
	stages?: Record<string, number>;
	/** how long a generative-AI answer takes, in ms (default 0) */
	genAiMs?: number;
}

export interface EmulatorOptions {
	/** default '127.0.0.1' */
	host?: string;
	/** default 0: a free port */
	port?: number;
	/** accepted X-API-Token values; default [DEFAULT_TOKEN] */
	tokens?: string[];
	/** default '/v1' */
	basePath?: string;
	/** a number is taken as stageMs */
	timing?: number | TimingOptions;
	/** accept `metadata` on declare (default true; false → 400 as on a non-Explore account) */
	exploreEnabled?: boolean;
	/** larger uploads get 413 (default 2 GiB) */
	maxUploadBytes?: number;
	/** seed of the PRNG used for fault probabilities (default 1) */
	seed?: number;
	/** no request log lines (default true) */
	quiet?: boolean;
	/** where log lines go (default console.log) */
	log?: (line: string) => void;
	/** time source in ms (default Date.now) */
	clock?: () => number;
}

export type FaultAction = 'drop-before-body' | 'drop-after-body' | 'drop-mid-upload' | 'processing-failure';

export interface FaultSpec {
	/** HTTP method to match (any when absent) */
	method?: string;
	/** regular expression matched against the path after basePath, e.g. '^/interactions$' */
	path?: string;
	/** how many times it applies (default 1; -1, null or Infinity = always) */
	times?: number | null;
	/** 0..1 chance to apply to each matching request (seeded PRNG) */
	probability?: number;
	/** answer with this status instead of handling the request */
	status?: number;
	/** answer body: object → JSON, string as is; default {"errorMessage": "Emulated fault: HTTP <status>."} */
	body?: unknown;
	/** extra answer headers, e.g. { 'Retry-After': '1' } */
	headers?: Record<string, string>;
	/** wait this long first (slow answer) */
	delayMs?: number;
	action?: FaultAction;
	/** drop-mid-upload: destroy the socket after this many body bytes (default 65536) */
	afterBytes?: number;
	/** processing-failure: the errorMessage the status will report */
	errorMessage?: string;
}

export interface FaultInfo {
	id: number;
	method: string | null;
	path: string | null;
	/** -1 = always */
	remaining: number;
	probability: number;
	status: number | null;
	action: FaultAction | null;
	delayMs: number;
	afterBytes?: number;
	applied: number;
}

export type InteractionStatus =
	| 'declared'
	| 'filePendingUpload'
	| 'fileUploading'
	| 'fileUploaded'
	| 'fileUploadFailed'
	| 'filePendingDownload'
	| 'fileDownloading'
	| 'fileDownloaded'
	| 'fileDownloadFailed'
	| 'pendingProcessing'
	| 'processing'
	| 'processed'
	| 'processingFailed';

/** GET /interactions/{id}/status */
export interface StatusObject {
	identifier: string;
	status: InteractionStatus;
	declared: string | null;
	uploaded: string | null;
	downloaded: string | null;
	processed: string | null;
	errorMessage: string | null;
}

/** The declare body after validation, with defaults applied. */
export interface DeclaredInteraction {
	type: 'audio' | 'chat' | 'transcript';
	languageTag: string;
	vertical: string;
	includeAiResults: boolean;
	model: string | null;
	downloadUri: string | null;
	audioTranscriptionMode: string | null;
	originalFilename: string | null;
	externalIdentifier: string | null;
	metadata: Record<string, unknown> | null;
	chat: { participants: Array<{ participant_id: string; name: string; role: string }>; messages: Array<{ participant_id: string; timestamp: string; content: string }> } | null;
	transcript: Record<string, unknown> | null;
}

export interface InteractionSnapshot {
	identifier: string;
	type: 'audio' | 'chat' | 'transcript';
	declared: DeclaredInteraction;
	status: StatusObject;
	upload: { partName: string; filename: string; contentType: string | null; size: number; sha256: string; startedAt: number; completedAt: number } | null;
	uploading: boolean;
	download: { mode: 'real' | 'simulated'; failed: boolean; errorMessage: string | null; size: number | null; sha256: string | null; finished: boolean } | null;
	failProcessing: string | null;
	silent: boolean;
	mediaName: string | null;
}

export interface UploadStat {
	interactionIdentifier: string;
	partName: string;
	filename: string;
	contentType: string | null;
	size: number;
	sha256: string;
	/** ISO time the upload completed */
	at: string;
}

export interface EmulatorStats {
	/** interactions created (each counts towards the real account's quota) */
	declares: number;
	declaresByType: Record<string, number>;
	totalRequests: number;
	/** e.g. { 'POST /interactions': 1, 'GET /interactions/:id/status': 4 } */
	byRoute: Record<string, number>;
	/** by answered status; 'dropped' for connections closed without an answer */
	byStatus: Record<string, number>;
	/** interaction id → times (ms since epoch) of each status request */
	statusRequests: Record<string, number[]>;
	uploads: UploadStat[];
	failedUploads: Array<{ interactionIdentifier: string; reason: string; bytesReceived: number }>;
	downloads: Array<{ interactionIdentifier: string; uri: string; mode: string; size: number | null; sha256: string | null; failed: boolean; errorMessage: string | null }>;
	faultsApplied: Array<{ faultId: number; method: string; path: string; kind: string; at: string }>;
	deletes: number;
	maxConcurrentRequests: number;
	concurrentRequests: number;
	genAi: { maxConcurrent: number; rejected: number };
}

export interface RequestLogEntry {
	seq: number;
	method: string;
	/** the request target as received, query included */
	path: string;
	/** e.g. 'GET /interactions/:id/status' */
	route: string;
	/** X-API-Token (and other credentials) show as '[REDACTED]' */
	headers: Record<string, string | string[] | undefined>;
	/** null when no answer was sent */
	status: number | null;
	dropped: boolean;
	faultId: number | null;
	interactionIdentifier: string | null;
	startedAt: string;
	durationMs: number | null;
}

export interface Emulator {
	/** API base URL, e.g. http://127.0.0.1:PORT/v1 */
	readonly url: string;
	/** server root, where /__emulator lives */
	readonly rootUrl: string;
	readonly port: number;
	readonly host: string;
	/** the first accepted token */
	readonly token: string;
	readonly timing: { stageMs: number; stages: Record<string, number>; genAiMs: number };
	/** stop listening and destroy every open connection */
	close(): Promise<void>;
	/** forget interactions, faults, stats and the request log */
	reset(): void;
	addFault(fault: FaultSpec): FaultInfo;
	removeFault(id: number): boolean;
	clearFaults(): void;
	faults(): FaultInfo[];
	stats(): EmulatorStats;
	readonly requests: RequestLogEntry[];
	/** every live interaction, id → snapshot with its current status */
	readonly interactions: Map<string, InteractionSnapshot>;
	interaction(id: string): InteractionSnapshot | undefined;
}

export declare function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

import type nock from 'nock';

import { dirname } from 'node:path';

import { TEST_TOKEN, n8nCoreContainer } from '../helpers/engine';

/** What one request looked like on the wire, as nock saw it. */
export interface WireRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw body bytes (nock hands binary bodies over hex-encoded; they are decoded here). */
	body: Buffer;
}

/**
 * nock passes a request body to listeners as a string: as UTF-8 when the bytes are valid UTF-8,
 * else hex-encoded. Both are turned back into the exact bytes.
 */
export function rawBody(body: unknown, contentType?: string): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body === undefined || body === null) return Buffer.alloc(0);
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const looksHex = /^(?:[0-9a-f]{2})+$/.test(text);
	if (looksHex && contentType?.startsWith('multipart/') && !text.startsWith('--')) return Buffer.from(text, 'hex');
	return Buffer.from(text, 'utf8');
}

/** Records every request any of the scopes intercepts, in arrival order. */
export function recordRequests(...scopes: nock.Scope[]): WireRequest[] {
	const seen: WireRequest[] = [];
	for (const scope of scopes) {
		scope.on('request', (req: { method: string; path: string; headers: WireRequest['headers'] }, _interceptor: unknown, body: string) => {
			const contentType = String(req.headers['content-type'] ?? '');
			seen.push({ method: req.method, path: req.path, headers: { ...req.headers }, body: rawBody(body, contentType) });
		});
	}
	return seen;
}

export interface MultipartPart {
	headers: Record<string, string>;
	name?: string;
	filename?: string;
	content: Buffer;
}

/** Splits a multipart/form-data body into its parts, byte-exact. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
	const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!boundaryMatch) throw new Error(`no boundary in ${contentType}`);
	const delimiter = Buffer.from(`--${boundaryMatch[1] ?? boundaryMatch[2]}`);
	const parts: MultipartPart[] = [];
	let position = body.indexOf(delimiter);
	if (position !== 0) throw new Error('multipart body does not start with the boundary');
	for (;;) {
		const afterDelimiter = position + delimiter.length;
		if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
		const headerStart = afterDelimiter + 2; // CRLF
		const headerEnd = body.indexOf('\r\n\r\n', headerStart);
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
		if (headerEnd < 0 || next < 0) throw new Error('truncated multipart body');
		const headers: Record<string, string> = {};
		for (const line of body.subarray(headerStart, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		parts.push({
			headers,
			name: /\bname="([^"]*)"/.exec(disposition)?.[1],
			filename: /\bfilename="([^"]*)"/.exec(disposition)?.[1],
			content: body.subarray(headerEnd + 4, next),
		});
		position = next + 2;
	}
	return parts;
}

/** The token must not be anywhere in what n8n keeps of a run (outputs, errors, metadata). */
export function expectNoToken(value: unknown, token = TEST_TOKEN): void {
	const serialized = JSON.stringify(value);
	expect(serialized).not.toContain(token);
	// Also no part of it long enough to matter (e.g. a truncated echo).
	expect(serialized).not.toContain(token.slice(0, 18));
}

export const ids = {
	a: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
	b: '8d2e1c4b-90a7-4f3e-b1d2-5c6e7f8a9b0c',
	c: 'c0ffee00-1234-4abc-9def-0123456789ab',
};

type LoggerLike = Record<'error' | 'warn' | 'info' | 'debug', (message: string, meta?: unknown) => void>;

/** JSON of anything, errors included (own properties, message, stack), cycles cut. */
function serialize(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return '[circular]';
			seen.add(v);
			if (v instanceof Error) return { ...v, name: v.name, message: v.message, stack: v.stack, cause: (v as { cause?: unknown }).cause };
		}
		return v;
	});
}

/**
 * Captures every line n8n logs while `run` runs: n8n-core's Logger (the one its ErrorReporter
 * and LoggerProxy write to) is taken from n8n-core's own DI container and its methods recorded,
 * metadata included, so a test can check that no log line carries the token.
 */
export async function captureLogs<T>(run: () => Promise<T>): Promise<{ result: T; logs: string }> {
	const corePackage = dirname(require.resolve('n8n-core/package.json'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Logger } = require(require.resolve('@n8n/backend-common', { paths: [corePackage] })) as { Logger: new () => LoggerLike };
	const logger = n8nCoreContainer().get(Logger);
	const lines: string[] = [];
	const restores: Array<() => void> = [];
	for (const level of ['error', 'warn', 'info', 'debug'] as const) {
		const own = Object.getOwnPropertyDescriptor(logger, level);
		// Levels below the configured one are frozen no-ops: nothing is logged there.
		if (own && !own.writable && !own.configurable) continue;
		logger[level] = (message: string, meta?: unknown) => {
			lines.push(`${level}: ${message} ${serialize(meta)}`);
		};
		restores.push(() => (own ? Object.defineProperty(logger, level, own) : delete (logger as Partial<LoggerLike>)[level]));
	}
	try {
		const result = await run();
		return { result, logs: lines.join('\n') };
	} finally {
		restores.forEach((restore) => restore());
	}
}

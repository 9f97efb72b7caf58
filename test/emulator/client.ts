/**
 * A tiny HTTP client for the emulator's own tests (node:http only, one connection per request
 * so nothing stays open after a test).
 */
import * as http from 'node:http';
import * as net from 'node:net';

import { DEFAULT_TOKEN } from '../../emulator/server';
import type { Emulator, InteractionStatus, StatusObject } from '../../emulator/server';

export interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

export interface CallOptions {
	/** X-API-Token to send; null sends none (default DEFAULT_TOKEN) */
	token?: string | null;
	headers?: Record<string, string>;
	/** a JSON body (sets Content-Type: application/json) */
	json?: unknown;
	/** a raw body */
	body?: string | Buffer;
}

export function call(method: string, url: string, options: CallOptions = {}): Promise<Reply> {
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
	if (token !== null) headers['X-API-Token'] = token;
	let body: Buffer | undefined;
	if (options.json !== undefined) {
		body = Buffer.from(JSON.stringify(options.json));
		headers['Content-Type'] ??= 'application/json';
	} else if (options.body !== undefined) {
		body = Buffer.from(options.body);
	}
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json: unknown;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
		});
		req.on('error', reject);
		req.end(body);
	});
}

export const AUDIO = { type: 'audio', languageTag: 'en-us', vertical: 'default' };

export async function declare(emu: Emulator, body: Record<string, unknown> = AUDIO): Promise<string> {
	const r = await call('POST', `${emu.url}/interactions`, { json: body });
	if (r.status !== 201) throw new Error(`declare failed: ${r.status} ${r.text}`);
	return r.json.interactionIdentifier as string;
}

export interface Part {
	name: string;
	filename?: string;
	contentType?: string;
	data: string | Buffer;
}

/** Build a multipart/form-data body. */
export function multipart(parts: Part[], boundary = '----emulator-test-boundary'): { body: Buffer; contentType: string } {
	const pieces: Buffer[] = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) head += `; filename="${p.filename}"`;
		head += '\r\n';
		if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
		pieces.push(Buffer.from(`${head}\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
	}
	pieces.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(pieces), contentType: `multipart/form-data; boundary=${boundary}` };
}

export function upload(emu: Emulator, id: string, parts: Part[]): Promise<Reply> {
	const { body, contentType } = multipart(parts);
	return call('POST', `${emu.url}/interactions/${id}/upload`, { body, headers: { 'Content-Type': contentType } });
}

/** Upload one file part named after the file, as the API docs ask. */
export function uploadFile(emu: Emulator, id: string, filename: string, data: string | Buffer = 'RIFF....WAVEfmt '): Promise<Reply> {
	return upload(emu, id, [{ name: filename, filename, contentType: 'audio/wav', data }]);
}

export async function getStatus(emu: Emulator, id: string): Promise<StatusObject> {
	const r = await call('GET', `${emu.url}/interactions/${id}/status`);
	if (r.status !== 200) throw new Error(`status failed: ${r.status} ${r.text}`);
	return r.json as StatusObject;
}

/** Poll the status until it is one of `targets`; returns every distinct status seen, in order. */
export async function waitForStatus(
	emu: Emulator,
	id: string,
	targets: InteractionStatus[],
	timeoutMs = 5000,
): Promise<{ final: StatusObject; seen: string[] }> {
	const seen: string[] = [];
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const s = await getStatus(emu, id);
		if (seen[seen.length - 1] !== s.status) seen.push(s.status);
		if (targets.includes(s.status)) return { final: s, seen };
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${targets.join('/')}; saw ${seen.join(' → ')}`);
		await sleep(5);
	}
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Send a raw HTTP/1.1 request over a plain socket: the body comes from `writeBody`, which must
 * respect back-pressure. Used where the exact bytes on the wire matter (large streamed uploads).
 * Resolves with the status code, or with `error` when the server dropped the connection.
 */
export function rawRequest(
	port: number,
	head: string,
	writeBody: (socket: net.Socket) => void,
): Promise<{ status: number | null; text: string; error?: string }> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const chunks: Buffer[] = [];
		let settled = false;
		const finish = (error?: string) => {
			if (settled) return;
			settled = true;
			const text = Buffer.concat(chunks).toString('utf8');
			const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
			resolve({ status: m ? Number(m[1]) : null, text, error: m ? undefined : error ?? 'no answer' });
			socket.destroy();
		};
		socket.on('data', (c: Buffer) => {
			chunks.push(c);
			// One short answer is all we expect: stop once the headers and the declared body are in.
			const text = Buffer.concat(chunks).toString('utf8');
			const end = text.indexOf('\r\n\r\n');
			const length = /content-length: (\d+)/i.exec(text);
			if (end !== -1 && length && Buffer.byteLength(text) >= end + 4 + Number(length[1])) finish();
		});
		socket.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
		socket.on('close', () => finish('closed'));
		socket.on('connect', () => {
			socket.write(head);
			writeBody(socket);
		});
	});
}

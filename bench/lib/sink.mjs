// A zero-latency stand-in for ElevateAI's declare endpoint, for P3: it answers
// `POST <base>/interactions` at once with 201 and a fresh interactionIdentifier, without
// validating anything, so a declare's measured time is the calling node's own cost (plus
// loopback HTTP). It runs as its own process, so its work is not counted as n8n's, and it
// counts what it answered. Anything else gets 404.
//
//   node bench/lib/sink.mjs   → prints "sink listening on http://127.0.0.1:PORT/v1"

import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { listeningUrl, spawnGroup, stopGroup } from './proc.mjs';

function serve() {
	let declares = 0;
	// A zero-latency server answers one request at a time, so the client's concurrency shows as
	// the number of connections it keeps open at once.
	let connections = 0;
	let maxConnections = 0;
	const server = http.createServer((req, res) => {
		req.on('data', () => {});
		req.on('end', () => {
			if (req.method === 'POST' && req.url === '/v1/interactions') {
				declares++;
				const body = `{"interactionIdentifier":"${crypto.randomUUID()}"}`;
				res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
				res.end(body);
			} else if (req.method === 'GET' && req.url === '/__sink/stats') {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ declares, maxConnections }));
			} else if (req.method === 'POST' && req.url === '/__sink/reset') {
				declares = 0;
				maxConnections = connections;
				res.writeHead(200).end();
			} else {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end('{"errorMessage":"not found"}');
			}
		});
	});
	server.on('connection', (socket) => {
		connections++;
		maxConnections = Math.max(maxConnections, connections);
		socket.on('close', () => connections--);
	});
	server.keepAliveTimeout = 30_000;
	server.listen(0, '127.0.0.1', () => {
		process.stdout.write(`sink listening on http://127.0.0.1:${server.address().port}/v1\n`);
	});
	const stop = () => server.close(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

/** Starts the sink as a child process; resolves to { url, stats(), reset(), stop() }. */
export async function startSink() {
	const child = spawnGroup(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { label: 'declare sink' });
	const url = await listeningUrl(child, 'sink', 10_000);
	const root = new URL(url).origin;
	return {
		url,
		stats: async () => await (await fetch(`${root}/__sink/stats`)).json(),
		reset: async () => void (await fetch(`${root}/__sink/reset`, { method: 'POST' })),
		stop: () => stopGroup(child, 3000),
	};
}

if (process.argv[2] === '--serve' && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) serve();

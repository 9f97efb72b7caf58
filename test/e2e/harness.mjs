// The end-to-end tests' harness: the one n8n-runtime wrapper (scripts/n8n.mjs, which creates the
// n8n instance, imports, starts, sets up the owner…) re-exported, plus what only tests need: local
// sinks and file servers, and readers for a run's output. The n8n version is the wrapper's default:
// ELEVATEAI_N8N_VERSION (set per version by scripts/e2e.mjs from N8N_VERSIONS) or the pinned one.

import fs from 'node:fs';
import path from 'node:path';

import { EXAMPLES_DIR, defaultVersion, versionTraits } from '../../scripts/n8n.mjs';

export * from '../../scripts/n8n.mjs';
export { createSink } from '../../scripts/sink.mjs';

/** The n8n version this test process runs against, and what differs on it. */
export const N8N_UNDER_TEST = versionTraits(defaultVersion());

/**
 * node:test options that skip a test on the n8n versions where a known, tracked difference in the
 * NODE's code makes it fail, with a message saying so (shown as SKIP in the TAP output, never a
 * pass). `known` maps a predicate on the version traits to the reason.
 * @param {Array<[(t: ReturnType<typeof versionTraits>) => boolean, string]>} known
 */
export function skipOn(known) {
	for (const [applies, reason] of known) {
		if (applies(N8N_UNDER_TEST)) return { skip: `n8n ${N8N_UNDER_TEST.version}: ${reason}` };
	}
	return {};
}

export function readExample(file) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));
}

export function findNode(workflow, predicate) {
	const node = workflow.nodes.find(typeof predicate === 'string' ? (n) => n.name === predicate : predicate);
	if (!node) throw new Error(`node ${predicate} not found in workflow ${workflow.name}`);
	return node;
}

/** Items a node produced on its first (or given) output in the first run. */
export function nodeOutput(run, nodeName, { output = 0, runIndex = 0 } = {}) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[runIndex]?.data?.main?.[output] ?? [];
}

export function nodeError(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName]?.[0]?.error;
}

/** A loopback file server: GET /<name> answers with `files[name]` (Buffer). */
export async function createFileServer(n8n, files) {
	const served = [];
	const server = await n8n.httpServer((req, res) => {
		const name = decodeURIComponent(req.url.split('?')[0].slice(1));
		served.push(name);
		const body = files[name];
		if (!body) {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': body.length });
		res.end(body);
	});
	return { url: server.url, served, server };
}

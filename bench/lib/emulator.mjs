// The ElevateAI emulator (emulator/) as a child process of the bench, in its own process
// group: its multipart parsing then never delays the bench's memory sampling, and its memory is
// not counted as n8n's. Driven through its /__emulator control endpoints.

import path from 'node:path';

import { listeningUrl, spawnGroup, stopGroup } from './proc.mjs';

export const DEFAULT_TOKEN = '11111111-1111-4111-8111-111111111111';

export async function startEmulator(repoRoot, { stageMs }) {
	const cli = path.join(repoRoot, 'emulator', 'cli.js');
	const child = spawnGroup(process.execPath, [cli, '--port', '0', '--stage-ms', String(stageMs), '--quiet'], {
		label: 'elevateai emulator',
	});
	const url = await listeningUrl(child, 'emulator', 15000);
	// The CLI prints the token it accepts when it is the default one.
	const token = /token ([0-9a-f-]{36})/.exec(child.output.stdout)?.[1] ?? DEFAULT_TOKEN;
	const rootUrl = new URL(url).origin;

	async function control(method, sub, body) {
		const res = await fetch(`${rootUrl}/__emulator${sub}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`emulator ${method} ${sub}: ${res.status} ${text}`);
		return text ? JSON.parse(text) : undefined;
	}

	return {
		url,
		token,
		stats: () => control('GET', '/stats'),
		requests: async () => (await control('GET', '/requests')).requests,
		reset: () => control('POST', '/reset'),
		addFault: (fault) => control('POST', '/faults', fault),
		stop: () => stopGroup(child, 3000),
	};
}

/**
 * Fault injection (JS and HTTP), the /__emulator control API and the command line.
 */
import { DEFAULT_TOKEN, startEmulator } from '../../emulator/server';
import type { Emulator } from '../../emulator/server';
import { parseArgs, runCli, spawnEmulator } from '../../emulator/cli';
import { AUDIO, call, declare, getStatus, uploadFile, waitForStatus } from './client';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator({ timing: { stageMs: 10 } });
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

describe('fault injection', () => {
	test('a canned status with headers, applied `times` times, creates nothing', async () => {
		emu.addFault({ method: 'POST', path: '^/interactions$', status: 503, headers: { 'Retry-After': '1' }, times: 2 });
		const first = await call('POST', `${emu.url}/interactions`, { json: AUDIO });
		expect(first.status).toBe(503);
		expect(first.headers['retry-after']).toBe('1');
		expect(first.json).toEqual({ errorMessage: 'Emulated fault: HTTP 503.' });
		expect((await call('POST', `${emu.url}/interactions`, { json: AUDIO })).status).toBe(503);
		expect((await call('POST', `${emu.url}/interactions`, { json: AUDIO })).status).toBe(201);
		const stats = emu.stats();
		expect(stats.declares).toBe(1);
		expect(stats.byRoute['POST /interactions']).toBe(3);
		expect(stats.faultsApplied.map((f) => f.kind)).toEqual(['status 503', 'status 503']);
		expect(emu.requests.map((r) => r.faultId)).toEqual([1, 1, null]);
		expect(emu.faults()[0]).toMatchObject({ id: 1, remaining: 0, applied: 2 });
	});

	test('faults apply before authentication, and only to the matching method and path', async () => {
		emu.addFault({ method: 'GET', path: '/status$', status: 429, body: { errorMessage: 'quota' }, times: -1 });
		const id = await declare(emu);
		expect((await call('GET', `${emu.url}/interactions/${id}/status`, { token: 'bad' })).json).toEqual({ errorMessage: 'quota' });
		expect((await call('GET', `${emu.url}/interactions/${id}/status`)).status).toBe(429);
		expect((await call('GET', `${emu.url}/interactions/${id}`)).status).toBe(200);
		emu.clearFaults();
		expect((await call('GET', `${emu.url}/interactions/${id}/status`)).status).toBe(200);
	});

	test('delayMs makes a slow but otherwise normal answer', async () => {
		const id = await declare(emu);
		emu.addFault({ path: '/status$', delayMs: 250 });
		const started = Date.now();
		const r = await call('GET', `${emu.url}/interactions/${id}/status`);
		expect(r.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240);
	});

	test('drop-before-body: the connection breaks and no interaction is created', async () => {
		emu.addFault({ path: '^/interactions$', action: 'drop-before-body' });
		await expect(call('POST', `${emu.url}/interactions`, { json: AUDIO })).rejects.toThrow();
		await waitForLog(emu, 1);
		expect(emu.stats().declares).toBe(0);
		expect(emu.interactions.size).toBe(0);
		expect(emu.requests[0]).toMatchObject({ status: null, dropped: true, faultId: 1 });
		expect(emu.stats().byStatus).toEqual({ dropped: 1 });
	});

	test('drop-after-body: the interaction IS created but the answer never comes', async () => {
		emu.addFault({ method: 'POST', path: '^/interactions$', action: 'drop-after-body' });
		await expect(call('POST', `${emu.url}/interactions`, { json: { ...AUDIO, externalIdentifier: 'crm-77' } })).rejects.toThrow();
		await waitForLog(emu, 1);
		expect(emu.stats().declares).toBe(1);
		const [created] = [...emu.interactions.values()];
		expect(created.declared.externalIdentifier).toBe('crm-77');
		expect(emu.requests[0].dropped).toBe(true);
	});

	test('drop-mid-upload: the socket breaks after afterBytes; the upload can be retried', async () => {
		const id = await declare(emu);
		emu.addFault({ action: 'drop-mid-upload', afterBytes: 10_000 });
		await expect(uploadFile(emu, id, 'call.wav', Buffer.alloc(200_000, 1))).rejects.toThrow();
		await waitForLog(emu, 2);
		const failed = emu.stats().failedUploads;
		expect(failed).toHaveLength(1);
		expect(failed[0].bytesReceived).toBeGreaterThanOrEqual(10_000);
		expect(failed[0].bytesReceived).toBeLessThan(200_000);
		// Back to waiting for the file ('declared' if the drop came within the first stage).
		expect((await getStatus(emu, id)).status).toMatch(/^(declared|filePendingUpload)$/);
		expect((await uploadFile(emu, id, 'call.wav', Buffer.alloc(200_000, 1))).status).toBe(201);
		expect(emu.stats().uploads).toHaveLength(1);
	});

	test('processing-failure: the next interaction declared (or touched) fails processing', async () => {
		emu.addFault({ action: 'processing-failure', errorMessage: 'Unsupported codec' });
		// A request that reaches no interaction (a 401 here) does not use the fault up.
		await call('POST', `${emu.url}/interactions`, { token: 'bad', json: AUDIO });
		const failing = await declare(emu);
		const fine = await declare(emu);
		await uploadFile(emu, failing, 'a.wav');
		await uploadFile(emu, fine, 'b.wav');
		const a = await waitForStatus(emu, failing, ['processed', 'processingFailed']);
		const b = await waitForStatus(emu, fine, ['processed', 'processingFailed']);
		expect(a.final).toMatchObject({ status: 'processingFailed', errorMessage: 'Unsupported codec' });
		expect(b.final.status).toBe('processed');
		expect(emu.stats().faultsApplied).toEqual([expect.objectContaining({ kind: 'processing-failure' })]);
	});

	test('processing-failure scoped to uploads marks the interaction that is uploaded', async () => {
		const first = await declare(emu);
		const second = await declare(emu);
		emu.addFault({ path: '/upload$', action: 'processing-failure' });
		await uploadFile(emu, second, 'b.wav');
		await uploadFile(emu, first, 'a.wav');
		expect((await waitForStatus(emu, second, ['processed', 'processingFailed'])).final.status).toBe('processingFailed');
		expect((await waitForStatus(emu, first, ['processed', 'processingFailed'])).final.status).toBe('processed');
	});

	test('probability uses a seeded PRNG: the same seed faults the same requests', async () => {
		const patterns: string[] = [];
		for (let run = 0; run < 2; run++) {
			const e = await startEmulator({ seed: 42 });
			try {
				e.addFault({ path: '/status$', status: 503, probability: 0.5, times: Infinity });
				const id = await declare(e);
				let pattern = '';
				for (let i = 0; i < 24; i++) pattern += (await call('GET', `${e.url}/interactions/${id}/status`)).status === 503 ? 'x' : '.';
				patterns.push(pattern);
			} finally {
				await e.close();
			}
		}
		expect(patterns[0]).toBe(patterns[1]);
		expect(patterns[0]).toMatch(/x/);
		expect(patterns[0]).toMatch(/\./);
	});

	test('addFault rejects faults that make no sense', () => {
		expect(() => emu.addFault({ path: '^/x$' })).toThrow(/does nothing/);
		expect(() => emu.addFault({ path: '(', status: 500 })).toThrow(/regular expression/);
		expect(() => emu.addFault({ status: 99 })).toThrow(/status/);
		expect(() => emu.addFault({ probability: 2, status: 500 })).toThrow(/probability/);
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		expect(() => emu.addFault({ action: 'explode' as any })).toThrow(/action/);
		expect(() => emu.addFault({ status: 500, action: 'drop-before-body' })).toThrow(/not both/);
	});
});

describe('control API (no token)', () => {
	test('faults, stats, requests, interactions and reset over HTTP', async () => {
		const root = `${emu.rootUrl}/__emulator`;
		const added = await call('POST', `${root}/faults`, {
			token: null,
			json: [
				{ method: 'POST', path: '^/interactions$', status: 429, headers: { 'Retry-After': '2' } },
				{ path: '/status$', status: 504, times: -1 },
			],
		});
		expect(added.status).toBe(201);
		expect(added.json.faults.map((f: { id: number }) => f.id)).toEqual([1, 2]);
		expect(added.json.faults[1].remaining).toBe(-1);

		const bad = await call('POST', `${root}/faults`, { token: null, json: [{ status: 500 }, { action: 'nope' }] });
		expect(bad.status).toBe(400);
		expect((await call('GET', `${root}/faults`, { token: null })).json.faults).toHaveLength(2);

		const declared = await call('POST', `${emu.url}/interactions`, { json: AUDIO });
		expect(declared.status).toBe(429);
		expect(declared.headers['retry-after']).toBe('2');

		expect((await call('DELETE', `${root}/faults/2`, { token: null })).status).toBe(200);
		expect((await call('DELETE', `${root}/faults/2`, { token: null })).status).toBe(404);
		expect((await call('DELETE', `${root}/faults`, { token: null })).json).toEqual({ cleared: 1 });

		const id = await declare(emu);
		const stats = await call('GET', `${root}/stats`, { token: null });
		expect(stats.json).toMatchObject({ declares: 1, byRoute: { 'POST /interactions': 2 } });
		const requests = await call('GET', `${root}/requests`, { token: null });
		expect(requests.json.requests).toHaveLength(2);
		expect(requests.text).not.toContain(DEFAULT_TOKEN);
		const interactions = await call('GET', `${root}/interactions`, { token: null });
		expect(interactions.json.interactions[0]).toMatchObject({ identifier: id, type: 'audio' });
		const info = await call('GET', root, { token: null });
		expect(info.json).toMatchObject({ name: 'ElevateAI emulator', url: emu.url, interactions: 1 });
		expect(info.text).not.toContain(DEFAULT_TOKEN);

		expect((await call('POST', `${root}/reset`, { token: null })).status).toBe(200);
		expect(emu.stats().declares).toBe(0);
		expect(emu.interactions.size).toBe(0);
		expect((await call('GET', `${root}/nope`, { token: null })).status).toBe(404);
		// Control calls are not counted as API traffic.
		expect(emu.stats().totalRequests).toBe(0);
	});
});

describe('command line', () => {
	test('parseArgs', () => {
		expect(parseArgs(['--port', '9000', '--token', 'a', '--token=b', '--stage-ms', '20', '--seed', '7', '--no-explore', '--quiet'])).toMatchObject({
			port: 9000,
			tokens: ['a', 'b'],
			timing: { stageMs: 20 },
			seed: 7,
			exploreEnabled: false,
			quiet: true,
		});
		expect(parseArgs([])).toMatchObject({ port: 8787, timing: { stageMs: 1500 }, quiet: false });
		expect(() => parseArgs(['--bogus'])).toThrow(/Unknown option/);
		expect(() => parseArgs(['--port'])).toThrow(/needs a value/);
	});

	test('runCli prints the listening line; custom tokens are never printed', async () => {
		const lines: string[] = [];
		const e = await runCli(['--port', '0', '--token', 'my-secret-token', '--stage-ms', '5'], { out: (l) => lines.push(l), handleSignals: false });
		try {
			expect(lines[0]).toMatch(/^ElevateAI emulator listening on http:\/\/127\.0\.0\.1:\d+\/v1 \(1 token\(s\) from --token\)$/);
			expect((await call('POST', `${e!.url}/interactions`, { token: 'my-secret-token', json: AUDIO })).status).toBe(201);
			expect(lines.join('\n')).toMatch(/POST \/v1\/interactions → 201/);
			expect(lines.join('\n')).not.toContain('my-secret-token');
		} finally {
			await e?.close();
		}
	});

	test('spawnEmulator runs cli.js as a child that stops cleanly on SIGTERM', async () => {
		const child = await spawnEmulator(['--port', '0', '--stage-ms', '5', '--quiet']);
		try {
			expect(child.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
			const id = await declare({ url: child.url } as Emulator);
			expect((await waitForStatus({ url: child.url } as Emulator, id, ['filePendingUpload'])).final.status).toBe('filePendingUpload');
			const info = await call('GET', `${child.rootUrl}/__emulator`, { token: null });
			expect(info.json.timing.stageMs).toBe(5);
		} finally {
			await child.stop();
		}
		expect(child.child.exitCode).toBe(0);
	});
});

/** Wait until the request log has `n` finished entries (a dropped request ends asynchronously). */
async function waitForLog(e: Emulator, n: number): Promise<void> {
	const deadline = Date.now() + 2000;
	while (e.requests.filter((r) => r.durationMs !== null).length < n) {
		if (Date.now() > deadline) throw new Error('request log did not fill');
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

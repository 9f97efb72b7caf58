/**
 * The upload retry with n8n's filesystem binary mode (the default in n8n 2.x): the recording is
 * not in memory, so a retry must open the stored file again and stream it from the first byte.
 * The emulator drops the first attempt part-way; the second must carry the whole file.
 */
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn(async () => {}) }));

import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BinaryDataService } from 'n8n-core';

import { runChain, storeBinary, useFilesystemBinaryData } from '../helpers/engine';
import type { Emulator } from './helpers';
import { emulatorCredentials, startEmulator, step } from './helpers';

let storageDir: string;
let service: BinaryDataService;
let emulator: Emulator;

beforeAll(async () => {
	storageDir = await mkdtemp(join(tmpdir(), 'elevateai-reliability-'));
	service = await useFilesystemBinaryData(storageDir);
	emulator = await startEmulator({ timing: { stageMs: 20, stages: { declared: 0 } } });
});
afterAll(async () => {
	await emulator.close();
	await rm(storageDir, { recursive: true, force: true });
});
afterEach(() => jest.restoreAllMocks());

it('re-opens the stored recording for the retry and sends every byte', async () => {
	const bytes = Buffer.concat([Buffer.from('RIFF'), randomBytes(1_000_000)]);
	const binary = await storeBinary(service, bytes, 'call-0042.wav', 'audio/wav');
	const streams = jest.spyOn(service, 'getAsStream');
	emulator.addFault({ action: 'drop-mid-upload', afterBytes: 256 * 1024 });

	const result = await runChain({
		items: [{ json: {}, binary: { data: binary } }],
		credentials: emulatorCredentials(emulator),
		chain: [step('Declare', 'declare', { interactionType: 'audio', additionalFields: { externalIdentifier: 'call-by-id' } }), step('Upload', 'upload')],
	});

	expect(result.error).toBeUndefined();
	expect(result.output('Upload')[0].json).toMatchObject({ uploaded: true, fileSize: bytes.length });
	// Two attempts, each with its own stream from the store.
	expect(streams).toHaveBeenCalledTimes(2);
	const stats = emulator.stats();
	expect(stats.declares).toBe(1);
	expect(stats.failedUploads).toHaveLength(1);
	expect(stats.failedUploads[0].bytesReceived).toBeLessThan(bytes.length);
	expect(stats.uploads).toHaveLength(1);
	expect(stats.uploads[0]).toMatchObject({
		size: bytes.length,
		sha256: createHash('sha256').update(bytes).digest('hex'),
	});
});

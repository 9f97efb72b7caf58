// Big recordings for the upload benchmark, written as a stream (never held in memory): a valid
// 16-bit PCM WAV header followed by noise, `bytes` long in total.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';

function wavHeader(dataBytes, sampleRate = 8000) {
	const h = Buffer.alloc(44);
	h.write('RIFF', 0, 'ascii');
	h.writeUInt32LE(36 + dataBytes, 4);
	h.write('WAVE', 8, 'ascii');
	h.write('fmt ', 12, 'ascii');
	h.writeUInt32LE(16, 16);
	h.writeUInt16LE(1, 20); // PCM
	h.writeUInt16LE(1, 22); // mono
	h.writeUInt32LE(sampleRate, 24);
	h.writeUInt32LE(sampleRate * 2, 28);
	h.writeUInt16LE(2, 32);
	h.writeUInt16LE(16, 34);
	h.write('data', 36, 'ascii');
	h.writeUInt32LE(dataBytes, 40);
	return h;
}

/** Writes the file and returns its SHA-256 (hex), to check what the server received. */
export async function writeRecording(file, bytes) {
	const out = fs.createWriteStream(file);
	const hash = crypto.createHash('sha256');
	const chunk = crypto.randomBytes(1024 * 1024);
	const write = async (buf) => {
		hash.update(buf);
		if (!out.write(buf)) await once(out, 'drain');
	};
	await write(wavHeader(bytes - 44));
	let left = bytes - 44;
	for (let i = 0; left > 0; i++) {
		const n = Math.min(left, chunk.length);
		chunk.writeUInt32LE(i, 0); // no two chunks alike
		await write(n === chunk.length ? Buffer.from(chunk) : chunk.subarray(0, n));
		left -= n;
	}
	out.end();
	await once(out, 'finish');
	// On disk before any measurement, so that no write-back competes with the uploads.
	const fd = fs.openSync(file, 'r');
	fs.fsyncSync(fd);
	fs.closeSync(fd);
	return hash.digest('hex');
}

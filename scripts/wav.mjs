// Deterministic WAV files (16-bit PCM, mono). makeWav: a small one in memory, a few tones with
// short pauses, roughly the shape of a phone call (`npm start`'s sample recording, the e2e tests).
// writeLargeWav: a long one streamed to disk without holding it in memory (the large-upload e2e
// test, bench/binary-modes.mjs).

import crypto from 'node:crypto';
import fs from 'node:fs';

/** The 44-byte RIFF/WAVE header of a 16-bit PCM mono file with `dataBytes` of samples. */
function wavHeader(dataBytes, sampleRate) {
	const buf = Buffer.alloc(44);
	buf.write('RIFF', 0, 'ascii');
	buf.writeUInt32LE(36 + dataBytes, 4);
	buf.write('WAVE', 8, 'ascii');
	buf.write('fmt ', 12, 'ascii');
	buf.writeUInt32LE(16, 16); // fmt chunk size
	buf.writeUInt16LE(1, 20); // PCM
	buf.writeUInt16LE(1, 22); // mono
	buf.writeUInt32LE(sampleRate, 24);
	buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
	buf.writeUInt16LE(2, 32); // block align
	buf.writeUInt16LE(16, 34); // bits per sample
	buf.write('data', 36, 'ascii');
	buf.writeUInt32LE(dataBytes, 40);
	return buf;
}

/**
 * @param {{ seconds?: number, sampleRate?: number, seed?: number }} [opts]
 * @returns {Buffer} a complete RIFF/WAVE file
 */
export function makeWav({ seconds = 2, sampleRate = 8000, seed = 1 } = {}) {
	const samples = Math.round(seconds * sampleRate);
	const dataBytes = samples * 2;
	const buf = Buffer.alloc(44 + dataBytes);
	wavHeader(dataBytes, sampleRate).copy(buf);
	const tones = [440, 523.25, 659.25, 392].map((f) => f * (1 + (seed % 7) / 100));
	const segment = Math.round(sampleRate * 0.5);
	for (let i = 0; i < samples; i++) {
		const seg = Math.floor(i / segment);
		const inPause = i % segment > segment * 0.8;
		const f = tones[seg % tones.length];
		const v = inPause ? 0 : Math.sin((2 * Math.PI * f * i) / sampleRate) * 0.3;
		buf.writeInt16LE(Math.round(v * 32767), 44 + i * 2);
	}
	return buf;
}

/**
 * Writes a WAV of `mb` MiB of samples (a 440 Hz tone at 8 kHz) to `file`, one MiB chunk at a
 * time, so that a file of hundreds of MB costs no memory.
 * @param {string} file
 * @param {number} mb
 * @returns {Promise<{ size: number, sha256: string }>} its size in bytes and SHA-256 (hex)
 */
export async function writeLargeWav(file, mb) {
	const sampleRate = 8000;
	const chunk = Buffer.alloc(1024 * 1024);
	for (let i = 0; i < chunk.length / 2; i++) {
		chunk.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 8000), i * 2);
	}
	const dataBytes = mb * chunk.length;
	const header = wavHeader(dataBytes, sampleRate);
	const hash = crypto.createHash('sha256');
	const out = fs.createWriteStream(file);
	const write = (buf) => new Promise((resolve, reject) => out.write(buf, (err) => (err ? reject(err) : resolve())));
	hash.update(header);
	await write(header);
	for (let i = 0; i < mb; i++) {
		hash.update(chunk);
		await write(chunk);
	}
	await new Promise((resolve, reject) => {
		out.once('error', reject);
		out.end(resolve);
	});
	return { size: header.length + dataBytes, sha256: hash.digest('hex') };
}

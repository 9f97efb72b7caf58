// A tiny, deterministic WAV generator (16-bit PCM, mono): a few tones with short pauses,
// roughly the shape of a phone call. Used by `npm start` (a sample recording) and the e2e tests.

/**
 * @param {{ seconds?: number, sampleRate?: number, seed?: number }} [opts]
 * @returns {Buffer} a complete RIFF/WAVE file
 */
export function makeWav({ seconds = 2, sampleRate = 8000, seed = 1 } = {}) {
	const samples = Math.round(seconds * sampleRate);
	const dataBytes = samples * 2;
	const buf = Buffer.alloc(44 + dataBytes);
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

/**
 * The streaming multipart parser: whatever way the body is cut into chunks, the parts come out
 * byte for byte, including bodies full of near-delimiters.
 */
import * as crypto from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MultipartParser, boundaryOf, parsePartHeaders } = require('../../emulator/multipart') as {
	MultipartParser: new (
		boundary: string,
		onPart: (part: { name: string | null; filename: string | null; contentType: string | null }) => { data(c: Buffer): void; end(): void },
	) => { write(c: Buffer): void; end(): void };
	boundaryOf(contentType: string | undefined): string;
	parsePartHeaders(block: string): { name: string | null; filename: string | null; contentType: string | null };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { mulberry32 } = require('../../emulator/faults') as { mulberry32(seed: number): () => number };

const BOUNDARY = 'XyZ--b0und';

function build(parts: Buffer[]): Buffer {
	return Buffer.concat([
		Buffer.from('preamble text\r\n'),
		...parts.flatMap((p, i) => [
			Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="f${i}"; filename="a${i}.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
			p,
			Buffer.from('\r\n'),
		]),
		Buffer.from(`--${BOUNDARY}--\r\nepilogue`),
	]);
}

function parse(body: Buffer, cut: () => number): Array<{ filename: string | null; data: Buffer }> {
	const out: Array<{ filename: string | null; chunks: Buffer[] }> = [];
	const parser = new MultipartParser(BOUNDARY, (part) => {
		const entry = { filename: part.filename, chunks: [] as Buffer[] };
		out.push(entry);
		return { data: (c) => entry.chunks.push(Buffer.from(c)), end: () => undefined };
	});
	for (let pos = 0; pos < body.length; ) {
		const n = cut();
		parser.write(body.subarray(pos, pos + n));
		pos += n;
	}
	parser.end();
	return out.map((e) => ({ filename: e.filename, data: Buffer.concat(e.chunks) }));
}

test('parts survive any chunking, including near-delimiters in the data', () => {
	const random = mulberry32(7);
	const tricky = [Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}`), Buffer.from('\r\n-'), Buffer.from('\r\n\r\n'), Buffer.from(`-${BOUNDARY}`)];
	for (let iteration = 0; iteration < 500; iteration++) {
		const parts: Buffer[] = [];
		const count = 1 + Math.floor(random() * 3);
		while (parts.length < count) {
			const pieces: Buffer[] = [];
			const n = Math.floor(random() * 6);
			for (let k = 0; k < n; k++) {
				pieces.push(random() < 0.5 ? crypto.randomBytes(Math.floor(random() * 80)) : tricky[Math.floor(random() * tricky.length)]);
			}
			const data = Buffer.concat(pieces);
			// A real delimiter inside the data would be an invalid body: skip those draws.
			if (Buffer.concat([Buffer.from('\r\n'), data, Buffer.from('\r\n')]).includes(`\r\n--${BOUNDARY}`)) continue;
			parts.push(data);
		}
		const body = build(parts);
		const small = random() < 0.5;
		const got = parse(body, () => 1 + Math.floor(random() * (small ? 4 : 200)));
		expect(got.map((g) => g.filename)).toEqual(parts.map((_, i) => `a${i}.wav`));
		got.forEach((g, i) => expect(g.data.equals(parts[i])).toBe(true));
	}
});

test('a body cut before its closing delimiter is an error', () => {
	const body = build([Buffer.from('abc')]);
	expect(() => parse(body.subarray(0, body.length - 20), () => 7)).toThrow(/closing boundary/);
});

test('boundary and header parsing', () => {
	expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
	expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b;c"')).toBe('a b;c');
	expect(() => boundaryOf('application/json')).toThrow(/multipart\/form-data/);
	expect(() => boundaryOf('multipart/form-data')).toThrow(/boundary/);
	expect(parsePartHeaders('Content-Disposition: form-data; name="x"; filename="a \\"b\\".wav"\r\nContent-Type: audio/wav')).toEqual({
		headers: { 'content-disposition': 'form-data; name="x"; filename="a \\"b\\".wav"', 'content-type': 'audio/wav' },
		name: 'x',
		filename: 'a "b".wav',
		contentType: 'audio/wav',
	});
	expect(parsePartHeaders("Content-Disposition: form-data; name=f; filename=\"fallback.wav\"; filename*=UTF-8''%C3%A9.wav").filename).toBe('é.wav');
	expect(() => parsePartHeaders('Content-Type: audio/wav')).toThrow(/Content-Disposition/);
});

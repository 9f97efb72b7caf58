import { MultipartBody, MultipartFile } from '../../../../nodes/ElevateAi/helpers/multipart';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks).toString();
}

describe('helpers/multipart', () => {
	it('should look like a spec FormData (tag, entries, iteration) holding its file parts in order', () => {
		const body = new MultipartBody();
		const a = new MultipartFile('a.wav', 'audio/wav', 3, () => [] as unknown as AsyncIterable<Uint8Array>);
		const b = new MultipartFile('b.mp3', 'audio/mpeg', 5, () => [] as unknown as AsyncIterable<Uint8Array>);
		body.append('a.wav', a);
		body.append('b.mp3', b);

		expect(Object.prototype.toString.call(body)).toBe('[object FormData]');
		expect(typeof body.append).toBe('function');
		expect([...body.entries()]).toEqual([
			['a.wav', a],
			['b.mp3', b],
		]);
		expect([...body]).toEqual([...body.entries()]);
	});

	it('should look like a spec File with name, type and size', () => {
		const file = new MultipartFile('call.wav', 'audio/wav', 1234, async function* () {});

		expect(Object.prototype.toString.call(file)).toBe('[object File]');
		expect([file.name, file.type, file.size]).toEqual(['call.wav', 'audio/wav', 1234]);
	});

	it('should open the source only when the stream is read, and anew for every stream', async () => {
		let opened = 0;
		const file = new MultipartFile('call.wav', 'audio/wav', 6, async () => {
			opened++;
			return (async function* () {
				yield Buffer.from('abc');
				yield Buffer.from('def');
			})();
		});

		const stream = file.stream();
		expect(opened).toBe(0);
		expect(await readAll(stream)).toBe('abcdef');
		expect(await readAll(file.stream())).toBe('abcdef');
		expect(opened).toBe(2);
	});

	it('should accept a source that returns an iterable synchronously', async () => {
		const file = new MultipartFile('x.wav', 'audio/wav', 2, () =>
			(async function* () {
				yield new Uint8Array([104, 105]);
			})(),
		);

		expect(await readAll(file.stream())).toBe('hi');
	});
});

/**
 * A minimal spec-compliant FormData for one file part whose bytes are produced on demand.
 *
 * axios (under n8n's HTTP helpers) recognises any object that looks like a spec FormData
 * (`append`, `Symbol.toStringTag === 'FormData'`, iterable entries) and serialises it itself,
 * reading each file through `stream()` and computing Content-Length from `size`. Handing it a
 * file whose `stream()` pulls from n8n's binary store keeps memory flat for recordings of any
 * size, without the `form-data`, `stream` or `fs` modules that community nodes may not use.
 */

export type ChunkSource = () => Promise<AsyncIterable<Uint8Array>> | AsyncIterable<Uint8Array>;

export class MultipartFile {
	constructor(
		readonly name: string,
		readonly type: string,
		readonly size: number,
		private readonly open: ChunkSource,
	) {}

	stream(): AsyncIterable<Uint8Array> {
		const open = this.open;
		// axios iterates the result synchronously with `yield*`, so opening is deferred into it.
		return (async function* () {
			yield* await open();
		})();
	}

	get [Symbol.toStringTag](): string {
		return 'File';
	}
}

export class MultipartBody {
	private readonly parts: Array<[string, MultipartFile]> = [];

	append(name: string, file: MultipartFile): void {
		this.parts.push([name, file]);
	}

	entries(): IterableIterator<[string, MultipartFile]> {
		return this.parts[Symbol.iterator]();
	}

	[Symbol.iterator](): IterableIterator<[string, MultipartFile]> {
		return this.entries();
	}

	get [Symbol.toStringTag](): string {
		return 'FormData';
	}
}

import { NodeOperationError } from 'n8n-workflow';

import { getItemBinaryFile } from '../../../../nodes/ElevateAi/helpers/binary';
import type { FakeBinary } from '../../../helpers/context';
import { fakeContext } from '../../../helpers/context';

async function readAll(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of source) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

const AUDIO = Buffer.from('ID3\x04\x00fake mp3 frames', 'latin1');

function withBinary(binary: FakeBinary) {
	return fakeContext({ items: [{ binary: { data: binary } }, { binary: { data: binary } }] });
}

describe('helpers/binary', () => {
	it('should read an inline binary once and hand out its bytes on every open', async () => {
		const fake = withBinary({ content: AUDIO, fileName: 'call.mp3', mimeType: 'audio/mpeg' });

		const file = await getItemBinaryFile(fake.ctx, 1, 'data');

		expect(fake.helpers.assertBinaryData).toHaveBeenCalledWith(1, 'data');
		expect(fake.helpers.getBinaryDataBuffer).toHaveBeenCalledTimes(1);
		expect(fake.helpers.getBinaryDataBuffer).toHaveBeenCalledWith(1, 'data');
		expect({ ...file, open: undefined }).toEqual({ fileName: 'call.mp3', mimeType: 'audio/mpeg', fileSize: AUDIO.length, open: undefined });
		expect(await readAll(await file.open())).toEqual(AUDIO);
		expect(await readAll(await file.open())).toEqual(AUDIO);
	});

	it('should stream a binary stored by id and size it from the store metadata', async () => {
		const fake = withBinary({ content: AUDIO, fileName: 'call.mp3', mimeType: 'audio/mpeg', stored: true });
		const id = fake.items[0].binary?.data.id as string;

		const file = await getItemBinaryFile(fake.ctx, 0, 'data');

		expect(fake.helpers.getBinaryMetadata).toHaveBeenCalledWith(id);
		expect(fake.helpers.getBinaryDataBuffer).not.toHaveBeenCalled();
		expect(fake.helpers.getBinaryStream).not.toHaveBeenCalled();
		expect(file.fileSize).toBe(AUDIO.length);
		expect(await readAll(await file.open())).toEqual(AUDIO);
		expect(fake.helpers.getBinaryStream).toHaveBeenCalledWith(id);
	});

	it.each<[string, FakeBinary, string | undefined, string]>([
		['the binary file name', { content: AUDIO, fileName: 'a.WAV' }, undefined, 'a.WAV'],
		['the override, trimmed', { content: AUDIO, fileName: 'a.wav' }, ' b.flac ', 'b.flac'],
		['the override plus the binary extension', { content: AUDIO, fileName: 'a.wav', fileExtension: 'wav' }, 'renamed', 'renamed.wav'],
		['the binary name plus its extension', { content: AUDIO, fileName: 'a', fileExtension: 'm4a' }, undefined, 'a.m4a'],
		['"recording" plus the extension', { content: AUDIO, fileExtension: 'ogg' }, '', 'recording.ogg'],
	])('should name the file after %s', async (_, binary, override, expected) => {
		const fake = withBinary(binary);

		expect((await getItemBinaryFile(fake.ctx, 0, 'data', override)).fileName).toBe(expected);
	});

	it('should fall back to application/octet-stream when the binary has no MIME type', async () => {
		const fake = withBinary({ content: AUDIO, fileName: 'a.wav', mimeType: '' });

		expect((await getItemBinaryFile(fake.ctx, 0, 'data')).mimeType).toBe('application/octet-stream');
	});

	it.each<[string, FakeBinary, string, string]>([
		['no extension at all', { content: AUDIO }, 'data', 'Invalid file name: "recording" does not end in a supported audio extension [item 0]'],
		['a non-audio extension', { content: AUDIO, fileName: 'report.pdf' }, 'data', 'Invalid file name: "report.pdf" does not end in a supported audio extension [item 0]'],
		['an empty property name', { content: AUDIO, fileName: 'a.wav' }, '', 'Invalid Input Binary Field: it is empty [item 0]'],
	])('should refuse %s, naming the item, before reading anything', async (_, binary, property, message) => {
		const fake = withBinary(binary);

		const error = await getItemBinaryFile(fake.ctx, 0, property).catch((e: unknown) => e);

		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toBe(message);
		expect((error as NodeOperationError).context.itemIndex).toBe(0);
		expect(fake.helpers.getBinaryDataBuffer).not.toHaveBeenCalled();
		expect(fake.helpers.getBinaryMetadata).not.toHaveBeenCalled();
	});

	it('should list the supported extensions in the description of a bad name', async () => {
		const fake = withBinary({ content: AUDIO, fileName: 'a.txt' });

		const error = (await getItemBinaryFile(fake.ctx, 0, 'data').catch((e: unknown) => e)) as NodeOperationError;

		expect(error.description).toContain('wav');
		expect(error.description).toContain('mp3');
		expect(error.description).toContain('Set the File Name option');
	});
});

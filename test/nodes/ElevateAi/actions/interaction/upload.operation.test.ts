import { NodeOperationError } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/upload.operation';
import { MultipartBody, MultipartFile } from '../../../../../nodes/ElevateAi/helpers/multipart';
import type { ApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import type { FakeBinary } from '../../../../helpers/context';
import { ID, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const WAV = Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00', 'latin1');

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks);
}

function uploadCall(): ApiRequest {
	const call = request.mock.calls.find(([, req]) => req.path.endsWith('/upload'));
	if (!call) throw new Error('no upload request');
	return call[1];
}

/** The single part of the multipart body a request would send. */
function onlyPart(req: ApiRequest): [string, MultipartFile] {
	const body = (req.multipart as () => MultipartBody)();
	expect(body).toBeInstanceOf(MultipartBody);
	expect(Object.prototype.toString.call(body)).toBe('[object FormData]');
	const parts = [...body.entries()];
	expect(parts).toHaveLength(1);
	return parts[0];
}

function uploadContext(binary: FakeBinary, overrides: Record<string, string | object> = {}) {
	return fakeContext({
		params: { operation: 'upload', ...overrides },
		items: [{ json: { interactionIdentifier: ID }, binary: { data: binary } }],
	});
}

describe('interaction:upload', () => {
	beforeEach(() => {
		request.mockReset();
		fakeApi(request, { 'POST /interactions/:id/upload': () => undefined });
	});

	it('should upload an inline binary as one part named after the file, with retry mode upload', async () => {
		const fake = uploadContext({ content: WAV, fileName: 'call-0042.wav', mimeType: 'audio/wav' });

		const outcomes = await fake.run(execute);

		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith(fake.ctx, {
			method: 'POST',
			path: `/interactions/${ID}/upload`,
			multipart: expect.any(Function),
			itemIndex: 0,
			retry: 'upload',
			maxRetries: 5,
			beforeRetry: expect.any(Function),
			timeoutMs: 600_000,
			ignoreSuccessBody: true,
		});
		const [name, file] = onlyPart(uploadCall());
		expect(name).toBe('call-0042.wav');
		expect(file).toBeInstanceOf(MultipartFile);
		expect(file.name).toBe('call-0042.wav');
		expect(file.type).toBe('audio/wav');
		expect(file.size).toBe(WAV.length);
		expect(Object.prototype.toString.call(file)).toBe('[object File]');
		expect(await readAll(file.stream())).toEqual(WAV);
		expect(fake.helpers.assertBinaryData).toHaveBeenCalledWith(0, 'data');
		expect(fake.helpers.getBinaryDataBuffer).toHaveBeenCalledWith(0, 'data');
		expect(fake.helpers.getBinaryStream).not.toHaveBeenCalled();
		expect(outcomes).toEqual([
			[
				{
					json: { interactionIdentifier: ID, uploaded: true, fileName: 'call-0042.wav', fileSize: WAV.length },
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should stream a binary stored by id, sized from its metadata, without loading it into memory', async () => {
		const fake = uploadContext({ content: WAV, fileName: 'long-call.mp3', mimeType: 'audio/mpeg', stored: true });
		const id = fake.items[0].binary?.data.id as string;

		const outcomes = await fake.run(execute);

		expect(fake.helpers.getBinaryMetadata).toHaveBeenCalledWith(id);
		expect(fake.helpers.getBinaryDataBuffer).not.toHaveBeenCalled();
		// Nothing is read until the body is serialised.
		expect(fake.helpers.getBinaryStream).not.toHaveBeenCalled();
		const [name, file] = onlyPart(uploadCall());
		expect(name).toBe('long-call.mp3');
		expect(file.name).toBe('long-call.mp3');
		expect(file.type).toBe('audio/mpeg');
		expect(file.size).toBe(WAV.length);
		expect(await readAll(file.stream())).toEqual(WAV);
		expect(fake.helpers.getBinaryStream).toHaveBeenCalledWith(id);
		expect(outcomes).toEqual([
			[
				{
					json: { interactionIdentifier: ID, uploaded: true, fileName: 'long-call.mp3', fileSize: WAV.length },
					pairedItem: { item: 0 },
				},
			],
		]);
	});

	it('should build a fresh body that streams from the first byte again on each attempt', async () => {
		const fake = uploadContext({ content: WAV, fileName: 'call.wav', stored: true });

		await fake.run(execute);

		const req = uploadCall();
		const [, first] = onlyPart(req);
		const [, second] = onlyPart(req);
		expect(await readAll(first.stream())).toEqual(WAV);
		expect(await readAll(second.stream())).toEqual(WAV);
		expect(fake.helpers.getBinaryStream).toHaveBeenCalledTimes(2);
	});

	it.each([
		['filePendingUpload', true],
		['fileUploaded', false],
		['processing', false],
	])('should allow a retry only while the status is filePendingUpload (status %s → %s)', async (status, allowed) => {
		const fake = uploadContext({ content: WAV, fileName: 'call.wav' });
		await fake.run(execute);
		fakeApi(request, { 'GET /interactions/:id/status': () => ({ status }) });

		await expect((uploadCall().beforeRetry as () => Promise<boolean>)()).resolves.toBe(allowed);
		expect(requestLines(request).slice(1)).toEqual([`GET /interactions/${ID}/status`]);
	});

	it('should send the file under the File Name option instead of the binary name', async () => {
		const fake = uploadContext({ content: WAV, fileName: 'blob', mimeType: 'audio/mpeg' }, { options: { fileName: ' renamed.MP3 ' } });

		const outcomes = await fake.run(execute);

		const [name, file] = onlyPart(uploadCall());
		expect(name).toBe('renamed.MP3');
		expect(file.name).toBe('renamed.MP3');
		expect((outcomes[0] as Array<{ json: object }>)[0].json).toMatchObject({ fileName: 'renamed.MP3' });
	});

	it('should add the binary extension to a name that has none', async () => {
		const fake = uploadContext({ content: WAV, fileName: 'call', fileExtension: 'ogg' });

		await fake.run(execute);

		expect(onlyPart(uploadCall())[0]).toBe('call.ogg');
	});

	it('should name an unnamed binary after its extension', async () => {
		const fake = uploadContext({ content: WAV, fileExtension: 'flac' });

		await fake.run(execute);

		expect(onlyPart(uploadCall())[0]).toBe('recording.flac');
	});

	it('should read the binary from the property named in Input Binary Field', async () => {
		const fake = fakeContext({
			params: { operation: 'upload', binaryPropertyName: 'audio' },
			items: [{ json: { interactionIdentifier: ID }, binary: { audio: { content: WAV, fileName: 'x.m4a' } } }],
		});

		await fake.run(execute);

		expect(fake.helpers.assertBinaryData).toHaveBeenCalledWith(0, 'audio');
		expect(onlyPart(uploadCall())[0]).toBe('x.m4a');
	});

	it.each<[string, FakeBinary, Record<string, string | object>, string]>([
		[
			'a file whose extension is not audio',
			{ content: WAV, fileName: 'notes.txt' },
			{},
			'Invalid file name: "notes.txt" does not end in a supported audio extension [item 0]',
		],
		[
			'a File Name option without an audio extension',
			{ content: WAV, fileName: 'call.wav' },
			{ options: { fileName: 'call.doc' } },
			'Invalid file name: "call.doc" does not end in a supported audio extension [item 0]',
		],
		['an empty file', { content: '', fileName: 'silence.wav' }, {}, 'Invalid recording: the file "silence.wav" is empty [item 0]'],
		['an empty Input Binary Field', { content: WAV, fileName: 'a.wav' }, { binaryPropertyName: '  ' }, 'Invalid Input Binary Field: it is empty [item 0]'],
		[
			'a missing binary property',
			{ content: WAV, fileName: 'a.wav' },
			{ binaryPropertyName: 'recording' },
			"This operation expects the node's input data to contain a binary file 'recording', but none was found [item 0]",
		],
	])('should reject %s before any request', async (_, binary, overrides, message) => {
		const fake = uploadContext(binary, overrides);

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toBe(message);
		expect((outcome as NodeOperationError).context.itemIndex).toBe(0);
		expect(request).not.toHaveBeenCalled();
	});

	it('should reject an empty file stored by id before any request', async () => {
		const fake = uploadContext({ content: '', fileName: 'silence.wav', stored: true });

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe('Invalid recording: the file "silence.wav" is empty [item 0]');
		expect(request).not.toHaveBeenCalled();
	});
});

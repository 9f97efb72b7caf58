import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { AUDIO_EXTENSIONS, DEFAULTS } from './contract';
import { invalidItemMessage } from './errors';
import { safeFileName } from './headerValues';
import type { ChunkSource } from './multipart';
import { parseMediaTypeField } from './validation';

export interface ItemBinaryFile {
	fileName: string;
	mimeType: string;
	fileSize: number;
	/** Opens the bytes anew each time, so a retried upload starts from the first byte. */
	open: ChunkSource;
}

function extensionOf(fileName: string): string | undefined {
	const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
	return match ? match[1].toLowerCase() : undefined;
}

/**
 * Reads an item's binary property without loading it when n8n stores it by id (filesystem or
 * database mode): the bytes are streamed from the store at upload time. Inline binaries (the
 * in-memory mode) are already in memory and are read once.
 *
 * ElevateAI reads the codec from the file name, so the name must end in a known audio
 * extension; `fileNameOverride` lets a user fix a badly named file.
 */
export async function getItemBinaryFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	fileNameOverride?: string,
): Promise<ItemBinaryFile> {
	const node = ctx.getNode();
	const property = (propertyName ?? '').trim();
	if (property === '') {
		throw new NodeOperationError(
			node,
			invalidItemMessage('Input Binary Field', 'it is empty', itemIndex),
			{
				itemIndex,
				description:
					'Enter the name of the binary property that holds the recording, usually "data".',
			},
		);
	}
	const binary = ctx.helpers.assertBinaryData(itemIndex, property);

	const fallbackName = binary.fileExtension ? `recording.${binary.fileExtension}` : 'recording';
	// Only the base name travels, made safe for the part header (see safeFileName).
	let fileName = safeFileName((fileNameOverride ?? '').trim() || binary.fileName || fallbackName);
	if (!extensionOf(fileName) && binary.fileExtension)
		fileName = `${fileName}.${binary.fileExtension}`;
	const extension = extensionOf(fileName);
	if (!extension || !(AUDIO_EXTENSIONS as readonly string[]).includes(extension)) {
		throw new NodeOperationError(
			node,
			invalidItemMessage(
				'file name',
				`"${fileName}" does not end in a supported audio extension`,
				itemIndex,
			),
			{
				itemIndex,
				description: `ElevateAI takes the codec from the file extension. Supported: ${AUDIO_EXTENSIONS.join(', ')}. Set the File Name option (e.g. call.wav) if the binary has the wrong name.`,
			},
		);
	}
	const mimeType = binary.mimeType?.trim()
		? parseMediaTypeField(node, itemIndex, binary.mimeType)
		: 'application/octet-stream';

	if (binary.id) {
		const id = binary.id;
		const { fileSize } = await ctx.helpers.getBinaryMetadata(id);
		return {
			fileName,
			mimeType,
			fileSize,
			open: async () => await ctx.helpers.getBinaryStream(id),
		};
	}

	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	return {
		fileName,
		mimeType,
		fileSize: buffer.length,
		open: () =>
			(async function* () {
				yield buffer;
			})(),
	};
}

/** Reads the item's recording (Input Binary Field, File Name option), checked before anything is sent. */
export async function readRecording(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<ItemBinaryFile> {
	const property = ctx.getNodeParameter(
		'binaryPropertyName',
		itemIndex,
		DEFAULTS.binaryPropertyName,
	) as string;
	const fileName = ctx.getNodeParameter('options.fileName', itemIndex, '') as string;
	const file = await getItemBinaryFile(ctx, itemIndex, property, fileName);
	if (file.fileSize === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			invalidItemMessage('recording', `the file "${file.fileName}" is empty`, itemIndex),
			{
				itemIndex,
			},
		);
	}
	return file;
}

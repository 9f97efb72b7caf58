import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { perItem } from '../../helpers/batch';
import type { ItemBinaryFile } from '../../helpers/binary';
import { getItemBinaryFile } from '../../helpers/binary';
import { STATUSES_AWAITING_FILE, STATUSES_WITH_FILE } from '../../helpers/model';
import { MultipartBody, MultipartFile } from '../../helpers/multipart';
import { toItem } from '../../helpers/output';
import { readInteractionIdentifier } from '../../helpers/validation';
import { elevateAiApiRequest } from '../../transport';
import {
	binaryPropertyName,
	fileNameOption,
	interactionIdentifier,
	optionsCollection,
	notice,
} from '../common.descriptions';
import { fetchStatus } from './getStatus.operation';

const properties: INodeProperties[] = [
	interactionIdentifier,
	binaryPropertyName,
	notice(
		'uploadNotice',
		"The item's recording is streamed from n8n's binary store, so files of hundreds of MB are fine. Only audio interactions declared without a Download URI accept an upload.",
	),
	optionsCollection([fileNameOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['upload'] } },
	properties,
);

/** Reads the item's recording, checked before anything is declared or sent. */
export async function readRecording(
	ctx: IExecuteFunctions,
	itemIndex: number,
): Promise<ItemBinaryFile> {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const fileName = ctx.getNodeParameter('options.fileName', itemIndex, '') as string;
	const file = await getItemBinaryFile(ctx, itemIndex, property, fileName);
	if (file.fileSize === 0) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Invalid recording in item ${itemIndex}: the file "${file.fileName}" is empty`,
			{
				itemIndex,
			},
		);
	}
	return file;
}

/**
 * Uploads the recording as the single multipart part ElevateAI expects, named after the file
 * (the server reads the codec from its extension). A failed upload is retried only while the
 * interaction still waits for its file, so a file is never sent to an interaction that has it.
 */
export async function uploadRecording(
	ctx: IExecuteFunctions,
	itemIndex: number,
	identifier: string,
	file: ItemBinaryFile,
): Promise<void> {
	// Set when the status check after a failed attempt shows that ElevateAI has the file anyway
	// (the connection broke after the last byte, or a gateway failed after the service answered).
	let arrived = false;
	try {
		await elevateAiApiRequest<IDataObject>(ctx, {
			method: 'POST',
			path: `/interactions/${identifier}/upload`,
			multipart: () => {
				const form = new MultipartBody();
				form.append(
					file.fileName,
					new MultipartFile(file.fileName, file.mimeType, file.fileSize, file.open),
				);
				return form;
			},
			itemIndex,
			retry: 'upload',
			beforeRetry: async () => {
				const { status } = await fetchStatus(ctx, itemIndex, identifier);
				arrived = STATUSES_WITH_FILE.includes(status);
				return STATUSES_AWAITING_FILE.includes(status);
			},
			// Large files take long to send; the timeout guards against a stalled connection only.
			timeoutMs: 10 * 60_000,
		});
	} catch (error) {
		if (arrived) return;
		throw error instanceof NodeApiError
			? error
			: new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
	}
}

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const file = await readRecording(this, itemIndex);
	await uploadRecording(this, itemIndex, identifier, file);
	return [
		toItem(
			{
				interactionIdentifier: identifier,
				uploaded: true,
				fileName: file.fileName,
				fileSize: file.fileSize,
			},
			itemIndex,
		),
	];
});

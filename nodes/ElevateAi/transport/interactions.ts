import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ItemBinaryFile } from '../helpers/binary';
import type {
	AgentInsight,
	InteractionStatusResponse,
	TranscriptFormat,
} from '../helpers/contract';
import {
	STATUSES_AWAITING_FILE,
	STATUSES_WITH_FILE,
	isGuid,
	statusOutcome,
} from '../helpers/contract';
import { toNodeError } from '../helpers/errors';
import type { CallOptions } from '../helpers/interfaces';
import { MultipartBody, MultipartFile } from '../helpers/multipart';
import { elevateAiApiRequest } from './request';

/**
 * The ElevateAI client: one function per thing the node asks of ElevateAI, and the only code
 * that knows the API's paths. Each takes the item's `CallOptions` and a validated identifier;
 * the HTTP work (retries, errors, redaction) is `elevateAiApiRequest`'s.
 */

const interactionPath = (identifier: string, below = '') => `/interactions/${identifier}${below}`;

const TRANSCRIPT_PATHS: Record<TranscriptFormat, string> = {
	punctuated: '/transcripts/punctuated',
	phraseByPhrase: '/transcript',
};

/** Sends a declaration once (retried only when ElevateAI proves nothing was created). */
export async function declareInteraction(
	ctx: IExecuteFunctions,
	call: CallOptions,
	body: IDataObject,
): Promise<string> {
	const response = await elevateAiApiRequest<IDataObject>(ctx, {
		method: 'POST',
		path: '/interactions',
		body,
		itemIndex: call.itemIndex,
		retry: 'declare',
		maxRetries: call.maxRetries,
	});
	const identifier = response.body?.interactionIdentifier;
	if (!isGuid(identifier)) {
		const message = 'ElevateAI accepted the declare but returned no interactionIdentifier';
		throw new NodeApiError(
			ctx.getNode(),
			{ message },
			{
				itemIndex: call.itemIndex,
				message,
				description:
					'The interaction may exist without an ID in this workflow. Look it up in the ElevateAI portal (by External Identifier) before running this item again.',
			},
		);
	}
	return identifier.toLowerCase();
}

export async function fetchStatus(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
): Promise<InteractionStatusResponse> {
	const { body } = await elevateAiApiRequest<InteractionStatusResponse>(ctx, {
		method: 'GET',
		path: interactionPath(identifier, '/status'),
		itemIndex: call.itemIndex,
		retry: 'idempotent',
		maxRetries: call.maxRetries,
	});
	if (!body || typeof body.status !== 'string') {
		const message = 'ElevateAI returned a status answer without a status';
		throw new NodeApiError(ctx.getNode(), { message }, { itemIndex: call.itemIndex, message });
	}
	return body;
}

/**
 * Uploads the recording as the single multipart part ElevateAI expects, named after the file
 * (the server reads the codec from its extension). A failed upload is retried only while the
 * interaction still waits for its file, so a file is never sent to an interaction that has it.
 */
export async function uploadRecording(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
	file: ItemBinaryFile,
): Promise<void> {
	// Set when the status check after a failed attempt shows that ElevateAI has the file anyway
	// (the connection broke after the last byte, or a gateway failed after the service answered).
	let arrived = false;
	try {
		await elevateAiApiRequest<IDataObject>(ctx, {
			method: 'POST',
			path: interactionPath(identifier, '/upload'),
			multipart: () => {
				const form = new MultipartBody();
				form.append(
					file.fileName,
					new MultipartFile(file.fileName, file.mimeType, file.fileSize, file.open),
				);
				return form;
			},
			itemIndex: call.itemIndex,
			retry: 'upload',
			maxRetries: call.maxRetries,
			// ElevateAI stored the file on any 2xx; whatever body came with it does not matter.
			ignoreSuccessBody: true,
			beforeRetry: async () => {
				const { status } = await fetchStatus(ctx, call, identifier);
				arrived = STATUSES_WITH_FILE.includes(status);
				return STATUSES_AWAITING_FILE.includes(status);
			},
			// Large files take long to send; the timeout guards against a stalled connection only.
			timeoutMs: 10 * 60_000,
		});
	} catch (error) {
		if (arrived) return;
		throw toNodeError(ctx.getNode(), error, call.itemIndex);
	}
}

/**
 * Reads one result resource of a processed interaction. ElevateAI answers 404 both for unknown
 * interactions and for results that are not ready, so a 404 is followed by one status check to
 * tell the user which it is.
 */
async function fetchResult(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
	below: string,
	headers?: IDataObject,
): Promise<IDataObject | undefined> {
	try {
		const { body } = await elevateAiApiRequest<IDataObject>(ctx, {
			method: 'GET',
			path: interactionPath(identifier, below),
			headers,
			itemIndex: call.itemIndex,
			retry: 'idempotent',
			maxRetries: call.maxRetries,
		});
		return body;
	} catch (error) {
		const nodeError = toNodeError(ctx.getNode(), error, call.itemIndex);
		// Only the transport's own 404 needs a closer look; every other error passes unchanged.
		if (!(nodeError instanceof NodeApiError) || String(nodeError.httpCode) !== '404')
			throw nodeError;
		const status = await fetchStatus(ctx, call, identifier).catch(() => undefined);
		if (status && statusOutcome(status.status) !== 'done') {
			throw new NodeOperationError(
				ctx.getNode(),
				`The results of interaction ${identifier} are not ready: its status is "${status.status}"`,
				{
					itemIndex: call.itemIndex,
					description:
						'Results can be read once the status is "processed". Put a Wait For Completion operation before this one.',
				},
			);
		}
		throw nodeError;
	}
}

/** The parameters the interaction was declared with. */
export async function fetchDeclaration(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
): Promise<IDataObject | undefined> {
	return await fetchResult(ctx, call, identifier, '');
}

/** The transcript in the chosen format; `undefined` when nothing was said (ElevateAI's 204). */
export async function fetchTranscript(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
	format: TranscriptFormat,
): Promise<IDataObject | undefined> {
	return await fetchResult(ctx, call, identifier, TRANSCRIPT_PATHS[format]);
}

export async function fetchAiResults(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
): Promise<IDataObject> {
	return (await fetchResult(ctx, call, identifier, '/ai')) ?? {};
}

export interface SummaryRequest {
	includeDetails: boolean;
	/** Sent as Accept-Language; ElevateAI's default language when left out. */
	language?: string;
}

/** The generative AI summary, and its details when asked: `{ summary, reasons?, … }`. */
export async function fetchSummary(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
	request: SummaryRequest,
): Promise<IDataObject> {
	const headers = request.language ? { 'Accept-Language': request.language } : undefined;
	const summary = await fetchResult(ctx, call, identifier, '/gen-ai/cx/summary', headers);
	const result: IDataObject = { summary: (summary?.summary as string | undefined) ?? '' };
	if (request.includeDetails) {
		const details = await fetchResult(ctx, call, identifier, '/gen-ai/cx/summary/details', headers);
		Object.assign(result, details);
	}
	return result;
}

const AGENT_INSIGHT_PATHS: Record<AgentInsight, string> = {
	actionItems: '/gen-ai/cx/agent/action-items',
	coachingAssistant: '/gen-ai/cx/agent/coaching-assistant',
};

/**
 * A generative AI agent insight. ElevateAI has not published the shape of these answers, so it
 * is returned as it comes (`undefined` for a 204). Same rules as the summary: only once
 * processed, and the caller keeps to the generative AI concurrency limit.
 */
export async function fetchAgentInsight(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
	insight: AgentInsight,
): Promise<unknown> {
	return await fetchResult(ctx, call, identifier, AGENT_INSIGHT_PATHS[insight]);
}

export async function deleteInteraction(
	ctx: IExecuteFunctions,
	call: CallOptions,
	identifier: string,
): Promise<void> {
	await elevateAiApiRequest(ctx, {
		method: 'DELETE',
		path: interactionPath(identifier),
		itemIndex: call.itemIndex,
		retry: 'idempotent',
		maxRetries: call.maxRetries,
		ignoreSuccessBody: true,
	});
}

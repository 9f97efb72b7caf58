import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOf, withInteraction, withUnfinished } from '../../helpers/batch';
import type { ItemBinaryFile } from '../../helpers/binary';
import { mapConcurrent } from '../../helpers/concurrency';
import type { ItemOutcome, OperationExecutor } from '../../helpers/interfaces';
import type { InteractionStatusResponse, TranscriptFormat } from '../../helpers/model';
import { GEN_AI_MAX_CONCURRENCY, POLL_GUIDANCE_SECONDS } from '../../helpers/model';
import { toItem } from '../../helpers/output';
import {
	binaryPropertyName,
	fileNameOption,
	optionsCollection,
	pollInterval,
	summaryLanguageOption,
	timeout,
	transcriptFormat,
} from '../common.descriptions';
import type { Declaration } from './declare.operation';
import { declarationProperties, declareInteraction, readDeclaration } from './declare.operation';
import { deleteInteraction } from './delete.operation';
import { fetchAiResults } from './getAiResults.operation';
import type { SummaryRequest } from './getSummary.operation';
import { fetchSummary } from './getSummary.operation';
import { fetchTranscript, readTranscriptFormat } from './getTranscript.operation';
import { readRecording, uploadRecording } from './upload.operation';
import { readWaitSettings, waitForInteractions } from './waitForCompletion.operation';

const properties: INodeProperties[] = [
	...declarationProperties,
	{
		...binaryPropertyName,
		displayOptions: { show: { interactionType: ['audio'] } },
		hint: 'The input binary field that holds the recording. Not used when a Download URI is set.',
	},
	{ ...pollInterval, displayOptions: { show: { interactionType: ['audio'] } } },
	{
		...pollInterval,
		default: POLL_GUIDANCE_SECONDS.chat,
		displayOptions: { show: { interactionType: ['chat', 'transcript'] } },
	},
	timeout,
	transcriptFormat,
	optionsCollection([
		{
			displayName: 'Delete After Reading',
			name: 'deleteAfterReading',
			type: 'boolean',
			default: false,
			description:
				'Whether to delete the interaction at ElevateAI once its results are read, instead of leaving them there for 45 days',
		},
		fileNameOption,
		{
			displayName: 'Include Summary',
			name: 'includeSummary',
			type: 'boolean',
			default: false,
			description: 'Whether to add the generative AI summary of the conversation',
		},
		{
			displayName: 'Include Summary Details',
			name: 'includeSummaryDetails',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the summary details: reasons, actions taken by the agent, entities and whether the issue was resolved',
		},
		summaryLanguageOption,
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['transcribe'] } },
	properties,
);

/** One item's way through Transcribe; each step fills in a field or sets `error`. */
interface Job {
	position: number;
	itemIndex: number;
	declaration: Declaration;
	recording?: ItemBinaryFile;
	wait: { intervalMs: number; timeoutMs: number };
	format: TranscriptFormat;
	summary?: SummaryRequest;
	deleteAfterReading: boolean;
	identifier?: string;
	status?: InteractionStatusResponse;
	output?: IDataObject;
	error?: Error;
}

/** Reads and checks everything an item needs, so a bad item fails before anything is declared. */
async function prepare(ctx: IExecuteFunctions, itemIndex: number, position: number): Promise<Job> {
	const declaration = readDeclaration(ctx, itemIndex);
	const option = (name: string) =>
		ctx.getNodeParameter(`options.${name}`, itemIndex, false) === true;
	const includeSummary = option('includeSummary') || option('includeSummaryDetails');
	const language = String(ctx.getNodeParameter('options.summaryLanguage', itemIndex, '')).trim();
	return {
		position,
		itemIndex,
		declaration,
		recording: declaration.needsUpload ? await readRecording(ctx, itemIndex) : undefined,
		wait: readWaitSettings(ctx, itemIndex, POLL_GUIDANCE_SECONDS[declaration.type]),
		format: readTranscriptFormat(ctx, itemIndex),
		summary: includeSummary
			? { includeDetails: option('includeSummaryDetails'), language: language || undefined }
			: undefined,
		deleteAfterReading: option('deleteAfterReading'),
	};
}

async function submit(ctx: IExecuteFunctions, job: Job): Promise<void> {
	job.identifier = await declareInteraction(ctx, job.itemIndex, job.declaration);
	if (job.recording) await uploadRecording(ctx, job.itemIndex, job.identifier, job.recording);
}

async function collect(ctx: IExecuteFunctions, job: Job): Promise<void> {
	const identifier = job.identifier as string;
	const transcript = await fetchTranscript(ctx, job.itemIndex, identifier, job.format);
	const output: IDataObject = {
		interactionIdentifier: identifier,
		status: job.status?.status,
		...transcript,
	};
	if (job.declaration.body.includeAiResults === true) {
		output.aiResults = await fetchAiResults(ctx, job.itemIndex, identifier);
	}
	if (job.summary)
		Object.assign(output, await fetchSummary(ctx, job.itemIndex, identifier, job.summary));
	if (job.deleteAfterReading) {
		await deleteInteraction(ctx, job.itemIndex, identifier);
		output.deleted = true;
	}
	job.output = output;
}

/**
 * Declare (and upload) every item, wait for all of them in one polling loop, then read the
 * results. Each step runs with bounded concurrency; an item that fails keeps its error (and its
 * interaction ID, when one was created) and the others go on.
 */
export const execute: OperationExecutor = async function (
	this: IExecuteFunctions,
	itemIndexes,
	{ continueOnFail },
) {
	const outcomes: Array<ItemOutcome | undefined> = new Array(itemIndexes.length).fill(undefined);
	const jobs: Job[] = [];
	for (const [position, itemIndex] of itemIndexes.entries()) {
		try {
			jobs.push(await prepare(this, itemIndex, position));
		} catch (error) {
			outcomes[position] = error as Error;
			if (!continueOnFail) return outcomes;
		}
	}

	const concurrency = concurrencyOf(this);
	const live = () => jobs.filter((job) => !job.error);
	const stop = () => !continueOnFail && jobs.some((job) => job.error);
	const step = async (limit: number, run: (job: Job) => Promise<void>) => {
		await mapConcurrent(
			live(),
			limit,
			async (job) => {
				try {
					await run(job);
				} catch (error) {
					job.error = job.identifier
						? withInteraction(this, error, job.identifier, job.itemIndex)
						: (error as Error);
				}
			},
			stop,
		);
	};

	await step(concurrency, async (job) => await submit(this, job));
	const waiting = stop() ? [] : live().filter((job) => job.identifier);
	const statuses = await waitForInteractions(
		this,
		waiting.map((job) => ({
			itemIndex: job.itemIndex,
			identifier: job.identifier as string,
			...job.wait,
		})),
		!continueOnFail,
	);
	statuses.forEach((status, i) => {
		const job = waiting[i];
		if (status instanceof Error)
			job.error = withInteraction(this, status, job.identifier as string, job.itemIndex);
		else job.status = status;
	});
	const needsResults = live().some((job) => job.summary)
		? Math.min(concurrency, GEN_AI_MAX_CONCURRENCY)
		: concurrency;
	if (!stop())
		await step(needsResults, async (job) => (job.status ? await collect(this, job) : undefined));

	// A stopped batch leaves interactions created but unfinished; the errors carry them to the router.
	const unfinished = jobs
		.filter((job) => job.identifier && !job.error && !job.output)
		.map((job) => job.identifier as string);
	for (const job of jobs) {
		if (job.error) {
			outcomes[job.position] =
				unfinished.length > 0
					? withUnfinished(this, job.error, unfinished, job.itemIndex)
					: job.error;
		} else if (job.output) {
			outcomes[job.position] = [toItem(job.output, job.itemIndex)];
		}
	}
	return outcomes;
};

import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { concurrencyOf, readConcurrency, withUnfinished } from '../../helpers/batch';
import type { ItemBinaryFile } from '../../helpers/binary';
import { readRecording } from '../../helpers/binary';
import type { Limiter } from '../../helpers/concurrency';
import { createLimiter, mapConcurrent } from '../../helpers/concurrency';
import type { InteractionStatusResponse, TranscriptFormat } from '../../helpers/contract';
import { GEN_AI_MAX_CONCURRENCY } from '../../helpers/contract';
import type { Declaration } from '../../helpers/declaration';
import { readDeclaration } from '../../helpers/declaration';
import { toNodeError } from '../../helpers/errors';
import type { CallOptions, ItemOutcome, OperationExecutor } from '../../helpers/interfaces';
import { carriedExternalId, forPeople, toItem } from '../../helpers/output';
import type { OutputSettings } from '../../helpers/outputOptions';
import {
	aiResultsJson,
	readOutputSettings,
	transcriptBinary,
	transcriptJson,
} from '../../helpers/outputOptions';
import { waitForInteractions } from '../../helpers/polling';
import type { SideEffects } from '../../helpers/sideEffects';
import { addSideEffect } from '../../helpers/sideEffects';
import { readSummaryWanted } from '../../helpers/legacy';
import { agentFromChat } from '../../helpers/transcript';
import {
	readBoolean,
	readCallOptions,
	readTranscriptFormat,
	readWaitSettings,
} from '../../helpers/validation';
import type { SummaryRequest } from '../../transport/interactions';
import {
	declareInteraction,
	deleteInteraction,
	fetchAiResults,
	fetchStatus,
	fetchSummary,
	fetchTranscript,
	uploadRecording,
} from '../../transport/interactions';
import {
	agentParticipantOption,
	binaryPropertyName,
	declarationProperties,
	fileNameOption,
	optionsCollection,
	pollInterval,
	simple,
	summary,
	summaryLanguage,
	summaryLanguageOption,
	timeout,
	transcriptFileOptions,
	transcriptFormat,
	whileSet,
} from '../common.descriptions';

/**
 * The Options that Summary replaced, kept for saved workflows (helpers/legacy.ts reads them):
 * shown only while set and while Summary is None, so choosing a Summary removes them.
 */
const replacedBySummary = { show: { '/summary': ['none'] } };
const oldSummaryOptions: INodeProperties[] = [
	{
		displayName: 'Include Summary (Deprecated)',
		name: 'includeSummary',
		type: 'boolean',
		default: false,
		displayOptions: { show: { ...replacedBySummary.show, includeSummary: [whileSet] } },
		description:
			'Whether to add the summary. Replaced by Summary; used only while Summary is None.',
	},
	{
		// Short enough for the editor's label width in a collection.
		displayName: 'Summary Details (Deprecated)',
		name: 'includeSummaryDetails',
		type: 'boolean',
		default: false,
		displayOptions: { show: { ...replacedBySummary.show, includeSummaryDetails: [whileSet] } },
		description:
			'Whether to add the summary with its details. Replaced by Summary; used only while Summary is None.',
	},
	{
		...summaryLanguageOption,
		displayName: 'Summary Language (Deprecated)',
		displayOptions: { show: { ...replacedBySummary.show, summaryLanguage: [whileSet] } },
		description:
			'The language of the summary. Replaced by the Summary Language shown under Summary; used only while Summary is None.',
	},
];

const properties: INodeProperties[] = [
	...declarationProperties({
		recording: [
			{
				...binaryPropertyName,
				displayOptions: { show: { interactionType: ['audio'], recordingSource: ['binary'] } },
				hint: 'The input binary field that holds the recording',
			},
		],
		results: [summary, summaryLanguage],
	}),
	pollInterval,
	timeout,
	transcriptFormat,
	simple,
	optionsCollection([
		agentParticipantOption,
		...transcriptFileOptions,
		{
			displayName: 'Delete After Reading',
			name: 'deleteAfterReading',
			type: 'boolean',
			default: false,
			description:
				'Whether to delete the interaction at ElevateAI once its results are read, instead of leaving them there for 45 days',
		},
		fileNameOption,
		...oldSummaryOptions,
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
	call: CallOptions;
	declaration: Declaration;
	recording?: ItemBinaryFile;
	wait: { intervalMs: number; timeoutMs: number };
	format: TranscriptFormat;
	output: OutputSettings;
	summary?: SummaryRequest;
	deleteAfterReading: boolean;
	identifier?: string;
	uploaded?: boolean;
	status?: InteractionStatusResponse;
	result?: { json: IDataObject; binary?: IBinaryKeyData };
	error?: Error;
}

/** Reads and checks everything an item needs, so a bad item fails before anything is declared. */
async function prepare(ctx: IExecuteFunctions, itemIndex: number, position: number): Promise<Job> {
	const declaration = readDeclaration(ctx, itemIndex);
	const option = (name: string, field: string) =>
		readBoolean(ctx, itemIndex, `options.${name}`, field);
	const summaryWanted = readSummaryWanted(ctx, itemIndex);
	const output = readOutputSettings(ctx, itemIndex, { files: true });
	// A chat says who the agent is; an explicit Agent Participant still wins.
	if (!output.agent && declaration.type === 'chat')
		output.agent = agentFromChat(declaration.body.chat);
	return {
		position,
		itemIndex,
		declaration,
		recording: declaration.needsUpload ? await readRecording(ctx, itemIndex) : undefined,
		wait: readWaitSettings(ctx, itemIndex, declaration.type),
		format: readTranscriptFormat(ctx, itemIndex),
		output,
		summary: summaryWanted,
		deleteAfterReading: option('deleteAfterReading', 'Delete After Reading'),
		call: readCallOptions(ctx, itemIndex),
	};
}

async function submit(ctx: IExecuteFunctions, job: Job): Promise<void> {
	job.identifier = await declareInteraction(ctx, job.call, job.declaration.body);
	// Sent, and never resent: the chat or transcript payload need not stay in memory until the
	// whole batch is done (at 1,000 chats it was a second copy of every input).
	const sent: IDataObject = { ...job.declaration.body };
	delete sent.chat;
	delete sent.transcript;
	job.declaration = { ...job.declaration, body: sent };
	if (job.recording) {
		await uploadRecording(ctx, job.call, job.identifier, job.recording);
		job.uploaded = true;
	}
}

/** The gates result reads go through: cheap reads, and generative AI (ElevateAI's limit). */
interface ReadGates {
	reads: Limiter;
	genAi: Limiter;
}

async function collect(ctx: IExecuteFunctions, job: Job, gates: ReadGates): Promise<void> {
	const identifier = job.identifier as string;
	const transcript = await gates.reads(
		async () => await fetchTranscript(ctx, job.call, identifier, job.format),
	);
	const output: IDataObject = {
		interactionIdentifier: identifier,
		// The CRM call ID travels on, so the next node needs no reach back to an earlier one.
		...carriedExternalId(job.declaration.body, identifier),
		status: job.status?.status,
		...transcriptJson(transcript, job.output),
	};
	if (job.declaration.body.includeAiResults === true) {
		const ai = await gates.reads(async () => await fetchAiResults(ctx, job.call, identifier));
		output.aiResults = aiResultsJson(ai, job.output);
	}
	const summary = job.summary;
	if (summary)
		Object.assign(
			output,
			await gates.genAi(async () => await fetchSummary(ctx, job.call, identifier, summary)),
		);
	const binary = await transcriptBinary(ctx, transcript, job.output, fileBase(job, identifier));
	job.result = { json: forPeople(output), binary };
}

/** The transcript file is named after the recording (call-0042.wav → call-0042.srt) when there is one. */
function fileBase(job: Job, identifier: string): string {
	const named = job.recording?.fileName ?? job.declaration.body.originalFilename;
	if (typeof named === 'string' && named.trim()) return named;
	const uri = job.declaration.body.downloadUri;
	if (typeof uri === 'string') {
		try {
			const last = decodeURIComponent(new URL(uri).pathname.split('/').pop() ?? '');
			if (last) return last;
		} catch {
			// Not a URL we can read a name from: fall back to the interaction ID.
		}
	}
	return `transcript-${identifier}`;
}

/**
 * Delete After Reading runs only once the item's results are certain to reach an output: a
 * delete that then fails leaves the results in the output and says so, instead of failing an
 * item whose results are already read (and, with On Error = Stop, discarding everyone's).
 */
async function deleteRead(ctx: IExecuteFunctions, job: Job): Promise<void> {
	const output = (job.result as { json: IDataObject }).json;
	try {
		await deleteInteraction(ctx, job.call, job.identifier as string);
		output.deleted = true;
	} catch (error) {
		output.deleted = false;
		output.deleteError = (error as Error).message;
	}
}

/** What the batch did at ElevateAI, for the error that stops it. */
function sideEffectsOf(jobs: Job[], deleted: boolean): SideEffects {
	const effects: SideEffects = {};
	addSideEffect(
		effects,
		'created',
		jobs.map((job) => job.identifier),
	);
	addSideEffect(
		effects,
		'uploaded',
		jobs.filter((job) => job.uploaded).map((job) => job.identifier),
	);
	if (!deleted)
		addSideEffect(
			effects,
			'kept',
			jobs.filter((job) => job.result && job.deleteAfterReading).map((job) => job.identifier),
		);
	return effects;
}

/**
 * Declare (and upload) every item, then wait for all of them in one polling loop and read each
 * interaction's results as soon as it is processed, while the others are still polled. Declares
 * and uploads run Concurrency at a time (billed, heavy); status checks and result reads share a
 * gate of `readConcurrency` (cheap GETs, several per item), generative AI calls at most
 * GEN_AI_MAX_CONCURRENCY. An item that fails keeps its error (and its interaction ID, when one was
 * created) and the others go on; with Continue On Fail off the first failure stops every step.
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
						? toNodeError(this.getNode(), error, job.itemIndex, job.identifier)
						: (error as Error);
				}
			},
			stop,
		);
	};

	await step(concurrency, async (job) => await submit(this, job));
	const waiting = stop() ? [] : live().filter((job) => job.identifier);
	const readLimit = readConcurrency(concurrency);
	const gates: ReadGates = {
		reads: createLimiter(readLimit),
		genAi: createLimiter(Math.min(readLimit, GEN_AI_MAX_CONCURRENCY)),
	};
	const collecting: Array<Promise<void>> = [];
	const collectNow = async (job: Job) => {
		// Stopped meanwhile (Continue On Fail off): leave it unread, so it is listed as unfinished.
		if (stop()) return;
		try {
			await collect(this, job, gates);
		} catch (error) {
			job.error = toNodeError(this.getNode(), error, job.itemIndex, job.identifier);
		}
	};
	const statuses = await waitForInteractions(
		this,
		waiting.map((job) => ({ ...job.call, identifier: job.identifier as string, ...job.wait })),
		async (target) =>
			await gates.reads(async () => await fetchStatus(this, target, target.identifier)),
		!continueOnFail,
		{
			concurrency: readLimit,
			shouldStop: stop,
			onDone: (status, i) => {
				waiting[i].status = status;
				collecting.push(collectNow(waiting[i]));
			},
		},
	);
	statuses.forEach((status, i) => {
		const job = waiting[i];
		if (status instanceof Error)
			job.error = toNodeError(this.getNode(), status, job.itemIndex, job.identifier);
	});
	await Promise.all(collecting);
	// With On Error = Stop a single failure discards every output, so nothing may be deleted then.
	const deleting = !stop();
	if (deleting) {
		await mapConcurrent(
			jobs.filter((job) => job.result && job.deleteAfterReading),
			concurrency,
			async (job) => await deleteRead(this, job),
		);
	}
	const sideEffects = sideEffectsOf(jobs, deleting);

	// A stopped batch leaves interactions created but unfinished; the errors carry them to the router.
	const unfinished = jobs
		.filter((job) => job.identifier && !job.error && !job.result)
		.map((job) => job.identifier as string);
	for (const job of jobs) {
		if (job.error) {
			const error =
				unfinished.length > 0
					? withUnfinished(this, job.error, unfinished, job.itemIndex)
					: job.error;
			const context = (error as NodeApiError).context;
			if (context) context.sideEffects = sideEffects;
			outcomes[job.position] = error;
		} else if (job.result) {
			outcomes[job.position] = [toItem(job.result.json, job.itemIndex, job.result.binary)];
		}
	}
	return outcomes;
};

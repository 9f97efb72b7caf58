import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { RecordingSource } from './contract';
import { DEFAULTS } from './contract';
import { invalidItemMessage } from './errors';
import {
	optionalText,
	readBoolean,
	readParameter,
	readSummaryLanguage,
	recordingSourceSchema,
	summaryChoiceSchema,
} from './validation';

/**
 * The editor's newer choices and the older parameters they replaced, read in one place. Saved
 * workflows keep the old parameters: n8n keeps a parameter only while the description shows it,
 * so each old one stays in the description, shown only while it is set (and, for the summary
 * options, only while Summary is None). Each reader takes the new choice when it is set and
 * otherwise the old parameters, which then behave exactly as they did.
 */

/** What Transcribe asks of the generative AI summary; `undefined` when no summary is wanted. */
export interface SummaryWanted {
	includeDetails: boolean;
	/** Sent as Accept-Language; ElevateAI's default when left out. */
	language?: string;
}

/**
 * Transcribe's Summary choice (None, Summary, Summary With Details) and its Summary Language.
 * While Summary is None (its default, so also every workflow saved before it existed) the old
 * Options decide: Include Summary, Include Summary Details (which also turned the summary on) and
 * Summary Language.
 */
export function readSummaryWanted(
	ctx: IExecuteFunctions,
	itemIndex: number,
): SummaryWanted | undefined {
	const choice = readParameter(
		ctx,
		itemIndex,
		'summary',
		'Summary',
		summaryChoiceSchema,
		DEFAULTS.summary,
	);
	if (choice !== 'none') {
		return {
			includeDetails: choice === 'summaryWithDetails',
			language: readSummaryLanguage(ctx, itemIndex, 'summaryLanguage'),
		};
	}
	const includeDetails = readBoolean(
		ctx,
		itemIndex,
		'options.includeSummaryDetails',
		'Include Summary Details',
	);
	const include =
		readBoolean(ctx, itemIndex, 'options.includeSummary', 'Include Summary') || includeDetails;
	// Checked even without a summary, as before: a bad value fails before anything is sent.
	const language = readSummaryLanguage(ctx, itemIndex);
	return include ? { includeDetails, language } : undefined;
}

/** Where an audio recording comes from: the item's binary, or the URL ElevateAI fetches. */
export interface RecordingWanted {
	source: RecordingSource;
	/** The Download URI as entered (checked by the caller); `undefined` means upload the binary. */
	downloadUri?: unknown;
}

/**
 * Recording Source: Binary File (the default) uploads the item's binary; URL sends Download URI.
 * Before Recording Source existed a Download URI lived in Additional Fields and replaced the
 * upload when set: with Binary File it still does, so saved workflows behave as before. With URL
 * as well, the item fails naming the old field rather than guessing which recording is meant.
 */
export function readRecordingWanted(ctx: IExecuteFunctions, itemIndex: number): RecordingWanted {
	const node = ctx.getNode();
	const source = readParameter(
		ctx,
		itemIndex,
		'recordingSource',
		'Recording Source',
		recordingSourceSchema,
		DEFAULTS.recordingSource,
	);
	const old = optionalText(ctx.getNodeParameter('additionalFields.downloadUri', itemIndex, ''));
	if (source === 'binary') return { source, downloadUri: old };
	if (old !== undefined) {
		throw new NodeOperationError(
			node,
			invalidItemMessage(
				'Download URI (Deprecated)',
				'Recording Source is URL, so the recording comes from Download URI; remove Additional Fields → Download URI (Deprecated)',
				itemIndex,
			),
			{
				itemIndex,
				description:
					'The Download URI in Additional Fields is the older way to give a URL. Keep the URL in Download URI (under Recording Source) only.',
			},
		);
	}
	return { source, downloadUri: ctx.getNodeParameter('downloadUri', itemIndex, '') };
}

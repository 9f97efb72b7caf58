import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import { z } from 'zod';

import { perItem } from '../../helpers/batch';
import type { Participant } from '../../helpers/contract';
import { DEFAULTS, LIMITS, OPTION_NAMES, optionValues } from '../../helpers/contract';
import { invalidItemMessage } from '../../helpers/errors';
import { inputJson, interactionJson, toItem } from '../../helpers/output';
import { readAgentParticipant } from '../../helpers/outputOptions';
import { findPhrases, parsePhrases } from '../../helpers/phrases';
import type { AgentParticipant } from '../../helpers/transcript';
import { normalizeTranscript, participantForRole } from '../../helpers/transcript';
import {
	parseField,
	readCallOptions,
	readInteractionIdentifier,
	readParameter,
} from '../../helpers/validation';
import { fetchTranscript } from '../../transport/interactions';
import {
	agentParticipantOption,
	interactionIdentifier,
	optionsCollection,
	phrases,
	speaker,
	withinSeconds,
} from '../common.descriptions';

const properties: INodeProperties[] = [
	interactionIdentifier,
	phrases,
	speaker,
	withinSeconds,
	optionsCollection([agentParticipantOption]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['interaction'], operation: ['findPhrases'] } },
	properties,
);

const speakerSchema = z.enum(optionValues('speaker'));
const withinSecondsSchema = z
	.number({ invalid_type_error: 'must be a number of seconds' })
	.finite()
	.min(LIMITS.withinSeconds.min, 'must be 0 (the whole call) or more');

function readPhrases(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const phrasesOrProblem = parsePhrases(ctx.getNodeParameter('phrases', itemIndex, ''));
	if (typeof phrasesOrProblem !== 'string') return phrasesOrProblem;
	throw new NodeOperationError(
		ctx.getNode(),
		invalidItemMessage('Phrases', `it ${phrasesOrProblem}`, itemIndex),
		{
			itemIndex,
			description: `Give up to ${LIMITS.phrases.max} phrases, one per line, or an array of phrases from an expression.`,
		},
	);
}

/** Any speaker, a participant, or a role (which needs to know who the agent is). */
function readSpeakerFilter(
	ctx: IExecuteFunctions,
	itemIndex: number,
	agent: AgentParticipant,
): Participant | undefined {
	const value = ctx.getNodeParameter('speaker', itemIndex, DEFAULTS.speaker);
	const chosen = parseField(ctx.getNode(), itemIndex, 'Speaker', speakerSchema, value);
	if (chosen === 'any') return undefined;
	if (chosen === 'participantOne' || chosen === 'participantTwo') return chosen;
	if (!agent) {
		throw new NodeOperationError(
			ctx.getNode(),
			invalidItemMessage(
				'Speaker',
				`"${OPTION_NAMES.speaker[chosen]}" needs to know which participant is the agent`,
				itemIndex,
			),
			{
				itemIndex,
				description:
					'Set Options → Agent Participant, or choose Participant One or Participant Two as the speaker.',
			},
		);
	}
	return participantForRole(chosen, agent);
}

export const execute = perItem(async function (this: IExecuteFunctions, itemIndex) {
	const identifier = readInteractionIdentifier(this, itemIndex);
	const wanted = readPhrases(this, itemIndex);
	const agent = readAgentParticipant(this, itemIndex);
	const participant = readSpeakerFilter(this, itemIndex, agent);
	const seconds = readParameter(
		this,
		itemIndex,
		'withinSeconds',
		'Within First Seconds',
		withinSecondsSchema,
		LIMITS.withinSeconds.default,
	);
	const call = readCallOptions(this, itemIndex);
	// Punctuated: sentences are the unit a phrase must fall within, and what a match reports.
	const transcript = await fetchTranscript(this, call, identifier, 'punctuated');
	const result = findPhrases(normalizeTranscript(transcript), {
		phrases: wanted,
		participant,
		withinMs: seconds * 1000,
		agent,
	});
	return [
		toItem(interactionJson(identifier, inputJson(this, itemIndex), { ...result }), itemIndex),
	];
});

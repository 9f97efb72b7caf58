import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../../helpers/interfaces';
import type { InteractionOperation } from '../node.type';
import * as declare from './declare.operation';
import * as deleteInteraction from './delete.operation';
import * as findPhrases from './findPhrases.operation';
import * as get from './get.operation';
import * as getAgentInsights from './getAgentInsights.operation';
import * as getAiResults from './getAiResults.operation';
import * as getStatus from './getStatus.operation';
import * as getSummary from './getSummary.operation';
import * as getTranscript from './getTranscript.operation';
import * as transcribe from './transcribe.operation';
import * as upload from './upload.operation';
import * as waitForCompletion from './waitForCompletion.operation';

/** Typed against the operation union, so an operation missing here fails to compile. */
export const operations: Record<InteractionOperation, OperationModule> = {
	declare: { ...declare, createsInteractions: true, sideEffect: 'created' },
	upload: { ...upload, sideEffect: 'uploaded' },
	getStatus,
	waitForCompletion,
	get,
	getTranscript,
	getAiResults,
	getSummary,
	getAgentInsights,
	findPhrases,
	delete: { ...deleteInteraction, sideEffect: 'deleted' },
	transcribe: { ...transcribe, createsInteractions: true },
};

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['interaction'] } },
	default: 'transcribe',
	options: [
		{
			name: 'Declare',
			value: 'declare',
			description: 'Create an interaction for an audio file, a chat or a transcript',
			action: 'Declare an interaction',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Delete an interaction and all its results at ElevateAI',
			action: 'Delete an interaction',
		},
		{
			name: 'Find Phrases',
			value: 'findPhrases',
			description:
				'Check whether phrases were said in a processed interaction (whole words, any case), by whom and when: returns allFound, found, missing and the matching sentences',
			action: 'Find phrases',
		},
		{
			name: 'Get Agent Insights',
			value: 'getAgentInsights',
			description:
				"Get ElevateAI's generative AI action items or coaching insights for the agent of a processed interaction, as ElevateAI returns them",
			action: 'Get agent insights',
		},
		{
			name: 'Get AI Results',
			value: 'getAiResults',
			description:
				'Get the CX AI behavioural scores of a processed interaction, per speaker (e.g. agent.customerSatisfaction.activeListening)',
			action: 'Get AI results',
		},
		{
			name: 'Get Declared Parameters',
			value: 'get',
			description: 'Get the parameters an interaction was declared with',
			action: 'Get declared parameters',
		},
		{
			name: 'Get Status',
			value: 'getStatus',
			description: 'Get the processing status of an interaction',
			action: 'Get status',
		},
		{
			name: 'Get Summary',
			value: 'getSummary',
			description: 'Get the generative AI summary of a processed interaction',
			action: 'Get summary',
		},
		{
			name: 'Get Transcript',
			value: 'getTranscript',
			description:
				'Get the transcript of a processed interaction: the conversation as text ("Agent: …"), what each side said, and optionally a TXT, SRT or WebVTT file',
			action: 'Get transcript',
		},
		{
			name: 'Transcribe',
			value: 'transcribe',
			description:
				'Declare, upload, wait and return the transcript (and CX AI results and summary) in one step',
			action: 'Transcribe a call or chat',
		},
		{
			name: 'Upload',
			value: 'upload',
			description: 'Upload the recording of a declared audio interaction',
			action: 'Upload a recording',
		},
		{
			name: 'Wait For Completion',
			value: 'waitForCompletion',
			description: 'Wait until interactions are processed, checking their status at an interval',
			action: 'Wait for completion',
		},
	],
};

/** What the canvas shows under the node: the operation's label, as n8n's OpenAI node does. */
export const subtitle = `={{ (${JSON.stringify(
	Object.fromEntries((operation.options ?? []).map((o) => ['value' in o ? o.value : '', o.name])),
)})[$parameter["operation"]] }}`;

export const description: INodeProperties[] = [
	operation,
	...declare.description,
	...upload.description,
	...getStatus.description,
	...waitForCompletion.description,
	...get.description,
	...getTranscript.description,
	...getAiResults.description,
	...getSummary.description,
	...getAgentInsights.description,
	...findPhrases.description,
	...deleteInteraction.description,
	...transcribe.description,
];

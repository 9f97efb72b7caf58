import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	interaction:
		| 'declare'
		| 'upload'
		| 'getStatus'
		| 'waitForCompletion'
		| 'get'
		| 'getTranscript'
		| 'getAiResults'
		| 'getSummary'
		| 'getAgentInsights'
		| 'findPhrases'
		| 'delete'
		| 'transcribe';
};

export type ElevateAiType = AllEntities<NodeMap>;
export type InteractionOperation = NodeMap['interaction'];

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { subtitle } from './actions/interaction';
import { router } from './actions/router';
import { OUTPUTS_EXPRESSION } from './helpers/route';
import { versionProperties } from './actions/versionDescription';
import { testElevateAiCredential } from './transport/credentialTest';

export class ElevateAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'ElevateAI',
		name: 'elevateAi',
		icon: { light: 'file:../../icons/elevateai.svg', dark: 'file:../../icons/elevateai.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		description:
			'Transcribe call recordings and chats with ElevateAI (NICE) and get CX AI scores and generative AI summaries',
		defaults: { name: 'ElevateAI' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		// Wait For Completion in route mode has a second output, Still Processing.
		outputs: OUTPUTS_EXPRESSION,
		// Tested by the node, not by a `test` request on the credential: see transport/credentialTest.ts.
		credentials: [{ name: 'elevateAiApi', required: true, testedBy: 'elevateAiApiTest' }],
		properties: versionProperties,
	};

	methods = {
		credentialTest: { elevateAiApiTest: testElevateAiCredential },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

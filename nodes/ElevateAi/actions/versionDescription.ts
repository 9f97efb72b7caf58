import type { INodeProperties } from 'n8n-workflow';

import * as interaction from './interaction';

/**
 * The node's parameters: the resource selector, then each resource's operations and fields.
 * (The rest of the description lives in ElevateAi.node.ts, where n8n's lint rules require the
 * name and icon to be declared.)
 */
export const versionProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Interaction', value: 'interaction' }],
		default: 'interaction',
	},
	...interaction.description,
];

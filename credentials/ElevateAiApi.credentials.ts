import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	IHttpRequestOptions,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/ElevateAi/helpers/contract';

/**
 * The credential test is the node's `credentialTest` method (`testedBy` on the node's credential
 * entry, nodes/ElevateAi/transport/credentialTest.ts), not a `test` request here: n8n takes a
 * credential's `test` first, and a request test cannot apply the node's Base URL rule, tell
 * ElevateAI's own 404 from any other, or keep 401 a failure on n8n 1.x.
 */
export class ElevateAiApi implements ICredentialType {
	name = 'elevateAiApi';

	displayName = 'ElevateAI API';

	icon: Icon = { light: 'file:../icons/elevateai.svg', dark: 'file:../icons/elevateai.dark.svg' };

	documentationUrl = 'https://github.com/elevateai-n8n/n8n-nodes-elevateai#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The API token from the ElevateAI portal (API Tokens page). It is sent as the X-API-Token header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			required: true,
			description:
				'Change only for a regional or private endpoint, or a local emulator. Plain http is accepted for localhost only.',
		},
	];

	/**
	 * A function, not `{ type: 'generic' }`: n8n renders a generic header through its expression
	 * engine on every request, measured at ~1.2 ms of the ~4 ms a declare costs the node in
	 * n8n 2.41 (bench/profile.mjs). Setting the header directly is the same header, for free.
	 */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: { ...requestOptions.headers, 'X-API-Token': String(credentials.apiToken ?? '') },
	});
}

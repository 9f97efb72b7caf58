import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	Icon,
	IHttpRequestOptions,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../nodes/ElevateAi/helpers/contract';

/**
 * ElevateAI has no "who am I" endpoint, so the test asks for the status of a well-formed GUID
 * that cannot exist: a valid token gets 404 (accepted as success), a wrong one gets 401.
 */
export const CREDENTIAL_TEST_PATH = '/interactions/00000000-0000-4000-8000-000000000000/status';

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

	test: ICredentialTestRequest = {
		request: {
			// Trimmed like the node does, so a pasted URL with a stray space tests the same as it runs.
			baseURL: `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim() }}`,
			url: CREDENTIAL_TEST_PATH,
			method: 'GET',
			// 404 is the expected answer for a valid token; 401/403 and server errors still fail.
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403, 500, 502, 503, 504] },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'ElevateAI rejected the API token (401). Copy a valid token from the ElevateAI portal.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'ElevateAI refused this API token (403). Check that it is active in the ElevateAI portal.',
				},
			},
		],
	};
}

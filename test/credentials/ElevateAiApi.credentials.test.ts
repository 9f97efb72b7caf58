import type { IAuthenticate, IAuthenticateGeneric } from 'n8n-workflow';

import { ElevateAiApi } from '../../credentials/ElevateAiApi.credentials';
import { ElevateAi } from '../../nodes/ElevateAi/ElevateAi.node';
import { CREDENTIAL_TEST_PATH, testElevateAiCredential } from '../../nodes/ElevateAi/transport/credentialTest';
import { GUID_PATTERN } from '../../nodes/ElevateAi/helpers/contract';

describe('credentials/ElevateAiApi', () => {
	const credential = new ElevateAiApi();
	const property = (name: string) => credential.properties.find((p) => p.name === name);

	it('should be the elevateAiApi credential named "ElevateAI API", with docs and the package icon', () => {
		expect(credential.name).toBe('elevateAiApi');
		expect(credential.displayName).toBe('ElevateAI API');
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
		expect(credential.icon).toEqual({ light: 'file:../icons/elevateai.svg', dark: 'file:../icons/elevateai.dark.svg' });
	});

	it('should have exactly the apiToken (required password) and baseUrl (production default) properties', () => {
		expect(credential.properties.map((p) => p.name)).toEqual(['apiToken', 'baseUrl']);
		expect(property('apiToken')).toMatchObject({ type: 'string', typeOptions: { password: true }, default: '', required: true });
		expect(property('baseUrl')).toMatchObject({ type: 'string', default: 'https://api.elevateai.com/v1' });
		expect(property('baseUrl')?.typeOptions?.password).toBeUndefined();
	});

	it('should authenticate every request with the X-API-Token header only, keeping the request as it was', async () => {
		const authenticate = credential.authenticate as Exclude<IAuthenticate, IAuthenticateGeneric>;
		expect(typeof authenticate).toBe('function');
		const request = { url: '/interactions', method: 'POST' as const, headers: { Accept: 'application/json' }, body: { a: 1 } };

		const authenticated = await authenticate({ apiToken: 'tok-1', baseUrl: 'https://x.example/v1' }, request);

		expect(authenticated).toEqual({ ...request, headers: { Accept: 'application/json', 'X-API-Token': 'tok-1' } });
		expect(request.headers).toEqual({ Accept: 'application/json' });
		expect((await authenticate({ apiToken: 'tok-2' }, { url: '/x' })).headers).toEqual({ 'X-API-Token': 'tok-2' });
	});

	describe('credential test', () => {
		it('should have no `test` request: n8n would take it before the node\'s testedBy method', () => {
			expect((credential as { test?: unknown }).test).toBeUndefined();
		});

		it('should be tested by the node\'s elevateAiApiTest method', () => {
			const node = new ElevateAi();
			expect(node.description.credentials).toEqual([{ name: 'elevateAiApi', required: true, testedBy: 'elevateAiApiTest' }]);
			expect(node.methods.credentialTest.elevateAiApiTest).toBe(testElevateAiCredential);
		});

		it('should ask for the status of a well-formed GUID that cannot exist', () => {
			const match = /^\/interactions\/([^/]+)\/status$/.exec(CREDENTIAL_TEST_PATH);
			expect(match).not.toBeNull();
			expect(GUID_PATTERN.test((match as RegExpExecArray)[1])).toBe(true);
		});
	});
});

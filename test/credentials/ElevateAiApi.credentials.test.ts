import type { IAuthenticate, IAuthenticateGeneric, ICredentialTestRequest, IgnoreStatusErrorConfig } from 'n8n-workflow';

import { CREDENTIAL_TEST_PATH, ElevateAiApi } from '../../credentials/ElevateAiApi.credentials';
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

	describe('test request', () => {
		const test = credential.test as ICredentialTestRequest;

		/** Evaluates the test request's base URL expression for these credentials, as n8n would. */
		function baseUrlFor(baseUrl: string): unknown {
			const expression = /^=\{\{([\s\S]+)\}\}$/.exec(String(test.request.baseURL));
			if (!expression) return test.request.baseURL;
			return new Function('$credentials', `return (${expression[1]});`)({ apiToken: 'x', baseUrl }) as unknown;
		}

		it('should GET the status of a well-formed GUID that cannot exist, under the configured base URL', () => {
			expect(test.request.method).toBe('GET');
			expect(baseUrlFor('https://eu.example.com/v1')).toBe('https://eu.example.com/v1');
			// Read like the node reads it: trimmed, and the production URL when left empty.
			expect(baseUrlFor('  https://eu.example.com/v1 ')).toBe('https://eu.example.com/v1');
			expect(baseUrlFor('')).toBe('https://api.elevateai.com/v1');
			expect(test.request.url).toBe(CREDENTIAL_TEST_PATH);
			const match = /^\/interactions\/([^/]+)\/status$/.exec(CREDENTIAL_TEST_PATH);
			expect(match).not.toBeNull();
			expect(GUID_PATTERN.test((match as RegExpExecArray)[1])).toBe(true);
		});

		it('should accept the 404 a valid token gets, but fail on 401, 403 and server errors', () => {
			const ignore = test.request.ignoreHttpStatusErrors as IgnoreStatusErrorConfig;

			expect(ignore.ignore).toBe(true);
			expect(ignore.except).toEqual(expect.arrayContaining([401, 403, 500, 502, 503, 504]));
			expect(ignore.except).not.toContain(404);
		});

		it('should explain a rejected token for 401 and 403', () => {
			expect(test.rules).toEqual([
				{ type: 'responseCode', properties: { value: 401, message: expect.stringContaining('rejected the API token') } },
				{ type: 'responseCode', properties: { value: 403, message: expect.stringContaining('refused this API token') } },
			]);
		});
	});
});

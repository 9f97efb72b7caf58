import nock from 'nock';

import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IExecuteData,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypes,
	ITaskDataConnections,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, Workflow, createEmptyRunExecutionData } from 'n8n-workflow';

import { CREDENTIAL_TEST_PATH, ElevateAiApi } from '../../credentials/ElevateAiApi.credentials';
import { TEST_BASE_URL, TEST_TOKEN, TestCredentialsHelper, buildAdditionalData } from '../helpers/engine';
import { expectNoToken } from './wire';

/**
 * The credential test, run the way n8n 2.41.1's CredentialsTester.runRequestTest runs it
 * (packages/cli/src/services/credentials-tester.service.ts): a copy of the NoOp node type whose
 * single property routes `credential.test.request`, executed by n8n-core's own RoutingNode with
 * the decrypted credential; a thrown error is judged by `error.cause.response.status` against the
 * test's `rules`, any other non-2xx is a failure, anything that returns is "Connection successful!".
 */

/** n8n-nodes-base.noOp's description, as the tester takes it from the node registry. */
const noOp: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: 'noOp',
		icon: 'fa:arrow-right',
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
};

/** A faithful transcription of CredentialsTester.runRequestTest (verdict 'default'). */
async function runRequestTest(
	credentialType: string,
	credentialsDecrypted: ICredentialsDecrypted,
	testRequest: ICredentialTestRequest,
): Promise<INodeCredentialTestResult> {
	const nodeType = noOp;
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeType.description.name,
		typeVersion: Array.isArray(nodeType.description.version)
			? nodeType.description.version.slice(-1)[0]
			: nodeType.description.version,
		position: [0, 0],
		credentials: { [credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...nodeType.description,
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const mockNodeTypes: INodeTypes = {
		getKnownTypes: () => ({}),
		getByName: () => nodeTypeCopy,
		getByNameAndVersion: (_type, version) => NodeHelpers.getVersionedNodeType(nodeTypeCopy, version) as INodeType,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: mockNodeTypes });
	const inputData: ITaskDataConnections = { main: [[{ json: {} }]] };
	const runExecutionData = createEmptyRunExecutionData();
	// The tester swaps the helper's getDecrypted for one returning the form's (unsaved) data.
	const additionalData = buildAdditionalData(new TestCredentialsHelper(credentialsDecrypted.data ?? {}));
	const executeData: IExecuteData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response: Awaited<ReturnType<RoutingNode['runNode']>>;
	try {
		await workflow.expression.acquireIsolate();
		response = await routingNode.runNode();
	} catch (error) {
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status as number,
				statusMessage: error.cause.response.statusText as string,
			};
			if (testRequest.rules) {
				for (const rule of testRequest.rules) {
					if (rule.type === 'responseCode' && errorResponseData.statusCode === rule.properties.value) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message: errorResponseData.statusMessage || `Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: error.message.toString() };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const responseData = response?.[0]?.[0]?.json as Record<string, unknown> | undefined;
			if (responseData?.[rule.properties.key] === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

const credential = new ElevateAiApi();

async function testCredential(data: ICredentialDataDecryptedObject, testRequest: ICredentialTestRequest = credential.test) {
	return await runRequestTest(
		credential.name,
		{ id: 'cred-1', name: 'ElevateAI account', type: credential.name, data },
		testRequest,
	);
}

const valid = { apiToken: TEST_TOKEN, baseUrl: TEST_BASE_URL };
const HOST = new URL(TEST_BASE_URL).origin;
const PATH = `${new URL(TEST_BASE_URL).pathname}${CREDENTIAL_TEST_PATH}`;
const rule = (code: number) =>
	credential.test.rules?.find((r) => r.type === 'responseCode' && r.properties.value === code)?.properties.message;

afterEach(() => nock.cleanAll());

describe('credential test, as n8n 2.41.1 CredentialsTester runs it through RoutingNode', () => {
	it('should ask for the status of the all-zero GUID with the X-API-Token header', () => {
		expect(CREDENTIAL_TEST_PATH).toBe('/interactions/00000000-0000-4000-8000-000000000000/status');
		expect(credential.test.request).toMatchObject({ method: 'GET', url: CREDENTIAL_TEST_PATH });
		expect(credential.test.request.baseURL).toContain('$credentials.baseUrl');
	});

	it('should pass when ElevateAI answers 404 (the token was accepted, the interaction does not exist)', async () => {
		const scope = nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(PATH)
			.reply(404, { errorMessage: 'Interaction not found.' });

		const result = await testCredential(valid);

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	it('should pass on a 200 too (e.g. an emulator that knows the GUID)', async () => {
		const scope = nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(PATH)
			.reply(200, { identifier: '00000000-0000-4000-8000-000000000000', status: 'declared' });
		expect(await testCredential(valid)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	it('should fail on a 401 with the rule\'s message (n8n re-sends a 401 once before giving up)', async () => {
		const scope = nock(HOST, { reqheaders: { 'x-api-token': 'wrong-token' } })
			.get(PATH)
			.times(2)
			.reply(401, { errorMessage: 'Unauthorized' });

		const result = await testCredential({ ...valid, apiToken: 'wrong-token' });

		expect(result).toEqual({ status: 'Error', message: rule(401) });
		expect(result.message).toMatch(/ElevateAI rejected the API token \(401\)/);
		// httpRequestWithAuthentication treats a 401 as "token expired": it calls preAuthentication
		// (nothing to refresh for this credential) and sends the request once more.
		expect(scope.isDone()).toBe(true);
		expectNoToken(result, 'wrong-token');
	});

	it('should fail on a 403 with the rule\'s message', async () => {
		nock(HOST).get(PATH).reply(403, { errorMessage: 'Forbidden' });
		expect(await testCredential(valid)).toEqual({ status: 'Error', message: rule(403) });
	});

	it.each([
		[500, 'Internal Server Error'],
		[503, 'Service Unavailable'],
	])('should fail on a %i (a server error proves nothing about the token) with the status text', async (code, text) => {
		nock(HOST).get(PATH).reply(code, { errorMessage: 'Server error' });
		expect(await testCredential(valid)).toEqual({ status: 'Error', message: text });
	});

	it('should fail with the network code when the host cannot be reached', async () => {
		nock(HOST).get(PATH).replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
		const result = await testCredential(valid);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/ENOTFOUND|cannot be established/);
	});

	it.each([
		['a trailing slash', 'https://api.elevateai.com/v1/'],
		['surrounding spaces', ' https://api.elevateai.com/v1 '],
	])('should reach the same URL with %s in the Base URL', async (_label, baseUrl) => {
		const scope = nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(PATH)
			.reply(404, { errorMessage: 'Interaction not found.' });
		const result = await testCredential({ ...valid, baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	it('should fall back to the public endpoint when an old credential has no Base URL', async () => {
		const scope = nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(PATH)
			.reply(404, { errorMessage: 'Interaction not found.' });
		expect(await testCredential({ apiToken: TEST_TOKEN })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(scope.isDone()).toBe(true);
	});

	it('should test a local emulator on plain http', async () => {
		const scope = nock('http://127.0.0.1:4010', { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.get(`/v1${CREDENTIAL_TEST_PATH}`)
			.reply(404, { errorMessage: 'Interaction not found.' });
		expect(await testCredential({ ...valid, baseUrl: 'http://127.0.0.1:4010/v1' })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(scope.isDone()).toBe(true);
	});

	describe('what makes the 404 pass: ignoreHttpStatusErrors through RoutingNode', () => {
		const request = credential.test.request;

		it('should be the { ignore: true, except } form, which RoutingNode hands to the HTTP layer unchanged', () => {
			expect(request.ignoreHttpStatusErrors).toEqual({ ignore: true, except: expect.arrayContaining([401, 403]) });
		});

		it('control: without it, the same valid token fails on the 404', async () => {
			nock(HOST).get(PATH).reply(404, { errorMessage: 'Interaction not found.' });
			const { ignoreHttpStatusErrors: _ignored, ...plain } = request;
			const result = await testCredential(valid, { ...credential.test, request: plain });
			expect(result).toEqual({ status: 'Error', message: 'Not Found' });
		});

		it('control: with a plain `true`, a wrong token would pass as well', async () => {
			nock(HOST).get(PATH).reply(401, { errorMessage: 'Unauthorized' });
			const result = await testCredential(
				{ ...valid, apiToken: 'wrong-token' },
				{ ...credential.test, request: { ...request, ignoreHttpStatusErrors: true } },
			);
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		});
	});
});

import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { checkBaseUrl } from '../helpers/baseUrl';
import { redactSecret } from './redact';

/**
 * The credential test, run by n8n's credential tester as the node's `credentialTest` method
 * (`testedBy` on the node's credential entry). A method rather than a `test` request on the
 * credential, because the request route cannot be made safe on every n8n version: on 1.x the HTTP
 * layer reads `ignoreHttpStatusErrors` as a plain boolean, so a 401 passed, and in no version can
 * it tell ElevateAI's own 404 from any other 404 or HTML page. The method asks n8n's legacy request
 * helper (the one helper ICredentialTestFunctions offers, on 1.x and 2.x alike) for the raw
 * answer, without following redirects, and judges it here.
 *
 * ElevateAI has no "who am I" call, so the test asks for the status of a well-formed GUID that
 * cannot exist: a valid token gets ElevateAI's own 404 `{"errorMessage": …}`, a wrong one 401.
 */
export const CREDENTIAL_TEST_PATH = '/interactions/00000000-0000-4000-8000-000000000000/status';

export const CREDENTIAL_TEST_TIMEOUT_MS = 30_000;

export const CREDENTIAL_TEST_MESSAGES = {
	ok: 'Connection successful: ElevateAI accepted the API token.',
	missingToken: 'Enter the API token from the ElevateAI portal (API Tokens page).',
	invalidBaseUrl: (problem: string) => `Invalid Base URL: ${problem}`,
	rejected401:
		'ElevateAI rejected the API token (401). Copy a valid token from the ElevateAI portal.',
	refused403:
		'ElevateAI refused this API token (403). Check that it is active in the ElevateAI portal.',
} as const;

const COULD_NOT_VERIFY = 'Could not verify the API token:';

interface RawAnswer {
	statusCode: number;
	body: unknown;
	headers?: Record<string, unknown>;
}

/** The answer's JSON, or `undefined` when it is not JSON (an HTML page, plain text, nothing). */
function parseJson(body: unknown): unknown {
	if (body !== null && typeof body === 'object') return body;
	const text = typeof body === 'string' ? body : '';
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers?.[key];
	return typeof value === 'string' ? value : undefined;
}

function hostOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		return new URL(url).host;
	} catch {
		return undefined;
	}
}

/** The verdict on ElevateAI's answer to the test request. Pure, so every case is easy to prove. */
export function judgeCredentialTestAnswer(
	answer: RawAnswer,
	baseUrl: string,
): INodeCredentialTestResult {
	const { statusCode } = answer;
	const json = parseJson(answer.body);
	if (statusCode >= 200 && statusCode < 300) {
		if (isObject(json)) return { status: 'OK', message: CREDENTIAL_TEST_MESSAGES.ok };
		return {
			status: 'Error',
			message: `${COULD_NOT_VERIFY} the Base URL answered HTTP ${statusCode} with something that is not ElevateAI's JSON. Check the Base URL (https://api.elevateai.com/v1 or your regional endpoint).`,
		};
	}
	if (statusCode === 404 && isObject(json) && typeof json.errorMessage === 'string') {
		return { status: 'OK', message: CREDENTIAL_TEST_MESSAGES.ok };
	}
	if (statusCode === 401) return { status: 'Error', message: CREDENTIAL_TEST_MESSAGES.rejected401 };
	if (statusCode === 403) return { status: 'Error', message: CREDENTIAL_TEST_MESSAGES.refused403 };
	if (statusCode >= 300 && statusCode < 400) {
		const location = hostOf(header(answer.headers, 'location'));
		const to = location && location !== hostOf(baseUrl) ? ` to ${location}` : '';
		return {
			status: 'Error',
			message: `${COULD_NOT_VERIFY} the Base URL answered with a redirect (HTTP ${statusCode})${to}. Redirects are not followed, so the token never goes to another address; set the Base URL to the endpoint itself.`,
		};
	}
	if (statusCode === 429) {
		return {
			status: 'Error',
			message: `${COULD_NOT_VERIFY} ElevateAI's rate limit or monthly quota was reached (HTTP 429). Try again later.`,
		};
	}
	if (statusCode >= 500) {
		return {
			status: 'Error',
			message: `${COULD_NOT_VERIFY} ElevateAI had a temporary problem (HTTP ${statusCode}). Try again later.`,
		};
	}
	return {
		status: 'Error',
		message: `${COULD_NOT_VERIFY} the Base URL answered HTTP ${statusCode}, which is not ElevateAI's answer for an unknown interaction. Check the Base URL (https://api.elevateai.com/v1 or your regional endpoint).`,
	};
}

function networkCode(error: unknown): string {
	const candidates = [
		(error as { cause?: { code?: unknown } })?.cause?.code,
		(error as { code?: unknown })?.code,
	];
	const code = candidates.find((c) => typeof c === 'string' && /^[A-Z0-9_]{2,40}$/.test(c));
	return typeof code === 'string' ? code : 'no answer';
}

export async function testElevateAiCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const token = typeof data.apiToken === 'string' ? data.apiToken : '';
	if (token.trim() === '')
		return { status: 'Error', message: CREDENTIAL_TEST_MESSAGES.missingToken };
	const base = checkBaseUrl(data.baseUrl);
	if (!base.ok) {
		return {
			status: 'Error',
			message: redactSecret(CREDENTIAL_TEST_MESSAGES.invalidBaseUrl(base.problem), token),
		};
	}

	// ICredentialTestFunctions offers only the legacy `request` helper, on 1.x and 2.x alike (no
	// httpRequest, which the lint rule on `this.helpers.request` recommends for execute contexts).
	const helpers = this.helpers;
	let answer: RawAnswer;
	try {
		answer = (await helpers.request({
			method: 'GET',
			uri: `${base.baseUrl}${CREDENTIAL_TEST_PATH}`,
			headers: { 'X-API-Token': token, Accept: 'application/json' },
			// Never follow a redirect: it would carry X-API-Token to whatever host Location names.
			followRedirect: false,
			followAllRedirects: false,
			// Every answer comes back as it is, to be judged below rather than by the HTTP layer.
			simple: false,
			resolveWithFullResponse: true,
			json: false,
			timeout: CREDENTIAL_TEST_TIMEOUT_MS,
		})) as RawAnswer;
	} catch (error) {
		// Only a code goes into the message: the error object holds the request, header included.
		const host = new URL(base.baseUrl).host;
		return {
			status: 'Error',
			message: `${COULD_NOT_VERIFY} could not reach ${host} (${networkCode(error)}). Check the Base URL and the network.`,
		};
	}
	const result = judgeCredentialTestAnswer(answer, base.baseUrl);
	return { ...result, message: redactSecret(result.message, token) };
}

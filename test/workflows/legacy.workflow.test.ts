import nock from 'nock';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { TEST_BASE_URL, TEST_TOKEN, runChain } from '../helpers/engine';
import type { WireRequest } from './wire';
import { expectNoToken, ids, recordRequests } from './wire';

/**
 * Layer 2: the Summary and Recording Source choices against the parameters a workflow saved
 * before them carries (options.includeSummary / includeSummaryDetails / summaryLanguage,
 * additionalFields.downloadUri), run by n8n-core's WorkflowExecute. n8n's Workflow drops any
 * parameter its description does not show before the node runs, so these runs prove that the
 * old parameters survive that clean-up and do exactly what the new choices do.
 */

const HOST = new URL(TEST_BASE_URL).origin;
const API = new URL(TEST_BASE_URL).pathname;
const URL_OF_CALL = 'https://files.example.com/calls/call-0042.wav';

afterEach(() => nock.cleanAll());

function elevateAi(id: string) {
	return nock(HOST, { reqheaders: { 'x-api-token': TEST_TOKEN } })
		.post(`${API}/interactions`)
		.reply(201, { interactionIdentifier: id })
		.get(`${API}/interactions/${id}/status`)
		.reply(200, { identifier: id, status: 'processed' })
		.get(`${API}/interactions/${id}/transcripts/punctuated`)
		.reply(200, { sentenceSegments: [{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 900, phrase: 'Hallo.' }] })
		.get(`${API}/interactions/${id}/gen-ai/cx/summary`)
		.reply(200, { summary: 'Eine Rechnungsfrage.' })
		.get(`${API}/interactions/${id}/gen-ai/cx/summary/details`)
		.reply(200, { reasons: ['Rechnung'], isResolved: true });
}

/** What ElevateAI saw: method, path, Accept-Language and the JSON body. */
const seen = (requests: WireRequest[]) =>
	requests.map((r) => ({
		line: `${r.method} ${r.path}`,
		language: r.headers['accept-language'],
		body: r.body.length ? (JSON.parse(r.body.toString('utf8')) as IDataObject) : undefined,
	}));

async function transcribe(parameters: INodeParameters) {
	const scope = elevateAi(ids.a);
	const requests = recordRequests(scope);
	const result = await runChain({
		items: [{ json: { recordingUrl: URL_OF_CALL } }],
		chain: [{ name: 'Transcribe', parameters: { operation: 'transcribe', interactionType: 'audio', ...parameters } }],
	});
	return { ...result, scope, requests: seen(requests) };
}

describe('Transcribe: the Summary and Recording Source choices and a workflow saved before them', () => {
	const saved = {
		additionalFields: { downloadUri: '={{ $json.recordingUrl }}' },
		options: { includeSummaryDetails: true, summaryLanguage: 'de-DE' },
	};
	const current = {
		recordingSource: 'url',
		downloadUri: '={{ $json.recordingUrl }}',
		summary: 'summaryWithDetails',
		summaryLanguage: 'de-DE',
	};

	it.each([
		['the saved workflow', saved],
		['the new choices', current],
	])('should declare with the URL, upload nothing, and add the summary with details in German for %s', async (_, parameters) => {
		const { run, error, output, scope, requests } = await transcribe(parameters);

		expect(error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(requests.map((r) => r.line)).toEqual([
			`POST ${API}/interactions`,
			`GET ${API}/interactions/${ids.a}/status`,
			`GET ${API}/interactions/${ids.a}/transcripts/punctuated`,
			`GET ${API}/interactions/${ids.a}/gen-ai/cx/summary`,
			`GET ${API}/interactions/${ids.a}/gen-ai/cx/summary/details`,
		]);
		expect(requests[0].body).toEqual({ type: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false, downloadUri: URL_OF_CALL });
		expect(requests.slice(3).map((r) => r.language)).toEqual(['de-DE', 'de-DE']);
		expect(output('Transcribe')).toEqual([
			{
				json: expect.objectContaining({
					interactionIdentifier: ids.a,
					summary: 'Eine Rechnungsfrage.',
					reasons: ['Rechnung'],
					isResolved: true,
				}),
				pairedItem: { item: 0 },
			},
		]);
		expectNoToken(run);
	});

	it('should give the saved workflow and the new choices the same requests and the same output', async () => {
		const before = await transcribe(saved);
		nock.cleanAll();
		const after = await transcribe(current);
		expect(after.requests).toEqual(before.requests);
		expect(after.output('Transcribe')).toEqual(before.output('Transcribe'));
	});

	it('should stop before any request when Recording Source is URL and the old Download URI is still set', async () => {
		const scope = nock(HOST);
		const requests = recordRequests(scope);
		const { error, output } = await runChain({
			items: [{ json: { recordingUrl: URL_OF_CALL } }],
			chain: [{ name: 'Transcribe', parameters: { operation: 'transcribe', ...current, additionalFields: saved.additionalFields } }],
		});

		expect(requests).toEqual([]);
		expect(output('Transcribe')).toEqual([]);
		expect(error?.message).toBe(
			'Invalid Download URI (Deprecated): Recording Source is URL, so the recording comes from Download URI; remove Additional Fields → Download URI (Deprecated) [item 0]',
		);
	});
});

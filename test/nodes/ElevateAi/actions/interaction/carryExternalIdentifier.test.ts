// Issue 15 point 4: every operation on an existing interaction carries the input item's CRM ID
// (`externalIdentifier`) on, right after the interaction ID, without a request for it, and puts
// the readable fields (text, summary) first and long arrays last.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import * as del from '../../../../../nodes/ElevateAi/actions/interaction/delete.operation';
import * as findPhrases from '../../../../../nodes/ElevateAi/actions/interaction/findPhrases.operation';
import * as get from '../../../../../nodes/ElevateAi/actions/interaction/get.operation';
import * as getAgentInsights from '../../../../../nodes/ElevateAi/actions/interaction/getAgentInsights.operation';
import * as getAiResults from '../../../../../nodes/ElevateAi/actions/interaction/getAiResults.operation';
import * as getStatus from '../../../../../nodes/ElevateAi/actions/interaction/getStatus.operation';
import * as getSummary from '../../../../../nodes/ElevateAi/actions/interaction/getSummary.operation';
import * as getTranscript from '../../../../../nodes/ElevateAi/actions/interaction/getTranscript.operation';
import * as upload from '../../../../../nodes/ElevateAi/actions/interaction/upload.operation';
import type { OperationExecutor } from '../../../../../nodes/ElevateAi/helpers/interfaces';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, fakeApi, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);

const PUNCTUATED = {
	sentenceSegments: [
		{ participant: 'participantOne', startTimeOffset: 0, endTimeOffset: 1500, phrase: 'Thank you for calling, my name is Maria.', score: 0.98 },
		{ participant: 'participantTwo', startTimeOffset: 1600, endTimeOffset: 3500, phrase: 'I have a question about my bill.', score: 0.97 },
	],
	redactionSegments: [{ startTimeOffset: 2000, endTimeOffset: 2500, result: 'card', score: 0.9 }],
};
const AI = {
	allParticipants: { enlightenBundles: [{ name: 'Customer Satisfaction', models: [{ name: 'Active Listening', score: 2.5 }] }] },
	participantOne: { enlightenBundles: [] },
	participantTwo: { enlightenBundles: [] },
};
const ROUTES = {
	'GET /interactions/:id/transcripts/punctuated': () => PUNCTUATED,
	'GET /interactions/:id/ai': () => AI,
	'GET /interactions/:id/gen-ai/cx/summary': () => ({ summary: 'The customer asked about a bill.' }),
	'GET /interactions/:id/gen-ai/cx/agent/action-items': () => ({ actionItems: ['Send the corrected invoice'], note: 'x' }),
	'GET /interactions/:id/status': () => ({ identifier: ID, status: 'processed', errorMessage: null }),
	'GET /interactions/:id': () => ({ type: 'audio', languageTag: 'en-us' }),
	'DELETE /interactions/:id': () => ({}),
	'POST /interactions/:id/upload': () => ({}),
};

interface Case {
	name: string;
	op: { execute: OperationExecutor };
	params?: object;
	binary?: boolean;
	/** The readable fields that come before the IDs. */
	first?: string[];
	/** Arrays and objects that come last, in this order. */
	last?: string[];
}

const CASES: Case[] = [
	{ name: 'getTranscript', op: getTranscript, first: ['text'] },
	{ name: 'getTranscript (Simplify off)', op: getTranscript, params: { simple: false }, first: ['text'], last: ['sentenceSegments', 'redactionSegments'] },
	{ name: 'getAiResults', op: getAiResults, last: ['conversation', 'participantOne', 'participantTwo'] },
	{ name: 'getSummary', op: getSummary, first: ['summary'] },
	{ name: 'getAgentInsights', op: getAgentInsights, params: { insight: 'actionItems' }, last: ['actionItems'] },
	{ name: 'findPhrases', op: findPhrases, params: { phrases: 'my name is', speaker: 'any' }, last: ['found', 'missing', 'matches'] },
	{ name: 'getStatus', op: getStatus },
	{ name: 'get', op: get },
	{ name: 'delete', op: del },
	{ name: 'upload', op: upload, binary: true },
];

function contextFor(c: Case, json: IDataObject) {
	return fakeContext({
		params: { operation: c.name.split(' ')[0], ...c.params },
		items: [
			{
				json,
				...(c.binary ? { binary: { data: { content: 'RIFF....WAVE', fileName: 'call-42.wav' } } } : {}),
			},
		],
	});
}

const jsonOf = (outcomes: unknown[]) => (outcomes[0] as INodeExecutionData[])[0].json;

describe('operations on an existing interaction carry the CRM ID and read text first', () => {
	beforeEach(() => {
		request.mockReset();
		fakeApi(request, ROUTES);
	});

	it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const fake = contextFor(c, { interactionIdentifier: ID, externalIdentifier: 'CRM-42', type: 'audio' });

		const outcomes = await fake.run(c.op.execute);

		const json = jsonOf(outcomes);
		const keys = Object.keys(json);
		const first = c.first ?? [];
		expect(keys.slice(0, first.length + 2)).toEqual([...first, 'interactionIdentifier', 'externalIdentifier']);
		expect(json.externalIdentifier).toBe('CRM-42');
		if (c.last) expect(keys.slice(-c.last.length)).toEqual(c.last);
		// Nothing nested before a plain field.
		const firstNested = keys.findIndex((k) => typeof json[k] === 'object' && json[k] !== null);
		if (firstNested >= 0) {
			expect(keys.slice(firstNested).every((k) => typeof json[k] === 'object' && json[k] !== null)).toBe(true);
		}
		// One request, the operation's own: the CRM ID comes from the input item.
		expect(requestLines(request)).toHaveLength(1);
	});

	it.each(CASES.map((c) => [c.name, c] as const))('%s: no externalIdentifier when the input has none', async (_name, c) => {
		const outcomes = await contextFor(c, { interactionIdentifier: ID }).run(c.op.execute);

		expect(jsonOf(outcomes)).not.toHaveProperty('externalIdentifier');
	});

	it.each(CASES.map((c) => [c.name, c] as const))(
		'%s: an input about another interaction keeps its CRM ID to itself',
		async (_name, c) => {
			// The Interaction ID parameter names ID2; the item's own json is about ID.
			const fake = contextFor(
				{ ...c, params: { ...c.params, interactionIdentifier: ID2 } },
				{ interactionIdentifier: ID, externalIdentifier: 'CRM-OF-ANOTHER-CALL' },
			);

			const json = jsonOf(await fake.run(c.op.execute));

			expect(json.interactionIdentifier).toBe(ID2);
			expect(json).not.toHaveProperty('externalIdentifier');
		},
	);

	it('should carry the ID whatever the case of the GUID in the input', async () => {
		const json = jsonOf(
			await contextFor(CASES[0], { interactionIdentifier: ID.toUpperCase(), externalIdentifier: 'CRM-7' }).run(
				getTranscript.execute,
			),
		);
		expect(json).toMatchObject({ interactionIdentifier: ID, externalIdentifier: 'CRM-7' });
	});

	it.each([[''], ['   '], [42], [null], [{ id: 'x' }]])('should ignore an externalIdentifier of %p in the input', async (value) => {
		const json = jsonOf(
			await contextFor(CASES[3], { interactionIdentifier: ID, externalIdentifier: value as never }).run(getSummary.execute),
		);
		expect(json).not.toHaveProperty('externalIdentifier');
	});

	it('Get Declared Parameters: ElevateAI\'s declared externalIdentifier wins over the input\'s', async () => {
		fakeApi(request, { 'GET /interactions/:id': () => ({ type: 'audio', externalIdentifier: 'DECLARED-1' }) });

		const json = jsonOf(await contextFor(CASES[7], { interactionIdentifier: ID, externalIdentifier: 'INPUT-1' }).run(get.execute));

		expect(json).toEqual({ interactionIdentifier: ID, externalIdentifier: 'DECLARED-1', type: 'audio' });
		expect(Object.keys(json)[1]).toBe('externalIdentifier');
	});
});

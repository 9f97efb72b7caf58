import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { execute } from '../../../../../nodes/ElevateAi/actions/interaction/waitForCompletion.operation';
import type { ApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../../nodes/ElevateAi/transport/request';
import { ID, ID2, ID3, apiError, fakeApi, fakeClock, fakeContext, requestLines } from '../../../../helpers/context';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: jest.fn() }));
jest.mock('../../../../../nodes/ElevateAi/transport/request', () => ({
	...jest.requireActual('../../../../../nodes/ElevateAi/transport/request'),
	elevateAiApiRequest: jest.fn(),
}));
const request = jest.mocked(elevateAiApiRequest);
const sleepMock = jest.mocked(sleep);

let clock: ReturnType<typeof fakeClock>;

/** Each identifier walks through its statuses, one per check (the last one repeats). */
function statuses(
	sequences: Record<string, Array<string | { status: string; errorMessage?: string }>>,
	declaredTypes: Record<string, string | 'THROW'> = {},
) {
	const checks: Array<{ id: string; at: number }> = [];
	const declarationReads: string[] = [];
	fakeApi(request, {
		// The declared parameters, read once when Poll Interval is automatic and the input has no type.
		'GET /interactions/:id': (req: ApiRequest) => {
			const id = req.path.split('/')[2];
			declarationReads.push(id);
			if (declaredTypes[id] === 'THROW') throw apiError(503, 'Service unavailable');
			return { identifier: id, type: declaredTypes[id] ?? 'audio', languageTag: 'en-us' };
		},
		'GET /interactions/:id/status': (req: ApiRequest) => {
			const id = req.path.split('/')[2];
			checks.push({ id, at: clock.elapsed() });
			const sequence = sequences[id];
			const next = sequence.length > 1 ? sequence.shift() : sequence[0];
			const value = typeof next === 'string' ? { status: next } : next;
			if (value?.status === 'THROW') throw apiError(500, 'Internal error');
			return { identifier: id, errorMessage: null, ...value };
		},
	});
	return {
		checks,
		declarationReads,
		count: (id: string) => checks.filter((check) => check.id === id).length,
		times: (id: string) => checks.filter((check) => check.id === id).map((check) => check.at),
	};
}

function waitContext(ids: string[], extra: { params?: object; continueOnFail?: boolean; json?: object } = {}) {
	return fakeContext({
		params: { operation: 'waitForCompletion', ...extra.params },
		items: ids.map((interactionIdentifier) => ({ json: { interactionIdentifier, ...extra.json } })),
		continueOnFail: extra.continueOnFail,
	});
}

describe('interaction:waitForCompletion', () => {
	beforeEach(() => {
		request.mockReset();
		clock = fakeClock();
		sleepMock.mockReset();
		sleepMock.mockImplementation(async (ms: number) => clock.advance(ms));
	});
	afterEach(() => clock.restore());

	it('should check at once, then every interval, until processed, and return the final status with pairedItem', async () => {
		const polled = statuses({ [ID]: ['declared', 'processing', 'processed'] });
		const fake = waitContext([ID], { json: { type: 'audio' } });

		const outcomes = await fake.run(execute);

		expect(request.mock.calls[0]).toEqual([
			fake.ctx,
			{ method: 'GET', path: `/interactions/${ID}/status`, itemIndex: 0, retry: 'idempotent', maxRetries: 5 },
		]);
		// Audio default: every 30 s; the first check is immediate and nothing waits after the last.
		expect(polled.times(ID)).toEqual([0, 30_000, 60_000]);
		expect(clock.elapsed()).toBe(60_000);
		// One ID: ElevateAI's own `identifier` (the same value) is not repeated.
		expect(outcomes).toEqual([
			[
				{
					json: { interactionIdentifier: ID, status: 'processed', errorMessage: null },
					pairedItem: { item: 0 },
				},
			],
		]);
		expect(polled.declarationReads).toEqual([]);
	});

	it('should carry the input\'s externalIdentifier on, right after the ID', async () => {
		statuses({ [ID]: ['processed'] });
		const fake = waitContext([ID], { json: { type: 'audio', externalIdentifier: 'CRM-42' } });

		const [outcome] = await fake.run(execute);

		const json = (outcome as Array<{ json: object }>)[0].json;
		expect(Object.keys(json).slice(0, 2)).toEqual(['interactionIdentifier', 'externalIdentifier']);
		expect(json).toMatchObject({ externalIdentifier: 'CRM-42', status: 'processed' });
	});

	describe('automatic Poll Interval (the default, 0)', () => {
		it.each([
			['audio', [0, 30_000]],
			['chat', [0, 5_000]],
			['transcript', [0, 5_000]],
		])('should learn the type %s with one read of the declared parameters when the input has none', async (type, times) => {
			const polled = statuses({ [ID]: ['processing', 'processed'] }, { [ID]: type });
			const fake = waitContext([ID]);

			await fake.run(execute);

			expect(polled.declarationReads).toEqual([ID]);
			// The read comes after the first check found the interaction unfinished, before any sleep.
			expect(requestLines(request).slice(0, 3)).toEqual([
				`GET /interactions/${ID}/status`,
				`GET /interactions/${ID}`,
				`GET /interactions/${ID}/status`,
			]);
			expect(polled.times(ID)).toEqual(times);
		});

		it('should not read the declared parameters when the first check finds the interaction done (no polling, no pace needed)', async () => {
			const polled = statuses({ [ID]: ['processed'], [ID2]: ['processing', 'processed'] }, { [ID2]: 'chat' });
			const fake = waitContext([ID, ID2]);

			await fake.run(execute);

			expect(polled.declarationReads).toEqual([ID2]);
			expect(polled.count(ID)).toBe(1);
			expect(polled.times(ID2)).toEqual([0, 5_000]);
		});

		it('should read the declared parameters once per interaction, however many checks follow', async () => {
			const polled = statuses({ [ID]: ['processing', 'processing', 'processing', 'processed'] }, { [ID]: 'transcript' });
			const fake = waitContext([ID]);

			await fake.run(execute);

			expect(polled.declarationReads).toEqual([ID]);
			expect(polled.times(ID)).toEqual([0, 5_000, 10_000, 15_000]);
		});

		it('should take the type from the input item without any extra request', async () => {
			const polled = statuses({ [ID]: ['processing', 'processed'], [ID2]: ['processing', 'processed'] });
			const fake = waitContext([ID, ID2], { json: { type: 'transcript' } });

			await fake.run(execute);

			expect(polled.declarationReads).toEqual([]);
			expect(polled.times(ID)).toEqual([0, 5_000]);
			expect(polled.times(ID2)).toEqual([0, 5_000]);
		});

		it('should ignore a type in the input that is not an interaction type, and ask ElevateAI', async () => {
			const polled = statuses({ [ID]: ['processing', 'processed'] }, { [ID]: 'chat' });
			const fake = waitContext([ID], { json: { type: 'inbound call' } });

			await fake.run(execute);

			expect(polled.declarationReads).toEqual([ID]);
			expect(polled.times(ID)).toEqual([0, 5_000]);
		});

		it('should keep audio\'s slower pace when the declared parameters cannot be read', async () => {
			const polled = statuses({ [ID]: ['processing', 'processed'] }, { [ID]: 'THROW' });
			const fake = waitContext([ID]);

			const [outcome] = await fake.run(execute);

			expect(outcome).not.toBeInstanceOf(Error);
			expect(polled.times(ID)).toEqual([0, 30_000]);
		});

		it('should not read anything when Poll Interval is set, whatever the type', async () => {
			const polled = statuses({ [ID]: ['processing', 'processed'] }, { [ID]: 'chat' });
			const fake = waitContext([ID], { params: { pollInterval: 12 } });

			await fake.run(execute);

			expect(polled.declarationReads).toEqual([]);
			expect(polled.times(ID)).toEqual([0, 12_000]);
		});
	});

	it('should poll chat and transcript interactions every 5 s by default, from the declared type', async () => {
		const polled = statuses({ [ID]: ['processing', 'processed'] });
		const fake = waitContext([ID], { json: { type: 'chat' } });

		await fake.run(execute);

		expect(polled.times(ID)).toEqual([0, 5_000]);
	});

	it('should use the Poll Interval parameter when set', async () => {
		const polled = statuses({ [ID]: ['processing', 'processing', 'processed'] });
		const fake = waitContext([ID], { params: { pollInterval: 7 } });

		await fake.run(execute);

		expect(polled.times(ID)).toEqual([0, 7_000, 14_000]);
		// Long waits are cut into ≤ 1 s sleeps so that a cancel is noticed quickly.
		expect(Math.max(...sleepMock.mock.calls.map(([ms]) => ms))).toBeLessThanOrEqual(1_000);
	});

	it.each([
		['processingFailed', 'Unsupported codec', 'ElevateAI says: Unsupported codec'],
		['fileDownloadFailed', undefined, 'ElevateAI gave no reason. Check the recording (format, length) and try again.'],
		['fileUploadFailed', undefined, 'ElevateAI gave no reason. Check the recording (format, length) and try again.'],
	])('should fail the item on %s and quote ElevateAI', async (status, errorMessage, description) => {
		const polled = statuses({ [ID]: ['processing', { status, errorMessage }] });
		const fake = waitContext([ID]);

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toBe(`ElevateAI could not process interaction ${ID}: ${status}`);
		expect((outcome as NodeOperationError).description).toBe(description);
		expect((outcome as NodeOperationError).context.itemIndex).toBe(0);
		expect(polled.count(ID)).toBe(2);
		expect(clock.elapsed()).toBe(30_000);
	});

	it('should time out with the last status seen once the timeout has passed', async () => {
		const polled = statuses({ [ID]: ['processing'] });
		const fake = waitContext([ID], { params: { timeout: 1 } });

		const [outcome] = await fake.run(execute);

		expect(outcome).toBeInstanceOf(NodeOperationError);
		expect((outcome as Error).message).toBe(`Interaction ${ID} did not finish within 1 minutes`);
		expect((outcome as NodeOperationError).description).toContain('Its last status was "processing".');
		expect(polled.times(ID)).toEqual([0, 30_000, 60_000]);
	});

	it('should stop waiting when the execution is cancelled, without further checks', async () => {
		const fake = waitContext([ID, ID2]);
		const polled = statuses({ [ID]: ['processing'], [ID2]: ['processing'] });
		sleepMock.mockImplementation(async (ms: number) => {
			clock.advance(ms);
			if (clock.elapsed() >= 45_000) fake.abort();
		});

		const outcomes = await fake.run(execute);

		for (const [index, outcome] of outcomes.entries()) {
			expect(outcome).toBeInstanceOf(NodeOperationError);
			expect((outcome as Error).message).toBe('The execution was cancelled while waiting');
			expect((outcome as NodeOperationError).context.itemIndex).toBe(index);
		}
		expect(polled.checks).toHaveLength(4);
		expect(clock.elapsed()).toBe(45_000);
	});

	it('should wait on many items in one loop: as long as the slowest, one check per item per round', async () => {
		const polled = statuses({
			[ID]: ['processed'],
			[ID2]: ['processing', 'processed'],
			[ID3]: ['processing', 'processing', 'processing', 'processed'],
		});
		const fake = waitContext([ID, ID2, ID3]);

		const outcomes = await fake.run(execute);

		expect([polled.count(ID), polled.count(ID2), polled.count(ID3)]).toEqual([1, 2, 4]);
		expect(clock.elapsed()).toBe(90_000);
		expect(outcomes.map((outcome) => (outcome as Array<{ json: { status: string }; pairedItem: unknown }>)[0])).toEqual([
			{ json: expect.objectContaining({ interactionIdentifier: ID, status: 'processed' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ interactionIdentifier: ID2, status: 'processed' }), pairedItem: { item: 1 } },
			{ json: expect.objectContaining({ interactionIdentifier: ID3, status: 'processed' }), pairedItem: { item: 2 } },
		]);
	});

	it('should keep polling the other items after one fails when Continue On Fail is on', async () => {
		const polled = statuses({
			[ID]: ['processingFailed'],
			[ID2]: ['processing', 'processed'],
			[ID3]: ['THROW'],
		});
		const fake = waitContext([ID, ID2, ID3], { continueOnFail: true });

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toBeInstanceOf(NodeOperationError);
		expect(outcomes[1]).toEqual([
			{ json: expect.objectContaining({ interactionIdentifier: ID2, status: 'processed' }), pairedItem: { item: 1 } },
		]);
		expect(outcomes[2]).toBeInstanceOf(NodeApiError);
		expect(polled.count(ID2)).toBe(2);
	});

	it('should stop waiting on every item after the first failure when Continue On Fail is off', async () => {
		const polled = statuses({
			[ID]: ['processing', 'processing', 'processed'],
			[ID2]: ['processing', 'processingFailed'],
			[ID3]: ['processing', 'processing', 'processed'],
		});
		const fake = waitContext([ID, ID2, ID3]);

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toBeUndefined();
		expect((outcomes[1] as Error).message).toBe(`ElevateAI could not process interaction ${ID2}: processingFailed`);
		expect(outcomes[2]).toBeUndefined();
		expect(polled.checks).toHaveLength(6);
		expect(clock.elapsed()).toBe(30_000);
	});

	it('should return at once, without any status check, when an item has a bad identifier and Continue On Fail is off', async () => {
		const polled = statuses({ [ID]: ['processed'], [ID3]: ['processed'] });
		const fake = waitContext([ID, 'not-a-guid', ID3]);

		const outcomes = await fake.run(execute);

		expect(outcomes[0]).toBeUndefined();
		expect((outcomes[1] as Error).message).toMatch(/^Invalid Interaction ID: .* \[item 1\]$/);
		expect(outcomes[2]).toBeUndefined();
		expect(polled.checks).toHaveLength(0);
	});

	it('should wait on the valid items when one has a bad identifier and Continue On Fail is on', async () => {
		const polled = statuses({ [ID]: ['processed'], [ID3]: ['processed'] });
		const fake = waitContext([ID, 'not-a-guid', ID3], { continueOnFail: true });

		const outcomes = await fake.run(execute);

		expect((outcomes[0] as Array<{ pairedItem: unknown }>)[0].pairedItem).toEqual({ item: 0 });
		expect((outcomes[1] as Error).message).toMatch(/^Invalid Interaction ID: .* \[item 1\]$/);
		expect((outcomes[2] as Array<{ pairedItem: unknown }>)[0].pairedItem).toEqual({ item: 2 });
		expect(polled.checks.map((check) => check.id)).toEqual([ID, ID3]);
	});

	it.each([
		[{ pollInterval: 0.5 }, 'Invalid Poll Interval: must be 0 (automatic) or at least 1 second [item 0]'],
		[{ pollInterval: -1 }, 'Invalid Poll Interval: must be 0 (automatic) or at least 1 second [item 0]'],
		[{ timeout: 0 }, 'Invalid Timeout: must be more than 0 minutes [item 0]'],
	])('should reject %p before any request', async (overrides, message) => {
		statuses({ [ID]: ['processed'] });
		const fake = waitContext([ID], { params: overrides });

		const [outcome] = await fake.run(execute);

		expect((outcome as Error).message).toBe(message);
		expect(request).not.toHaveBeenCalled();
	});
});

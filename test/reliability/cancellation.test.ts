/**
 * Cancelling an execution while the node waits: between status polls, and during a retry
 * backoff (a long Retry-After). n8n ends the run at once on cancel; these tests watch the node
 * itself, which must stop within about a second and send nothing more, instead of lingering
 * until its wait is over. Real timers here: that is the point.
 */
import { ElevateAi } from '../../nodes/ElevateAi/ElevateAi.node';
import { runChain } from '../helpers/engine';
import type { Emulator } from './helpers';
import { chatJson, emulatorCredentials, startEmulator, step } from './helpers';

let emulator: Emulator;

beforeAll(async () => {
	// Processing never ends while these tests run.
	emulator = await startEmulator({ timing: { stageMs: 10, stages: { processing: 10 * 60_000 } } });
});
afterAll(async () => await emulator.close());
beforeEach(() => emulator.reset());
afterEach(() => jest.restoreAllMocks());

/** Records when the node's own execute() settles, and how. */
function watchNode(): { settled: Promise<{ at: number; error?: Error }> } {
	let resolve: (value: { at: number; error?: Error }) => void = () => {};
	const settled = new Promise<{ at: number; error?: Error }>((r) => (resolve = r));
	const original = ElevateAi.prototype.execute;
	jest.spyOn(ElevateAi.prototype, 'execute').mockImplementation(async function (this: never) {
		try {
			const result = await original.call(this);
			resolve({ at: Date.now() });
			return result;
		} catch (error) {
			resolve({ at: Date.now(), error: error as Error });
			throw error;
		}
	});
	return { settled };
}

async function declareChat(): Promise<string> {
	const result = await runChain({
		credentials: emulatorCredentials(emulator),
		chain: [step('Declare', 'declare', { interactionType: 'chat', chat: JSON.stringify(chatJson()) })],
	});
	expect(result.error).toBeUndefined();
	return String(result.output('Declare')[0].json.interactionIdentifier);
}

async function runAndCancel(parameters: Record<string, unknown>, cancelAfterMs: number) {
	const node = watchNode();
	let cancelledAt = 0;
	const run = await runChain({
		credentials: emulatorCredentials(emulator),
		chain: [step('Node', String(parameters.operation), parameters as never)],
		onStart: (execution) => {
			setTimeout(() => {
				cancelledAt = Date.now();
				execution.cancel();
			}, cancelAfterMs);
		},
	});
	const settled = await node.settled;
	return { run, settled, cancelledAt };
}

it('stops a retry backoff within about a second when the execution is cancelled', async () => {
	const id = await declareChat();
	// Long enough to tell "stopped at once" from "slept it out", short enough not to keep Jest waiting.
	emulator.addFault({ method: 'GET', path: '/status$', times: -1, status: 429, headers: { 'Retry-After': '3' } });
	const { run, settled, cancelledAt } = await runAndCancel({ operation: 'getStatus', interactionIdentifier: id }, 300);
	expect(run.run.status).toBe('canceled');
	expect(settled.at - cancelledAt).toBeLessThan(1_500);
	expect(settled.error?.message).toBe('The execution was cancelled');
	expect(emulator.stats().byRoute['GET /interactions/:id/status']).toBe(1);
});

it('stops polling within about a second when the execution is cancelled during Wait For Completion', async () => {
	const id = await declareChat();
	const { run, settled, cancelledAt } = await runAndCancel(
		{ operation: 'waitForCompletion', interactionIdentifier: id, pollInterval: 30, timeout: 60 },
		300,
	);
	expect(run.run.status).toBe('canceled');
	expect(settled.at - cancelledAt).toBeLessThan(1_500);
	expect(settled.error?.message).toBe('The execution was cancelled while waiting');
	// One poll at the start, none after the cancel.
	expect(emulator.stats().statusRequests[id]).toHaveLength(1);
	const before = emulator.stats().totalRequests;
	await new Promise((resolve) => setTimeout(resolve, 1_200));
	expect(emulator.stats().totalRequests).toBe(before);
});

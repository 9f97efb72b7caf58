/**
 * Shared pieces of the reliability suite: typed access to the ElevateAI emulator, short ways to
 * build node steps, a request counter for "nothing was sent" proofs, a timeout cap for the
 * request-timeout tests and a token scanner for the secret-hygiene checks.
 */
import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { DEFAULT_TOKEN } from '../../emulator/server';
import type { RunOptions, RunResult } from '../helpers/engine';
import { TestCredentialsHelper, runChain } from '../helpers/engine';

export const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
export const BASE = 'https://api.elevateai.com/v1';

// ---------------------------------------------------------------------------------------------
// The emulator (plain CommonJS, typed by the JSDoc in emulator/*.js)
// ---------------------------------------------------------------------------------------------

export type { Emulator, EmulatorStats, FaultSpec, InteractionSnapshot } from '../../emulator/server';
export { startEmulator } from '../../emulator/server';
export const EMULATOR_TOKEN = DEFAULT_TOKEN;

export function emulatorCredentials(emulator: { url: string }): ICredentialDataDecryptedObject {
	return { apiToken: EMULATOR_TOKEN, baseUrl: emulator.url };
}

// ---------------------------------------------------------------------------------------------
// Building and running workflows
// ---------------------------------------------------------------------------------------------

export type Step = RunOptions['chain'][number];

/** One ElevateAI node step. */
export function step(
	name: string,
	operation: string,
	parameters: INodeParameters = {},
	continueOnFail = false,
): Step {
	return { name, parameters: { resource: 'interaction', operation, ...parameters }, continueOnFail };
}

export async function runOne(
	operation: string,
	parameters: INodeParameters,
	options: Omit<RunOptions, 'chain'> & { continueOnFail?: boolean } = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const { continueOnFail, ...rest } = options;
	const result = await runChain({ ...rest, chain: [step('Node', operation, parameters, continueOnFail)] });
	return { ...result, items: result.output('Node') };
}

export function chatJson(index = 0, participants = ['1', '2']): IDataObject {
	return {
		participants: participants.map((id, i) => ({
			participant_id: id,
			name: i === 0 ? 'Agent' : 'Customer',
			role: i === 0 ? 'agent' : 'customer',
		})),
		messages: [
			{ participant_id: participants[1], timestamp: '2024-01-01T10:00:00Z', content: `Hello, this is chat ${index}` },
			{ participant_id: participants[0], timestamp: '2024-01-01T10:00:05Z', content: 'How can I help?' },
		],
	};
}

/** A recording of `size` bytes with a recognisable ASCII pattern (nock hands bodies over as text). */
export function recording(size: number): Buffer {
	const buffer = Buffer.alloc(size);
	for (let i = 0; i < size; i++) buffer[i] = 97 + ((i * 31 + Math.floor(i / 26)) % 26);
	buffer.write('RIFF', 0);
	return buffer;
}

// ---------------------------------------------------------------------------------------------
// Proving that no request was sent
// ---------------------------------------------------------------------------------------------

/**
 * Counts every outgoing request nock sees that no interceptor answered (with net connect off,
 * that is every request to a non-loopback host). Call `stop()` when done.
 */
export function countUnmatchedRequests(): { count: () => number; stop: () => void } {
	let count = 0;
	const listener = () => {
		count += 1;
	};
	nock.emitter.on('no match', listener);
	return { count: () => count, stop: () => nock.emitter.removeListener('no match', listener) };
}

// ---------------------------------------------------------------------------------------------
// Request timeouts: n8n gets the node's timeout; the suite shortens it on the wire
// ---------------------------------------------------------------------------------------------

/**
 * Caps the timeout of every request at `capMs` (so "slower than the request timeout" takes
 * milliseconds, not minutes) and records the timeouts the node asked for.
 */
export function capRequestTimeouts(capMs: number): { asked: number[]; restore: () => void } {
	const asked: number[] = [];
	const original = TestCredentialsHelper.prototype.authenticate;
	const spy = jest
		.spyOn(TestCredentialsHelper.prototype, 'authenticate')
		.mockImplementation(async function (this: TestCredentialsHelper, credentials, typeName, options) {
			const authenticated: IHttpRequestOptions = await original.call(this, credentials, typeName, options);
			asked.push(Number(authenticated.timeout));
			return { ...authenticated, timeout: Math.min(Number(authenticated.timeout ?? Infinity), capMs) };
		});
	return { asked, restore: () => spy.mockRestore() };
}

// ---------------------------------------------------------------------------------------------
// Secret scanning
// ---------------------------------------------------------------------------------------------

/** Serialises anything (circular references included) so that a token anywhere in it is found. */
export function serialize(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, inner: unknown) => {
		if (inner instanceof Error) {
			const plain: Record<string, unknown> = {};
			for (const key of Object.getOwnPropertyNames(inner)) plain[key] = (inner as unknown as Record<string, unknown>)[key];
			inner = { ...plain, ...(inner as unknown as Record<string, unknown>) };
		}
		if (typeof inner === 'object' && inner !== null) {
			if (seen.has(inner)) return '[circular]';
			seen.add(inner);
		}
		return inner;
	});
}

/** Every place a token could surface in a run: items, errors, descriptions, the whole run. */
export function textsOf(result: RunResult, nodeNames: string[]): string[] {
	const texts: string[] = [serialize(result.run)];
	if (result.error) {
		texts.push(String(result.error.message), String((result.error as { description?: unknown }).description ?? ''));
		texts.push(serialize(result.error));
	}
	for (const name of nodeNames) {
		for (const item of result.output(name)) {
			texts.push(serialize(item.json));
			texts.push(String(item.json.error ?? ''), String(item.json.errorDescription ?? ''));
		}
	}
	return texts;
}

/** Variants of a token an answer might echo: as is, upper case, lower case, URL-encoded. */
export function tokenVariants(token: string): string[] {
	return [...new Set([token, token.toUpperCase(), token.toLowerCase(), encodeURIComponent(token)])];
}

/** A socket-level error as Node reports it (nock needs a real Error to fail the request). */
export function netError(code: string, message = `${code} (simulated)`): Error {
	return Object.assign(new Error(message), { code });
}

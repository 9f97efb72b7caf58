/**
 * Property: the GUID rule. Only an 8-4-4-4-12 hexadecimal identifier reaches a request path;
 * whatever passes is safe in a URL path; a GUID is accepted in any letter case (and trimmed) and
 * sent lower-cased.
 */
import fc from 'fast-check';
import type { INode } from 'n8n-workflow';

import { isGuid } from '../../nodes/ElevateAi/helpers/contract';
import { parseInteractionIdentifier } from '../../nodes/ElevateAi/helpers/validation';
import { RUNS } from './runs';

const node = { name: 'ElevateAI', type: 'n8n-nodes-elevateai.elevateAi', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const HEX = [...'0123456789abcdefABCDEF'];
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });
const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));
/** Characters that turn an identifier into a path or query: the attacker's alphabet. */
const hostile = fc.constantFrom('/', '.', '..', '%2e', '%2F', '?', '#', ' ', '\t', '\n', '\\', 'g', 'G', '-', '\u0000', 'é', '０');

const pathSafe = (value: string) => encodeURIComponent(value) === value && !value.includes('.') && !value.includes('/');

describe('property: the GUID rule', () => {
	it('accepts every GUID in any letter case and sends it lower-cased', () => {
		fc.assert(
			fc.property(guid, fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), maxLength: 3 }), (value, pad) => {
				expect(isGuid(value)).toBe(true);
				const parsed = parseInteractionIdentifier(node, 0, `${pad}${value}${pad}`);
				expect(parsed).toBe(value.toLowerCase());
				expect(pathSafe(parsed)).toBe(true);
			}),
			{ numRuns: RUNS },
		);
	});

	it('rejects a GUID with anything inserted, removed or replaced', () => {
		fc.assert(
			fc.property(guid, fc.nat(35), hostile, fc.constantFrom('insert', 'replace', 'delete'), (value, at, char, how) => {
				const mutated =
					how === 'insert'
						? value.slice(0, at) + char + value.slice(at)
						: how === 'replace'
							? value.slice(0, at) + char + value.slice(at + 1)
							: value.slice(0, at) + value.slice(at + 1);
				// Replacing a hex digit by "-" or a letter g is as wrong as a slash; only an identical string passes.
				fc.pre(mutated !== value);
				expect(isGuid(mutated)).toBe(false);
				if (mutated.trim() === value) {
					// Whitespace around an ID (a pasted value) is trimmed, nothing else.
					expect(parseInteractionIdentifier(node, 3, mutated)).toBe(value.toLowerCase());
				} else {
					expect(() => parseInteractionIdentifier(node, 3, mutated)).toThrow(/^Invalid Interaction ID: .* \[item 3\]$/);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('lets through only values that are safe in a URL path, for any string', () => {
		const alphabet = fc.constantFrom(...HEX, '-', '/', '.', '%', ' ', '?', '#', 'x');
		const arbitrary = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: alphabet, minLength: 30, maxLength: 40 }));
		fc.assert(
			fc.property(arbitrary, (value) => {
				if (isGuid(value)) {
					expect(value).toHaveLength(36);
					expect(pathSafe(value)).toBe(true);
				}
				let parsed: string | undefined;
				try {
					parsed = parseInteractionIdentifier(node, 0, value);
				} catch {
					parsed = undefined;
				}
				if (parsed !== undefined) expect(isGuid(parsed) && pathSafe(parsed)).toBe(true);
			}),
			{ numRuns: RUNS },
		);
	});

	it('rejects anything that is not a string', () => {
		fc.assert(
			fc.property(fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.object(), fc.array(fc.anything())), (value) => {
				expect(isGuid(value)).toBe(false);
				expect(() => parseInteractionIdentifier(node, 0, value)).toThrow();
			}),
			{ numRuns: RUNS },
		);
	});
});

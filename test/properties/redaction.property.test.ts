/**
 * Property: redaction. The token, put anywhere in any text, in any letter case, never survives
 * redaction — neither before the text is shortened for a message nor after (a cut through the
 * token leaves a piece that is redacted too); an `X-API-Token: …` echo is redacted whatever it
 * carries; and a text without the token comes back unchanged.
 */
import fc from 'fast-check';

import { MIN_REDACTED_PIECE, redactSecret, safeServerText, shorten } from '../../nodes/ElevateAi/transport/redact';
import { RUNS } from './runs';

const HEX = [...'0123456789abcdef'];
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
const guidToken = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join('-'));
/** Tokens of other shapes: any printable ASCII, 16 to 64 characters. */
const asciiToken = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 16, maxLength: 64 });
const token = fc.oneof(guidToken, asciiToken);
/** Text around the token: any Unicode, of any length up to a long HTML page. */
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 400 }), fc.string({ maxLength: 2000 }));

/** Flips the case of each letter at random (a server may echo a GUID upper-cased). */
const caseVariant = (value: string) => fc.array(fc.boolean(), { minLength: value.length, maxLength: value.length }).map((flips) =>
	[...value].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''),
);
const withVariant = token.chain((secret) => fc.tuple(fc.constant(secret), caseVariant(secret), text, text));

/** Pieces of the token long enough to matter: its start and its end, MIN_REDACTED_PIECE or longer. */
function leaks(result: string, secret: string): boolean {
	const lower = result.toLowerCase();
	const s = secret.toLowerCase();
	return lower.includes(s) || lower.includes(s.slice(0, MIN_REDACTED_PIECE)) || lower.includes(s.slice(-MIN_REDACTED_PIECE));
}

describe('property: redaction', () => {
	it('removes the token at any position, in any letter case, in any text', () => {
		fc.assert(
			fc.property(withVariant, ([secret, variant, before, after]) => {
				fc.pre(!leaks(before + after, secret));
				expect(leaks(redactSecret(`${before}${variant}${after}`, secret), secret)).toBe(false);
			}),
			{ numRuns: RUNS },
		);
	});

	it('removes it before shortening: no piece survives a cut at any length', () => {
		fc.assert(
			fc.property(withVariant, fc.integer({ min: 1, max: 300 }), ([secret, variant, before, after], max) => {
				fc.pre(!leaks(before + after, secret));
				const full = `${before}${variant}${after}`;
				const message = safeServerText(full, secret, max);
				expect(message.length).toBeLessThanOrEqual(max);
				expect(leaks(message, secret)).toBe(false);
			}),
			{ numRuns: RUNS },
		);
	});

	it('also catches the piece left when a text was cut through the token first (a server that shortened it)', () => {
		fc.assert(
			fc.property(withVariant, fc.nat(), ([secret, variant, before], cut) => {
				fc.pre(!leaks(before, secret));
				// The cut leaves MIN_REDACTED_PIECE or more of the token at the end of the text.
				const keep = MIN_REDACTED_PIECE + (cut % (secret.length - MIN_REDACTED_PIECE + 1));
				const cutText = `${before}${variant.slice(0, keep)}`;
				const result = redactSecret(cutText, secret);
				expect(result.toLowerCase()).not.toContain(secret.slice(0, MIN_REDACTED_PIECE).toLowerCase());
				// And a text that starts inside the token (the front was cut) loses that piece too.
				const front = redactSecret(`${variant.slice(-keep)}${before}`, secret);
				expect(front.toLowerCase()).not.toContain(secret.slice(-MIN_REDACTED_PIECE).toLowerCase());
			}),
			{ numRuns: RUNS },
		);
	});

	it('redacts whatever an X-API-Token header echo carries', () => {
		const name = caseVariant('x-api-token');
		const separator = fc.constantFrom(': ', ':', '=', '": "', "': '", ' = ');
		const value = fc.string({ unit: fc.constantFrom(...'abcdefABCDEF0123456789-_'), minLength: 1, maxLength: 64 });
		fc.assert(
			fc.property(name, separator, value, text, (header, sep, carried, around) => {
				const result = redactSecret(`${around} ${header}${sep}${carried} end`, 'unrelated-secret-value');
				expect(result).toContain('[redacted]');
				expect(result).not.toContain(`${sep}${carried} end`);
			}),
			{ numRuns: RUNS },
		);
	});

	it('leaves a text without the token (and without a header echo) unchanged', () => {
		fc.assert(
			fc.property(token, text, (secret, body) => {
				fc.pre(!leaks(body, secret) && !/x-api-token/i.test(body));
				// Any piece of the token of MIN_REDACTED_PIECE or more would be redacted; there is none here.
				const lower = body.toLowerCase();
				const s = secret.toLowerCase();
				for (let i = 0; i + MIN_REDACTED_PIECE <= s.length; i++) fc.pre(!lower.includes(s.slice(i, i + MIN_REDACTED_PIECE)));
				expect(redactSecret(body, secret)).toBe(body);
			}),
			{ numRuns: RUNS },
		);
	});

	it('shortens any text to at most the limit, marking the cut', () => {
		fc.assert(
			fc.property(text, fc.integer({ min: 1, max: 500 }), (body, max) => {
				const short = shorten(body, max);
				expect(short.length).toBeLessThanOrEqual(max);
				if (body.length <= max) expect(short).toBe(body);
				else expect(short.endsWith('…')).toBe(true);
			}),
			{ numRuns: RUNS },
		);
	});
});

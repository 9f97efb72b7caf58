/**
 * Property: file-name sanitising. Any string (paths, quotes, line breaks, control characters,
 * any Unicode, any length) becomes a safe header value: printable ASCII without `"`, `\` or
 * `/`, never empty, never a dot-file, at most MAX_FILE_NAME_LENGTH long, keeping the audio
 * extension ElevateAI reads the codec from; a plain name is left as it is, a non-ASCII one
 * decodes back to itself, and sanitising twice changes nothing.
 */
import fc from 'fast-check';

import { MAX_FILE_NAME_LENGTH, safeFileName } from '../../nodes/ElevateAi/helpers/headerValues';
import { AUDIO_EXTENSIONS } from '../../nodes/ElevateAi/helpers/contract';
import { RUNS } from './runs';

const extension = fc.constantFrom(...AUDIO_EXTENSIONS);
const hostilePiece = fc.constantFrom('../', '..\\', '/', '\\', '"', '\r\n', '\n', '\u0000', '\u007f', '%', ';', 'C:\\', '.', ' ', '東京', 'é', '\ud83d\ude00', '\ud800');
const anyName = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 300 }),
	fc.array(fc.oneof(hostilePiece, fc.string({ maxLength: 12 })), { maxLength: 40 }).map((parts) => parts.join('')),
);
const SAFE_HEADER_VALUE = /^[\x20-\x21\x23-\x2e\x30-\x5b\x5d-\x7e]+$/;

describe('property: file-name sanitising', () => {
	it('turns any name with an audio extension into a safe header value that keeps the extension', () => {
		fc.assert(
			fc.property(anyName, extension, (name, ext) => {
				const safe = safeFileName(`${name}.${ext}`);
				expect(safe).toMatch(SAFE_HEADER_VALUE);
				expect(safe.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
				expect(safe.endsWith(`.${ext}`)).toBe(true);
				expect(safe.length).toBeGreaterThan(ext.length + 1);
				expect(safe.startsWith('.')).toBe(false);
			}),
			{ numRuns: RUNS },
		);
	});

	it('gives a safe, non-empty value for any string at all', () => {
		fc.assert(
			fc.property(anyName, (name) => {
				const safe = safeFileName(name);
				expect(safe).toMatch(SAFE_HEADER_VALUE);
				expect(safe.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
			}),
			{ numRuns: RUNS },
		);
	});

	it('is idempotent: a sanitised name stays as it is', () => {
		fc.assert(
			fc.property(anyName, extension, (name, ext) => {
				const safe = safeFileName(`${name}.${ext}`);
				expect(safeFileName(safe)).toBe(safe);
			}),
			{ numRuns: RUNS },
		);
	});

	it('keeps only the base name of a path', () => {
		const segment = fc.string({ unit: fc.constantFrom(...'abcXYZ019 -_.'), minLength: 1, maxLength: 12 });
		fc.assert(
			fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.constantFrom('/', '\\'), fc.string({ unit: fc.constantFrom(...'abcXYZ019-_'), minLength: 1, maxLength: 20 }), extension, (dirs, sep, base, ext) => {
				expect(safeFileName(`${dirs.join(sep)}${sep}${base}.${ext}`)).toBe(`${base}.${ext}`);
			}),
			{ numRuns: RUNS },
		);
	});

	it('leaves a plain name as it is and percent-encodes a non-ASCII one so that it decodes back (RFC 7578 §4.2)', () => {
		const plainChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_()[]+,;=@!~\'&$#');
		const unicodeChar = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }).filter((c) => !/[\u0000-\u001f\u007f-\u009f"\\/%.\s]/.test(c));
		const base = fc
			.array(fc.oneof(plainChar, unicodeChar), { minLength: 1, maxLength: 30 })
			.map((chars) => chars.join('').trim())
			.filter((b) => b !== '' && !b.startsWith('.'));
		fc.assert(
			fc.property(base, extension, (stem, ext) => {
				const name = `${stem}.${ext}`;
				const safe = safeFileName(name);
				if (/^[\x20-\x7e]*$/.test(name)) expect(safe).toBe(name);
				if (safe.length < MAX_FILE_NAME_LENGTH) expect(decodeURIComponent(safe)).toBe(name);
			}),
			{ numRuns: RUNS },
		);
	});

	it('caps a name of any length and keeps its extension', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('a', 'é', '東', '😀', '%'), extension, (length, char, ext) => {
				const safe = safeFileName(`${char.repeat(length)}.${ext}`);
				expect(safe.length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
				expect(safe.endsWith(`.${ext}`)).toBe(true);
				// Never a cut inside a %XX escape.
				expect(() => decodeURIComponent(safe.replace(/%(?![0-9A-F]{2})/g, '%25'))).not.toThrow();
				if (char !== '%') expect(safe.slice(0, -(ext.length + 1))).not.toMatch(/%[0-9A-F]?$/);
			}),
			{ numRuns: RUNS },
		);
	});
});

/**
 * Property: Retry-After parsing. Any string gives either "unreadable" (undefined: the caller
 * backs off normally) or a finite wait of 0 or more; delay-seconds and the three HTTP-date forms
 * give exactly what they say; a negative value or one with anything around it is unreadable.
 */
import fc from 'fast-check';

import { retryAfterMs } from '../../nodes/ElevateAi/transport/retryAfter';
import { RUNS } from './runs';

const NOW = Date.UTC(2026, 11, 1, 22, 0, 0);
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
const clock = (d: Date) => `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;

/** Whole seconds from 1977 to 2075: within 50 years of NOW, where RFC 850's two-digit year is unambiguous. */
const date = fc.integer({ min: Date.UTC(1977, 0, 1) / 1000, max: Date.UTC(2075, 11, 31) / 1000 }).map((s) => new Date(s * 1000));
const whitespace = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 });
/** Text that is not whitespace, to put around a value. */
const junk = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== '');

function forms(d: Date): string[] {
	const imf = d.toUTCString(); // Sun, 06 Nov 1994 08:49:37 GMT
	const rfc850 = `${LONG_DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${two(d.getUTCFullYear() % 100)} ${clock(d)} GMT`;
	const asctime = `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${clock(d)} ${d.getUTCFullYear()}`;
	return [imf, rfc850, asctime];
}

describe('property: Retry-After parsing', () => {
	it('gives undefined or a finite wait of 0 or more for any string', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...'0123456789.-+e ,:GMTSunNov'), maxLength: 30 })), (value) => {
				const ms = retryAfterMs(value, NOW);
				if (ms !== undefined) {
					expect(Number.isFinite(ms)).toBe(true);
					expect(ms).toBeGreaterThanOrEqual(0);
				}
			}),
			{ numRuns: RUNS * 5 },
		);
	});

	it('reads delay-seconds exactly, with any whitespace around', () => {
		fc.assert(
			fc.property(fc.nat(10_000_000), whitespace, whitespace, (seconds, before, after) => {
				expect(retryAfterMs(`${before}${seconds}${after}`, NOW)).toBe(seconds * 1000);
			}),
			{ numRuns: RUNS },
		);
	});

	it('reads every HTTP-date form as the time it names (0 when it is past)', () => {
		fc.assert(
			fc.property(date, (d) => {
				for (const form of forms(d)) expect(retryAfterMs(form, NOW)).toBe(Math.max(0, d.getTime() - NOW));
			}),
			{ numRuns: RUNS },
		);
	});

	it('finds a negative number unreadable', () => {
		fc.assert(
			fc.property(fc.oneof(fc.integer({ max: -1 }), fc.double({ max: -Number.MIN_VALUE, noNaN: true })), (n) => {
				expect(retryAfterMs(String(n), NOW)).toBeUndefined();
			}),
			{ numRuns: RUNS },
		);
	});

	it('finds a valid value with anything else around it unreadable ("foo 2", "2 foo")', () => {
		fc.assert(
			fc.property(fc.oneof(fc.nat(100_000).map(String), date.map((d) => d.toUTCString())), junk, fc.boolean(), (value, extra, before) => {
				const text = before ? `${extra} ${value}` : `${value} ${extra}`;
				expect(retryAfterMs(text, NOW)).toBeUndefined();
			}),
			{ numRuns: RUNS },
		);
	});

	it('finds a date that does not exist unreadable (31 Feb, hour 24)', () => {
		fc.assert(
			fc.property(date, fc.constantFrom('day', 'hour', 'minute'), (d, part) => {
				const [weekday, , month, year, time] = d.toUTCString().split(' ');
				const [h, m, s] = time.split(':');
				const text =
					part === 'day'
						? `${weekday} 3${2 + (d.getUTCDate() % 7)} ${month} ${year} ${time} GMT`
						: part === 'hour'
							? `${weekday} ${two(d.getUTCDate())} ${month} ${year} ${24 + (d.getUTCHours() % 75)}:${m}:${s} GMT`
							: `${weekday} ${two(d.getUTCDate())} ${month} ${year} ${h}:${60 + (d.getUTCMinutes() % 39)}:${s} GMT`;
				expect(retryAfterMs(text, NOW)).toBeUndefined();
			}),
			{ numRuns: RUNS },
		);
	});
});

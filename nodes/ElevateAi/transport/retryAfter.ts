/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Anything else — a negative
 * number, `foo 2`, a date that does not exist — is unreadable and gives `undefined`, so that the
 * caller falls back to its normal backoff instead of retrying at once into the rate limit.
 * `Date.parse` is not used: it reads `foo 2` and `-1` as dates in the past (a wait of 0).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
/** `Sun, 06 Nov 1994 08:49:37 GMT` */
const IMF_FIXDATE = new RegExp(
	`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`,
);
/** `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete, still to be accepted) */
const RFC_850 = new RegExp(
	`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`,
);
/** `Sun Nov  6 08:49:37 1994` (obsolete, still to be accepted) */
const ASCTIME = new RegExp(
	`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d{2}) ${TIME} (\\d{4})$`,
);
const DELAY_SECONDS = /^\d+(\.\d+)?$/;

function utc(
	year: number,
	month: string,
	day: string,
	h: string,
	m: string,
	s: string,
): number | undefined {
	const monthIndex = MONTHS.indexOf(month);
	const [d, hh, mm, ss] = [day, h, m, s].map((part) => Number(part.trim()));
	if (hh > 23 || mm > 59 || ss > 59) return undefined;
	const time = Date.UTC(year, monthIndex, d, hh, mm, ss);
	// Date.UTC rolls 31 Feb over into March: such a date does not exist.
	const date = new Date(time);
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== monthIndex ||
		date.getUTCDate() !== d
	) {
		return undefined;
	}
	return time;
}

/** The time an HTTP-date names, in ms since the epoch, or `undefined` if it is not one. */
export function parseHttpDate(value: string, now = Date.now()): number | undefined {
	let match = IMF_FIXDATE.exec(value);
	if (match) return utc(Number(match[3]), match[2], match[1], match[4], match[5], match[6]);
	match = RFC_850.exec(value);
	if (match) {
		// A two-digit year more than 50 years ahead means the past century (RFC 9110 §5.6.7).
		const thisYear = new Date(now).getUTCFullYear();
		let year = 2000 + Number(match[3]);
		if (year > thisYear + 50) year -= 100;
		return utc(year, match[2], match[1], match[4], match[5], match[6]);
	}
	match = ASCTIME.exec(value);
	if (match) return utc(Number(match[6]), match[1], match[2], match[3], match[4], match[5]);
	return undefined;
}

/** How long `Retry-After` asks to wait, in ms (never negative), or `undefined` if unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (DELAY_SECONDS.test(text)) {
		const ms = Math.round(Number(text) * 1000);
		return Number.isFinite(ms) ? ms : undefined;
	}
	const date = parseHttpDate(text, now);
	return date === undefined ? undefined : Math.max(0, date - now);
}

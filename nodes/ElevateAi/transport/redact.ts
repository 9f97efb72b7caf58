/**
 * Keeps the API token out of every text a server sends back (error messages, echoed headers,
 * URLs, debug pages). Redaction always runs on the whole text, before it is shortened for a
 * message: shortening first could cut the token in two and leave its first characters behind.
 */

export const REDACTED = '[redacted]';
/** A piece of the token this long (e.g. one a server cut off at the end of its text) is redacted too. */
export const MIN_REDACTED_PIECE = 8;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `abcdefgh(?:i(?:j(?:k)?)?)?`: the token's first `MIN_REDACTED_PIECE` characters and as many more as follow. */
function prefixPattern(secret: string): string {
	const rest = [...secret.slice(MIN_REDACTED_PIECE)].reduceRight(
		(inner, char) => `(?:${escape(char)}${inner})?`,
		'',
	);
	return `${escape(secret.slice(0, MIN_REDACTED_PIECE))}${rest}`;
}

/** `(?:(?:a)?b)?…wxyz`: the token's last `MIN_REDACTED_PIECE` characters and as many before them. */
function suffixPattern(secret: string): string {
	const head = [...secret.slice(0, -MIN_REDACTED_PIECE)].reduce(
		(inner, char) => `(?:${inner}${escape(char)})?`,
		'',
	);
	return `${head}${escape(secret.slice(-MIN_REDACTED_PIECE))}`;
}

const HEADER_ECHO = /(x-api-token["'\s]*[:=]\s*["']?)[^"',\s}]+/gi;

/**
 * Replaces the token, in any letter case (a GUID may come back upper-cased), and any piece of it
 * at least `MIN_REDACTED_PIECE` long that starts or ends like it, plus any `X-API-Token: …` echo.
 */
export function redactSecret(text: string, secret: string): string {
	let result = text;
	if (secret.length >= 4) result = result.replace(new RegExp(escape(secret), 'gi'), REDACTED);
	if (secret.length >= 2 * MIN_REDACTED_PIECE) {
		result = result
			.replace(new RegExp(prefixPattern(secret), 'gi'), REDACTED)
			.replace(new RegExp(suffixPattern(secret), 'gi'), REDACTED);
	}
	return result.replace(HEADER_ECHO, `$1${REDACTED}`);
}

/** Cuts a text to at most `max` characters, ending in `…` when cut (never inside a surrogate pair). */
export function shorten(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = max - 1;
	const code = text.charCodeAt(end - 1);
	if (code >= 0xd800 && code <= 0xdbff) end -= 1;
	return `${text.slice(0, end)}…`;
}

/** A server's text made safe for a message: redacted first, then shortened. */
export function safeServerText(text: string, secret: string, max: number): string {
	return shorten(redactSecret(text, secret), max);
}

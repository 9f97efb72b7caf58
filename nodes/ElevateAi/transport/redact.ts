/** Replaces the token wherever an answer might echo it (headers, URLs, debug text). */
export function redactSecret(text: string, secret: string): string {
	let result = text;
	// Case-insensitive: a GUID token may come back upper-cased.
	if (secret.length >= 4)
		result = result.replace(
			new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'),
			'[redacted]',
		);
	return result.replace(/(x-api-token["'\s]*[:=]\s*["']?)[^"',\s}]+/gi, '$1[redacted]');
}

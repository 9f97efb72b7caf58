/**
 * Values that end up in HTTP headers (the multipart part's file name and type, Accept-Language)
 * come from binaries and expressions, so they are made safe or rejected here, before anything is
 * sent: no path, no quote or line break that could forge a header, no unbounded length.
 */

/** Longest file name sent, extension included (file systems commonly allow 255 bytes). */
export const MAX_FILE_NAME_LENGTH = 200;
const FALLBACK_STEM = 'recording';

/** Characters left as they are: printable ASCII except `"` and `\` (which end or escape a quoted value). */
const KEPT = /^[\x20-\x21\x23-\x5b\x5d-\x7e]$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * RFC 7578 §4.2: a non-ASCII file name may be percent-encoded (UTF-8 bytes as `%XX`, like a
 * `file:` URI), which keeps the part headers plain ASCII for every server. One piece per
 * character, so that a cut never splits a character's escapes.
 */
function percentEncoded(text: string): string[] {
	const pieces: string[] = [];
	for (const char of text) {
		if (KEPT.test(char)) pieces.push(char);
		else if (char === '"' || char === '\\') continue;
		else if (char.length === 1 && /[\ud800-\udfff]/.test(char))
			continue; // a lone surrogate has no UTF-8 form
		else pieces.push(encodeURIComponent(char));
	}
	return pieces;
}

/** Joins pieces up to `max` characters, never splitting one. */
function joinUpTo(pieces: string[], max: number): string {
	let out = '';
	for (const piece of pieces) {
		if (out.length + piece.length > max) break;
		out += piece;
	}
	return out;
}

/**
 * The name a recording is sent under: its base name (a path such as `../../etc/call.wav` or
 * `C:\calls\call.wav` is cut to `call.wav`), without control characters, quotes or backslashes,
 * non-ASCII percent-encoded, and at most `MAX_FILE_NAME_LENGTH` characters with the extension
 * kept (ElevateAI reads the codec from it). Never empty.
 */
export function safeFileName(fileName: string): string {
	const base = (fileName.split(/[/\\]/).pop() ?? '').replace(CONTROL, '').trim();
	const dot = base.lastIndexOf('.');
	// `.wav` alone is an extension without a name: it becomes `recording.wav`.
	const hasExtension = dot >= 0 && dot < base.length - 1;
	const rawStem = hasExtension ? base.slice(0, dot) : base;
	const rawExtension = hasExtension ? base.slice(dot + 1) : '';
	const extension = joinUpTo(percentEncoded(rawExtension), 16);
	// Leading dots would make `..` or a hidden file of what is left.
	const stemPieces = percentEncoded(rawStem);
	while (stemPieces.length > 0 && (stemPieces[0] === '.' || stemPieces[0] === ' '))
		stemPieces.shift();
	const room = MAX_FILE_NAME_LENGTH - (extension ? extension.length + 1 : 0);
	let stem = joinUpTo(stemPieces, room).trim();
	if (stem === '') stem = FALLBACK_STEM;
	return extension ? `${stem}.${extension}` : stem;
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(
	`^${TOKEN}/${TOKEN}(?:[ \\t]*;[ \\t]*${TOKEN}=(?:${TOKEN}|"[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*"))*$`,
);

/** A MIME type as RFC 9110 §8.3.1 writes it (`type/subtype`, optional `; name=value` parameters). */
export function isMediaType(value: string): boolean {
	return value.length <= 255 && MEDIA_TYPE.test(value);
}

/**
 * A BCP 47 (RFC 5646) language tag: language (2–3 letters with up to three extlangs, or 4–8
 * letters), optional script, region, variants, extensions and private use; or a private-use
 * tag `x-…`. Checked for shape, not against the IANA registry.
 */
const LANGUAGE_TAG =
	/^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+)$/i;

export function isLanguageTag(value: string): boolean {
	return value.length <= 64 && LANGUAGE_TAG.test(value);
}

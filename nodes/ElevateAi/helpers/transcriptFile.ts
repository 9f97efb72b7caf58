import type { AgentParticipant, NormalizedTranscript, Segment } from './transcript';
import { conversationText, speakerLabel } from './transcript';

/**
 * Transcript files for people and players: TXT (the labelled conversation), SubRip (SRT) and
 * WebVTT, with cue times taken from ElevateAI's segment offsets.
 *
 * Cue rules, the same for both subtitle formats:
 * - a cue holds one speaker, at most CUE_MAX_CHARS characters over at most two lines and at
 *   most CUE_MAX_MS; a longer sentence is split at word boundaries (preferably after a comma
 *   or full stop), its time shared out in proportion to the characters;
 * - phrase-by-phrase segments of one speaker are joined into a cue while the pause between
 *   them stays under CUE_MAX_GAP_MS;
 * - cues are in time order and never overlap: when speakers talk over each other the earlier
 *   cue ends where the next begins, and cues that start at the same moment share one cue;
 * - every cue lasts at least 1 ms; no cue text contains a blank line or "-->".
 */

export const TRANSCRIPT_FILE_FORMATS = ['txt', 'srt', 'vtt'] as const;
export type TranscriptFileFormat = (typeof TRANSCRIPT_FILE_FORMATS)[number];

export const CUE_MAX_CHARS = 84;
export const CUE_LINE_CHARS = 42;
export const CUE_MAX_MS = 7000;
export const CUE_MAX_GAP_MS = 1000;
/** How long a cue lasts when ElevateAI gives it no duration (end ≤ start). */
export const CUE_DEFAULT_MS = 1000;

export interface Cue {
	start: number;
	end: number;
	/** One or more lines, already labelled ("Agent: …"). */
	lines: string[];
}

interface Piece {
	participant?: string;
	start: number;
	end: number;
	text: string;
}

/** Offsets past this (about 41 days) are not a recording's; they are clamped so times stay exact. */
export const MAX_OFFSET_MS = 1000 * 3_600_000;

/** Whole milliseconds, never negative, never NaN, never beyond MAX_OFFSET_MS. */
function ms(value: number): number {
	return Number.isFinite(value) && value > 0 ? Math.round(Math.min(value, MAX_OFFSET_MS)) : 0;
}

/** Splits a sentence into chunks of at most `limit` characters, preferring punctuation breaks. */
export function splitText(text: string, limit: number): string[] {
	const words = text.split(' ').filter(Boolean);
	const chunks: string[] = [];
	let current = '';
	for (const word of words) {
		const candidate = current ? `${current} ${word}` : word;
		if (current && candidate.length > limit) {
			chunks.push(current);
			current = word;
		} else {
			current = candidate;
		}
		// A comma or full stop after half a cue is a natural place to stop.
		if (current.length >= limit / 2 && /[.,;:!?…]$/u.test(current)) {
			chunks.push(current);
			current = '';
		}
	}
	if (current) chunks.push(current);
	return chunks.flatMap((chunk) => hardWrap(chunk, limit));
}

/** A single "word" longer than a cue (a URL, a run of characters without spaces). */
function hardWrap(chunk: string, limit: number): string[] {
	if (chunk.length <= limit) return [chunk];
	const chars = Array.from(chunk);
	const parts: string[] = [];
	for (let i = 0; i < chars.length; i += limit) parts.push(chars.slice(i, i + limit).join(''));
	return parts;
}

/** A long sentence becomes several pieces; its time is shared in proportion to their length. */
function sentencePieces(segment: Segment, limit: number): Piece[] {
	const start = ms(segment.start);
	const end = Math.max(start, ms(segment.end));
	const chunks = splitText(segment.text, limit);
	const duration = end - start;
	const byTime = Math.ceil(duration / CUE_MAX_MS);
	// A sentence short in words but long in time (a slow speaker) is split into equal times;
	// otherwise each chunk gets the share of the time its characters have.
	const slow = byTime > chunks.length;
	const parts = slow ? regroup(segment.text, byTime) : chunks;
	const weight = (text: string) => (slow ? 1 : text.length);
	const total = parts.reduce((sum, part) => sum + weight(part), 0) || 1;
	let at = 0;
	return parts.map((text) => {
		const from = start + Math.round((duration * at) / total);
		at += weight(text);
		const to = start + Math.round((duration * at) / total);
		return { participant: segment.participant, start: from, end: to, text };
	});
}

/** Words shared out into `count` chunks of similar length. */
function regroup(text: string, count: number): string[] {
	const words = text.split(' ').filter(Boolean);
	const n = Math.min(count, words.length);
	const chunks: string[] = [];
	for (let i = 0; i < n; i++) {
		chunks.push(
			words
				.slice(Math.floor((i * words.length) / n), Math.floor(((i + 1) * words.length) / n))
				.join(' '),
		);
	}
	return chunks.filter(Boolean);
}

function pieces(transcript: NormalizedTranscript, agent: AgentParticipant): Piece[] {
	const labelled = (segment: Segment) => {
		const label = speakerLabel(segment.participant, agent);
		return label ? `${label}: ` : '';
	};
	if (transcript.granularity === 'sentence') {
		return transcript.segments.flatMap((segment) =>
			sentencePieces(segment, CUE_MAX_CHARS - labelled(segment).length),
		);
	}
	return transcript.segments.map((segment) => ({
		participant: segment.participant,
		start: ms(segment.start),
		end: Math.max(ms(segment.start), ms(segment.end)),
		text: segment.text,
	}));
}

/** Joins phrase pieces of one speaker into cues while they fit. */
function group(
	all: Piece[],
	agent: AgentParticipant,
	granularity: NormalizedTranscript['granularity'],
): Cue[] {
	const cues: Array<Cue & { participant?: string; text: string; label: string }> = [];
	for (const piece of all) {
		const label = speakerLabel(piece.participant, agent);
		const prefix = label ? `${label}: ` : '';
		const last = cues[cues.length - 1];
		const joinable =
			granularity === 'phrase' &&
			last !== undefined &&
			last.participant === piece.participant &&
			piece.start - last.end <= CUE_MAX_GAP_MS &&
			piece.start >= last.start &&
			Math.max(last.end, piece.end) - last.start <= CUE_MAX_MS &&
			prefix.length + last.text.length + 1 + piece.text.length <= CUE_MAX_CHARS &&
			!/[.!?…]$/u.test(last.text);
		if (joinable) {
			last.text += ` ${piece.text}`;
			last.end = Math.max(last.end, piece.end);
			last.lines = [prefix + last.text];
		} else {
			for (const text of granularity === 'phrase'
				? splitText(piece.text, CUE_MAX_CHARS - prefix.length)
				: [piece.text]) {
				cues.push({
					participant: piece.participant,
					label,
					start: piece.start,
					end: piece.end,
					text,
					lines: [prefix + text],
				});
			}
		}
	}
	return cues.map(({ start, end, lines }) => ({ start, end, lines }));
}

/** Time order, no overlap, no zero-length cue (see the rules at the top). */
export function settleCues(cues: Cue[]): Cue[] {
	const ordered = cues
		.map((cue, order) => ({ cue: { ...cue, start: ms(cue.start), end: ms(cue.end) }, order }))
		.sort((a, b) => a.cue.start - b.cue.start || a.order - b.order)
		.map(({ cue }) => cue);
	const merged: Cue[] = [];
	for (const cue of ordered) {
		const previous = merged[merged.length - 1];
		if (previous && previous.start === cue.start) {
			previous.lines = [...previous.lines, ...cue.lines];
			previous.end = Math.max(previous.end, cue.end);
		} else {
			merged.push({ ...cue, lines: [...cue.lines] });
		}
	}
	for (const [i, cue] of merged.entries()) {
		const next = merged[i + 1];
		if (cue.end <= cue.start) cue.end = cue.start + CUE_DEFAULT_MS;
		if (next && cue.end > next.start) cue.end = next.start;
	}
	return merged;
}

/** At most two lines per speaker line, broken at the space nearest the middle. */
function wrap(line: string): string[] {
	if (line.length <= CUE_LINE_CHARS) return [line];
	const middle = line.length / 2;
	let best = -1;
	for (let i = line.indexOf(' '); i !== -1; i = line.indexOf(' ', i + 1)) {
		if (best === -1 || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
	}
	return best === -1 ? [line] : [line.slice(0, best), line.slice(best + 1)];
}

/** The cues of a transcript, ready to write as SRT or WebVTT. */
export function transcriptCues(transcript: NormalizedTranscript, agent: AgentParticipant): Cue[] {
	return settleCues(group(pieces(transcript, agent), agent, transcript.granularity));
}

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

/** `00:00:02,100` (SRT) or `00:00:02.100` (WebVTT). */
export function formatTimestamp(offsetMs: number, separator: ',' | '.'): string {
	const total = Number.isFinite(offsetMs) && offsetMs > 0 ? Math.round(offsetMs) : 0;
	const hours = Math.floor(total / 3_600_000);
	const minutes = Math.floor((total % 3_600_000) / 60_000);
	const seconds = Math.floor((total % 60_000) / 1000);
	return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${separator}${pad(total % 1000, 3)}`;
}

/** "-->" would end a cue's timing line early in both formats. */
function cueText(line: string): string {
	return line.replace(/-->/g, '->');
}

/** WebVTT cue text is markup: `&` and `<` must be escaped, `>` too for safety. */
function vttText(line: string): string {
	return cueText(line).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function toSrt(cues: Cue[]): string {
	return cues
		.map(
			(cue, index) =>
				`${index + 1}\n${formatTimestamp(cue.start, ',')} --> ${formatTimestamp(cue.end, ',')}\n${cue.lines
					.flatMap(wrap)
					.map(cueText)
					.join('\n')}\n`,
		)
		.join('\n');
}

export function toVtt(cues: Cue[]): string {
	const body = cues
		.map(
			(cue) =>
				`${formatTimestamp(cue.start, '.')} --> ${formatTimestamp(cue.end, '.')}\n${cue.lines
					.flatMap(wrap)
					.map(vttText)
					.join('\n')}\n`,
		)
		.join('\n');
	return body ? `WEBVTT\n\n${body}` : 'WEBVTT\n';
}

export const TRANSCRIPT_FILE_MIME_TYPES: Record<TranscriptFileFormat, string> = {
	txt: 'text/plain',
	srt: 'application/x-subrip',
	vtt: 'text/vtt',
};

export interface TranscriptFile {
	content: string;
	fileName: string;
	mimeType: string;
}

/**
 * The transcript as a file. An empty transcript (ElevateAI's 204, no speech) gives an empty but
 * valid file: an empty TXT and SRT, a WebVTT with only its header.
 */
export function transcriptFile(
	format: TranscriptFileFormat,
	transcript: NormalizedTranscript,
	agent: AgentParticipant,
	baseName: string,
): TranscriptFile {
	let content: string;
	if (format === 'txt') {
		const text = conversationText(transcript.segments, agent);
		content = text ? `${text}\n` : '';
	} else {
		const cues = transcriptCues(transcript, agent);
		content = format === 'srt' ? toSrt(cues) : toVtt(cues);
	}
	return {
		content,
		fileName: `${fileBaseName(baseName)}.${format}`,
		mimeType: TRANSCRIPT_FILE_MIME_TYPES[format],
	};
}

/** "call 0042.wav" → "call 0042"; nothing that could act as a path survives. */
export function fileBaseName(name: string): string {
	const last = name.split(/[\\/]/).pop() ?? '';
	const base = Array.from(last.replace(/\.[^.]{1,5}$/, ''))
		.map((char) => (char.charCodeAt(0) < 32 || '<>:"|?*'.includes(char) ? '_' : char))
		.join('')
		.trim();
	return base && base !== '.' && base !== '..' ? base : 'transcript';
}

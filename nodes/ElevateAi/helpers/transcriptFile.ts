import type { TranscriptFileFormat } from './contract';
import type { AgentParticipant, NormalizedTranscript, Segment } from './transcript';
import { conversationText, speakerLabel } from './transcript';

/**
 * Transcript files for people and players: TXT (the labelled conversation), SubRip (SRT) and
 * WebVTT, with cue times taken from ElevateAI's segment offsets.
 *
 * Cue rules, the same for both subtitle formats:
 * - a run of speech is one punctuated sentence, or the phrase-by-phrase phrases of one speaker
 *   without a pause longer than CUE_MAX_GAP_MS; words inside a sentence or phrase get times in
 *   proportion to their characters (ElevateAI times sentences and phrases, not words);
 * - a run longer than CUE_MAX_CHARS (label included) or CUE_MAX_MS is split into cues of
 *   similar length, preferably after a comma or full stop, never inside a word (except a
 *   "word" longer than a whole cue);
 * - cues are in time order and never overlap: when speakers talk over each other the earlier
 *   cue ends where the next begins, and cues that start at the same moment share one cue;
 * - every cue lasts at least 1 ms; no cue text contains a blank line or "-->".
 */

export type { TranscriptFileFormat };

export const CUE_MAX_CHARS = 84;
export const CUE_LINE_CHARS = 42;
export const CUE_MAX_MS = 7000;
export const CUE_MAX_GAP_MS = 1000;
/** How long a cue lasts when ElevateAI gives it no duration (end ≤ start). */
export const CUE_DEFAULT_MS = 1000;
/** Offsets past this (about 41 days) are not a recording's; they are clamped so times stay exact. */
export const MAX_OFFSET_MS = 1000 * 3_600_000;

export interface Cue {
	start: number;
	end: number;
	/** One or more lines, already labelled ("Agent: …"). */
	lines: string[];
}

/** A word (or a piece of a very long one) with its time. */
interface Word {
	start: number;
	end: number;
	text: string;
}

interface Run {
	participant?: string;
	words: Word[];
}

/** Whole milliseconds, never negative, never NaN, never beyond MAX_OFFSET_MS. */
function ms(value: number): number {
	return Number.isFinite(value) && value > 0 ? Math.round(Math.min(value, MAX_OFFSET_MS)) : 0;
}

/** A single "word" longer than a cue (a URL, a run of characters without spaces). */
function hardWrap(word: string, limit: number): string[] {
	const chars = Array.from(word);
	if (chars.length <= limit) return [word];
	const parts: string[] = [];
	for (let i = 0; i < chars.length; i += limit) parts.push(chars.slice(i, i + limit).join(''));
	return parts;
}

/** The words of a sentence or phrase, its time shared out in proportion to their characters. */
function timedWords(segment: Segment, limit: number): Word[] {
	const start = ms(segment.start);
	const end = Math.max(start, ms(segment.end));
	const words = segment.text
		.split(' ')
		.filter(Boolean)
		.flatMap((word) => hardWrap(word, limit));
	const total = words.reduce((sum, word) => sum + word.length + 1, -1) || 1;
	let at = 0;
	return words.map((text) => {
		const from = start + Math.round(((end - start) * at) / total);
		at += text.length;
		const to = start + Math.round(((end - start) * at) / total);
		at += 1;
		return { start: from, end: to, text };
	});
}

function prefixOf(participant: string | undefined, agent: AgentParticipant): string {
	const label = speakerLabel(participant, agent);
	return label ? `${label}: ` : '';
}

/** Sentences stay apart; phrases of one speaker join while the pauses between them are short. */
function runs(transcript: NormalizedTranscript, agent: AgentParticipant): Run[] {
	const out: Run[] = [];
	for (const segment of transcript.segments) {
		const limit = CUE_MAX_CHARS - prefixOf(segment.participant, agent).length;
		const words = timedWords(segment, limit);
		if (words.length === 0) continue;
		const last = out[out.length - 1];
		const lastWord = last?.words[last.words.length - 1];
		if (
			transcript.granularity === 'phrase' &&
			last &&
			last.participant === segment.participant &&
			words[0].start - lastWord.end <= CUE_MAX_GAP_MS
		) {
			last.words.push(...words);
		} else {
			out.push({ participant: segment.participant, words });
		}
	}
	return out;
}

const BREAK_AFTER = /[.,;:!?…]$/u;

/** Splits a run into cues of similar length, preferring breaks after punctuation. */
function splitRun(run: Run, agent: AgentParticipant): Cue[] {
	const prefix = prefixOf(run.participant, agent);
	const limit = CUE_MAX_CHARS - prefix.length;
	let remaining = run.words.reduce((sum, word) => sum + word.text.length + 1, 0);
	// What is left is shared out again after every cue, so no cue is left with a short tail.
	const targetFor = (left: number) => left / Math.ceil(left / limit);
	let target = targetFor(remaining);
	const cues: Cue[] = [];
	let current: Word[] = [];
	let size = 0;
	const flush = () => {
		if (current.length === 0) return;
		const text = current.map((word) => word.text).join(' ');
		cues.push({
			start: current[0].start,
			end: current[current.length - 1].end,
			lines: [prefix + text],
		});
		remaining -= size + 1;
		target = targetFor(Math.max(remaining, 1));
		current = [];
		size = 0;
	};
	for (const word of run.words) {
		const grown = size === 0 ? word.text.length : size + 1 + word.text.length;
		if (size > 0 && (grown > limit || word.end - current[0].start > CUE_MAX_MS)) flush();
		size = size === 0 ? word.text.length : size + 1 + word.text.length;
		current.push(word);
		// Soft breaks only where what is left of the run does not fit in one cue.
		const soft = remaining > limit + 1;
		if (soft && (size >= target * 1.2 || (BREAK_AFTER.test(word.text) && size >= target / 2)))
			flush();
	}
	flush();
	return cues;
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
	// The space nearest the middle, where one after a comma or full stop counts as 8 closer.
	const cost = (i: number) => Math.abs(i - middle) - (BREAK_AFTER.test(line.slice(0, i)) ? 8 : 0);
	let best = -1;
	for (let i = line.indexOf(' '); i !== -1; i = line.indexOf(' ', i + 1)) {
		if (best === -1 || cost(i) < cost(best)) best = i;
	}
	return best === -1 ? [line] : [line.slice(0, best), line.slice(best + 1)];
}

/** The cues of a transcript, ready to write as SRT or WebVTT. */
export function transcriptCues(transcript: NormalizedTranscript, agent: AgentParticipant): Cue[] {
	return settleCues(runs(transcript, agent).flatMap((run) => splitRun(run, agent)));
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

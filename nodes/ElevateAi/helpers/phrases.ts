import type { IDataObject } from 'n8n-workflow';

import { LIMITS } from './contract';
import type { AgentParticipant, NormalizedTranscript, Participant, Segment } from './transcript';
import { speakerLabel } from './transcript';

/**
 * Find Phrases: which of a list of phrases were said, by whom and when. Matching is on whole
 * words, ignoring case, accents of composition (Unicode NFKC), punctuation and apostrophes
 * ("This call is recorded." matches "this call is recorded"; "don't" matches "dont"; "call"
 * does not match "recall").
 *
 * The unit a phrase must fall within is a sentence (punctuated transcripts) or a run of one
 * speaker's phrases without a pause longer than UTTERANCE_MAX_GAP_MS (phrase by phrase).
 */

export const UTTERANCE_MAX_GAP_MS = 2000;
const MAX_PHRASES = LIMITS.phrases.max;
const MAX_PHRASE_LENGTH = LIMITS.phrases.maxLength;

/** Lower-case words without punctuation; apostrophes inside words are dropped, not split on. */
export function normalizeWords(text: string): string[] {
	return text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/['\u2019\u02bc`]/gu, '')
		.split(/[^\p{L}\p{N}\p{M}]+/u)
		.filter(Boolean);
}

/**
 * The phrases from the parameter: a string (one phrase per line) or an array from an
 * expression. Empty lines are dropped, duplicates (after normalising) kept once. Returns the
 * problem as a string for the caller to report with the field name and item.
 */
export function parsePhrases(value: unknown): string[] | string {
	let raw: unknown[];
	if (Array.isArray(value)) raw = value;
	else if (typeof value === 'string') raw = value.split(/\r?\n|\r/);
	else if (value === undefined || value === null) raw = [];
	else return 'must be text with one phrase per line, or an array of phrases';
	const phrases: string[] = [];
	const seen = new Set<string>();
	for (const entry of raw) {
		if (typeof entry !== 'string' && typeof entry !== 'number')
			return 'must contain only text phrases';
		const phrase = String(entry).trim();
		if (phrase === '') continue;
		if (phrase.length > MAX_PHRASE_LENGTH)
			return `has a phrase longer than ${MAX_PHRASE_LENGTH} characters ("${phrase.slice(0, 30)}…")`;
		const key = normalizeWords(phrase).join(' ');
		if (key === '') return `has a phrase without any words ("${phrase}")`;
		if (seen.has(key)) continue;
		seen.add(key);
		phrases.push(phrase);
	}
	if (phrases.length === 0) return 'must contain at least one phrase';
	if (phrases.length > MAX_PHRASES)
		return `has ${phrases.length} phrases; at most ${MAX_PHRASES} are allowed`;
	return phrases;
}

export interface PhraseQuery {
	phrases: string[];
	/** Only this participant's words count; unset = anyone. */
	participant?: Participant;
	/** Only matches that start before this many ms count; 0 or unset = the whole call. */
	withinMs?: number;
	agent: AgentParticipant;
}

export interface PhraseMatch extends IDataObject {
	phrase: string;
	participant: string | null;
	speaker: string;
	startTimeOffset: number;
	endTimeOffset: number;
	sentence: string;
}

export interface PhraseResult extends IDataObject {
	allFound: boolean;
	found: string[];
	missing: string[];
	matches: PhraseMatch[];
}

interface Word {
	word: string;
	start: number;
	end: number;
}

interface Utterance {
	participant?: string;
	start: number;
	end: number;
	sentence: string;
	words: Word[];
}

function utterances(transcript: NormalizedTranscript): Utterance[] {
	const timedWords = (segment: Segment): Word[] =>
		normalizeWords(segment.text).map((word) => ({ word, start: segment.start, end: segment.end }));
	if (transcript.granularity === 'sentence') {
		return transcript.segments.map((segment) => ({
			participant: segment.participant,
			start: segment.start,
			end: segment.end,
			sentence: segment.text,
			words: timedWords(segment),
		}));
	}
	const out: Utterance[] = [];
	for (const segment of transcript.segments) {
		const last = out[out.length - 1];
		if (
			last &&
			last.participant === segment.participant &&
			segment.start - last.end <= UTTERANCE_MAX_GAP_MS
		) {
			last.sentence += ` ${segment.text}`;
			last.end = Math.max(last.end, segment.end);
			last.words.push(...timedWords(segment));
		} else {
			out.push({
				participant: segment.participant,
				start: segment.start,
				end: segment.end,
				sentence: segment.text,
				words: timedWords(segment),
			});
		}
	}
	return out;
}

function occurrences(words: Word[], target: string[]): Array<[number, number]> {
	const found: Array<[number, number]> = [];
	for (let i = 0; i + target.length <= words.length; i++) {
		if (target.every((t, j) => words[i + j].word === t)) found.push([i, i + target.length - 1]);
	}
	return found;
}

/** Checks every phrase against the transcript; matches are in time order. */
export function findPhrases(transcript: NormalizedTranscript, query: PhraseQuery): PhraseResult {
	const units = utterances(transcript).filter(
		(u) => query.participant === undefined || u.participant === query.participant,
	);
	const withinMs = query.withinMs && query.withinMs > 0 ? query.withinMs : Infinity;
	const matches: PhraseMatch[] = [];
	const found: string[] = [];
	const missing: string[] = [];
	for (const phrase of query.phrases) {
		const target = normalizeWords(phrase);
		let any = false;
		for (const unit of units) {
			for (const [first, last] of occurrences(unit.words, target)) {
				const start = unit.words[first].start;
				if (start >= withinMs) continue;
				any = true;
				matches.push({
					phrase,
					participant: unit.participant ?? null,
					speaker: speakerLabel(unit.participant, query.agent),
					startTimeOffset: start,
					endTimeOffset: unit.words[last].end,
					sentence: unit.sentence,
				});
			}
		}
		(any ? found : missing).push(phrase);
	}
	matches.sort((a, b) => a.startTimeOffset - b.startTimeOffset);
	return { allFound: missing.length === 0, found, missing, matches };
}

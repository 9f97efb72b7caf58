import type { IDataObject } from 'n8n-workflow';

import type { Participant } from './contract';
import { optionValues } from './contract';

/**
 * One reading of ElevateAI's two transcript shapes, used by the plain text, the simplified
 * output, the transcript files and Find Phrases, so that they can never disagree.
 *
 * - punctuated: `sentenceSegments` are sentences, each with its participant and offsets;
 * - phrase by phrase: per participant, `phrases` is the list of UNIQUE phrases and each
 *   `phraseSegments` entry points into it with `phraseIndex`, so the conversation is rebuilt
 *   from the segments (a phrase said twice has one entry in `phrases` and two segments).
 */

/** ElevateAI's two participant groups, in its order. */
export const PARTICIPANTS: readonly Participant[] = optionValues('agentParticipant');
export type { Participant };

/** Which participant is the agent; unset keeps ElevateAI's neutral labels. */
export type AgentParticipant = Participant | undefined;

/** Sentences (punctuated) or short phrases (phrase by phrase): files and matching treat them differently. */
export type Granularity = 'sentence' | 'phrase';

export interface Segment {
	/** `participantOne`, `participantTwo`, another value ElevateAI may send, or unset (allParticipants). */
	participant?: string;
	/** ms from the start of the recording */
	start: number;
	end: number;
	text: string;
}

export interface NormalizedTranscript {
	granularity: Granularity;
	/** In time order (ties keep ElevateAI's order). */
	segments: Segment[];
	redacted: boolean;
}

const NEUTRAL_LABELS: Record<string, string> = {
	participantOne: 'Participant One',
	participantTwo: 'Participant Two',
};

function isParticipant(value: unknown): value is Participant {
	return value === 'participantOne' || value === 'participantTwo';
}

/** "Agent" / "Customer" when the agent is known, otherwise ElevateAI's neutral names. */
export function speakerLabel(participant: string | undefined, agent: AgentParticipant): string {
	if (participant === undefined || participant === '') return '';
	if (agent && isParticipant(participant)) return participant === agent ? 'Agent' : 'Customer';
	return NEUTRAL_LABELS[participant] ?? participant;
}

/** The camel-case key of a speaker in simplified outputs: `agent`/`customer` or `participantOne`/`participantTwo`. */
export function speakerKey(participant: Participant, agent: AgentParticipant): string {
	if (!agent) return participant;
	return participant === agent ? 'agent' : 'customer';
}

/** The participant a role names, for filters: `agent` → the agent's participant. */
export function participantForRole(role: 'agent' | 'customer', agent: Participant): Participant {
	if (role === 'agent') return agent;
	return agent === 'participantOne' ? 'participantTwo' : 'participantOne';
}

function offset(value: unknown, fallback: number): number {
	const n = Number(value);
	return Number.isFinite(n) ? n : fallback;
}

/** Whitespace (line breaks included) collapsed: a segment is one run of words. */
function clean(text: unknown): string {
	return String(text ?? '')
		.replace(/\s+/gu, ' ')
		.trim();
}

interface PhraseGroup {
	phrases?: unknown;
	phraseSegments?: unknown;
}

function phraseSegments(group: unknown, participant: string | undefined): Segment[] {
	const { phrases, phraseSegments: segments } = (group ?? {}) as PhraseGroup;
	const list = Array.isArray(phrases) ? phrases : [];
	const timed = Array.isArray(segments) ? (segments as IDataObject[]) : [];
	if (timed.length === 0) {
		// No timing at all: the phrases in their listed order is the best reading there is.
		return list.map((phrase, index) => ({
			participant,
			start: index,
			end: index,
			text: clean(phrase),
		}));
	}
	return timed.map((segment, index) => {
		const phraseIndex = Number(segment.phraseIndex);
		const start = offset(segment.startTimeOffset, index);
		return {
			participant,
			start,
			end: offset(segment.endTimeOffset, start),
			text: clean(Number.isInteger(phraseIndex) ? list[phraseIndex] : undefined),
		};
	});
}

function byTime(segments: Segment[]): Segment[] {
	return segments
		.map((segment, order) => ({ segment, order }))
		.sort((a, b) => a.segment.start - b.segment.start || a.order - b.order)
		.map(({ segment }) => segment)
		.filter((segment) => segment.text !== '');
}

/** Either transcript shape (or nothing, for ElevateAI's 204) as time-ordered segments. */
export function normalizeTranscript(transcript: IDataObject | undefined): NormalizedTranscript {
	const redacted =
		Array.isArray(transcript?.redactionSegments) && transcript.redactionSegments.length > 0;
	if (!transcript) return { granularity: 'sentence', segments: [], redacted: false };
	if (Array.isArray(transcript.sentenceSegments)) {
		const segments = (transcript.sentenceSegments as IDataObject[]).map((segment, index) => {
			const start = offset(segment?.startTimeOffset, index);
			return {
				participant:
					segment?.participant === undefined || segment.participant === null
						? undefined
						: String(segment.participant),
				start,
				end: offset(segment?.endTimeOffset, start),
				text: clean(segment?.phrase),
			};
		});
		return { granularity: 'sentence', segments: byTime(segments), redacted };
	}
	const perParticipant = PARTICIPANTS.flatMap((p) => phraseSegments(transcript[p], p));
	const segments =
		perParticipant.length > 0
			? perParticipant
			: phraseSegments(transcript.allParticipants, undefined);
	return { granularity: 'phrase', segments: byTime(segments), redacted };
}

/** The whole conversation, one line per turn ("Agent: …"), consecutive lines of a speaker joined. */
export function conversationText(segments: Segment[], agent: AgentParticipant): string {
	const turns: Array<{ participant?: string; text: string }> = [];
	for (const segment of segments) {
		const previous = turns[turns.length - 1];
		if (previous && previous.participant === segment.participant)
			previous.text += ` ${segment.text}`;
		else turns.push({ participant: segment.participant, text: segment.text });
	}
	return turns
		.map((turn) => {
			const label = speakerLabel(turn.participant, agent);
			return label ? `${label}: ${turn.text}` : turn.text;
		})
		.join('\n');
}

/** What one participant said, in order, without labels. */
export function participantText(segments: Segment[], participant: Participant): string {
	return segments
		.filter((segment) => segment.participant === participant)
		.map((segment) => segment.text)
		.join(' ');
}

/** The end of the last word, in seconds (one decimal): how long the conversation ran. */
export function durationSeconds(segments: Segment[]): number {
	const end = segments.reduce((max, segment) => Math.max(max, segment.end, segment.start), 0);
	return Math.round(end / 100) / 10;
}

/**
 * The simplified transcript: text for people and CRM fields, no time-coded segments.
 * `{ text, agentText, customerText, durationSeconds, redacted }` (or `participantOneText` /
 * `participantTwoText` while the agent is unknown).
 */
export function simplifyTranscript(
	transcript: IDataObject | undefined,
	agent: AgentParticipant,
): IDataObject {
	const { segments, redacted } = normalizeTranscript(transcript);
	const simplified: IDataObject = { text: conversationText(segments, agent) };
	for (const participant of PARTICIPANTS) {
		simplified[`${speakerKey(participant, agent)}Text`] = participantText(segments, participant);
	}
	simplified.durationSeconds = durationSeconds(segments);
	simplified.redacted = redacted;
	return simplified;
}

/**
 * A chat declares who is the agent: `{ participants: [{ participant_id, role }], messages }`.
 * ElevateAI (and the emulator) put the agent's messages under participantOne and the
 * customer's under participantTwo, so a chat with an agent role has a known agent.
 */
export function agentFromChat(chat: unknown): AgentParticipant {
	const participants = (chat as IDataObject | undefined)?.participants;
	if (!Array.isArray(participants)) return undefined;
	const roles = participants.map((p) => String((p as IDataObject)?.role ?? '').toLowerCase());
	return roles.includes('agent') || roles.includes('customer') ? 'participantOne' : undefined;
}

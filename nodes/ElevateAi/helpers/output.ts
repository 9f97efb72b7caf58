import type { IBinaryKeyData, IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TranscriptFormat } from './contract';

/** Every item the node returns is built here, so none can miss its `pairedItem`. */
export function toItem(
	json: IDataObject,
	itemIndex: number,
	binary?: IBinaryKeyData,
): INodeExecutionData {
	const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
	if (binary && Object.keys(binary).length > 0) item.binary = binary;
	return item;
}

const PARTICIPANT_LABELS: Record<string, string> = {
	participantOne: 'Participant One',
	participantTwo: 'Participant Two',
	allParticipants: 'Speaker',
};

interface Line {
	speaker: string;
	start: number;
	text: string;
}

/** Joins consecutive lines of the same speaker, the way a person would read a conversation. */
function render(lines: Line[]): string {
	const merged: Line[] = [];
	for (const line of [...lines].sort((a, b) => a.start - b.start)) {
		const text = line.text.trim();
		if (text === '') continue;
		const previous = merged[merged.length - 1];
		if (previous && previous.speaker === line.speaker) previous.text += ` ${text}`;
		else merged.push({ ...line, text });
	}
	return merged
		.map((line) => (line.speaker ? `${line.speaker}: ${line.text}` : line.text))
		.join('\n');
}

interface PhraseGroup {
	phrases?: unknown[];
	phraseSegments?: Array<{ startTimeOffset?: number; phraseIndex?: number }>;
}

function phraseLines(group: PhraseGroup | undefined, speaker: string): Line[] {
	const phrases = Array.isArray(group?.phrases) ? group.phrases : [];
	const segments = Array.isArray(group?.phraseSegments) ? group.phraseSegments : [];
	return phrases.map((phrase, index) => {
		const segment = segments.find((s) => s.phraseIndex === index) ?? segments[index];
		return {
			speaker,
			start: Number(segment?.startTimeOffset ?? index),
			text: String(phrase ?? ''),
		};
	});
}

/** The whole conversation as plain text, one line per turn with a participant label. */
export function transcriptText(
	format: TranscriptFormat,
	transcript: IDataObject | undefined,
): string {
	if (!transcript) return '';
	if (format === 'punctuated') {
		const segments = Array.isArray(transcript.sentenceSegments)
			? (transcript.sentenceSegments as IDataObject[])
			: [];
		return render(
			segments.map((segment, index) => ({
				speaker:
					PARTICIPANT_LABELS[String(segment.participant)] ?? String(segment.participant ?? ''),
				start: Number(segment.startTimeOffset ?? index),
				text: String(segment.phrase ?? ''),
			})),
		);
	}
	const one = transcript.participantOne as PhraseGroup | undefined;
	const two = transcript.participantTwo as PhraseGroup | undefined;
	if (one?.phrases?.length || two?.phrases?.length) {
		return render([
			...phraseLines(one, PARTICIPANT_LABELS.participantOne),
			...phraseLines(two, PARTICIPANT_LABELS.participantTwo),
		]);
	}
	return render(phraseLines(transcript.allParticipants as PhraseGroup | undefined, ''));
}

/** A transcript as the node outputs it: ElevateAI's fields plus `text`, the plain conversation. */
export function withText(
	format: TranscriptFormat,
	transcript: IDataObject | undefined,
): IDataObject {
	return { ...transcript, text: transcriptText(format, transcript) };
}

/** A download URI may carry SFTP credentials; outputs show it without the password. */
export function withoutPassword(uri: string): string {
	try {
		const url = new URL(uri);
		if (!url.password) return uri;
		url.password = '***';
		return url.toString();
	} catch {
		return uri;
	}
}

/** Time-coded detail that an AI agent cannot use and that would flood its context window. */
const TOOL_OMITTED_FIELDS = [
	'sentenceSegments',
	'redactionSegments',
	'allParticipants',
	'participantOne',
	'participantTwo',
	'voiceActivitySegments',
];

/** CX AI results as `{ bundle: { model: score } }` per participant group. */
function scoresOnly(ai: IDataObject): IDataObject {
	const groups: IDataObject = {};
	for (const [group, value] of Object.entries(ai)) {
		const bundles = (value as IDataObject | undefined)?.enlightenBundles;
		if (!Array.isArray(bundles)) continue;
		const scores: IDataObject = {};
		for (const bundle of bundles as IDataObject[]) {
			const models = Array.isArray(bundle.models) ? (bundle.models as IDataObject[]) : [];
			scores[String(bundle.name)] = Object.fromEntries(
				models.map((m) => [String(m.name), m.score as number]),
			);
		}
		groups[group] = scores;
	}
	return groups;
}

/** When an AI agent calls the node, it gets the text, statuses and scores, not the raw segments. */
export function compactForTool(json: IDataObject): IDataObject {
	const compact: IDataObject = {};
	for (const [key, value] of Object.entries(json)) {
		if (TOOL_OMITTED_FIELDS.includes(key)) continue;
		compact[key] =
			key === 'aiResults' && value && typeof value === 'object'
				? scoresOnly(value as IDataObject)
				: value;
	}
	if (json.interactionIdentifier && !json.aiResults && Object.values(json).some(isAiGroup)) {
		return { ...scoresOnly(json), interactionIdentifier: json.interactionIdentifier };
	}
	return compact;
}

function isAiGroup(value: unknown): boolean {
	return (
		!!value && typeof value === 'object' && Array.isArray((value as IDataObject).enlightenBundles)
	);
}

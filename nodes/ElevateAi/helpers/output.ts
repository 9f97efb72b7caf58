import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import { simplifyAiResults } from './aiScores';
import { simplifyTranscript } from './transcript';

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

function isAiGroup(value: unknown): boolean {
	return (
		!!value && typeof value === 'object' && Array.isArray((value as IDataObject).enlightenBundles)
	);
}

function isRawTranscript(json: IDataObject): boolean {
	return (
		Array.isArray(json.sentenceSegments) ||
		PARTICIPANT_GROUPS.some((group) =>
			Array.isArray((json[group] as IDataObject | undefined)?.phraseSegments),
		)
	);
}

const PARTICIPANT_GROUPS = ['allParticipants', 'participantOne', 'participantTwo'];

/** Raw segments or a raw participant group; simplified scores under `participantOne` stay. */
function isTimeCoded(value: unknown): boolean {
	return (
		Array.isArray(value) ||
		isAiGroup(value) ||
		Array.isArray((value as IDataObject | undefined)?.phraseSegments)
	);
}

/**
 * When an AI agent calls the node it gets the simplified shapes (texts, per-speaker text and
 * flat scores), never the raw time-coded segments, whatever Simplify says.
 */
export function compactForTool(json: IDataObject): IDataObject {
	const compact: IDataObject = {};
	for (const [key, value] of Object.entries(json)) {
		if (!(TOOL_OMITTED_FIELDS.includes(key) && isTimeCoded(value))) compact[key] = value;
	}
	if (PARTICIPANT_GROUPS.some((group) => isAiGroup(json[group]))) {
		Object.assign(compact, simplifyAiResults(json, undefined));
	} else if (isRawTranscript(json)) {
		const simplified = simplifyTranscript(json, undefined);
		Object.assign(compact, simplified, {
			text: typeof json.text === 'string' ? json.text : simplified.text,
		});
	}
	const ai = json.aiResults as IDataObject | undefined;
	if (ai && typeof ai === 'object' && PARTICIPANT_GROUPS.some((group) => isAiGroup(ai[group]))) {
		compact.aiResults = simplifyAiResults(ai, undefined);
	}
	return compact;
}

/**
 * The order a person reads an item in: `text` and `summary` first, then the short fields (IDs,
 * status, ...), then objects and long arrays (segments, scores) last. Values are unchanged.
 * (JavaScript lists integer-like keys such as "0" first whatever the order; no output has them.)
 */
export function forPeople(json: IDataObject): IDataObject {
	const first = ['text', 'summary'].filter((key) => key in json);
	const rest = Object.keys(json).filter((key) => !first.includes(key));
	const nested = (key: string) => typeof json[key] === 'object' && json[key] !== null;
	const ordered = [...first, ...rest.filter((k) => !nested(k)), ...rest.filter(nested)];
	return Object.fromEntries(ordered.map((key) => [key, json[key]]));
}

/**
 * The CRM's ID (`externalIdentifier`) of the input item, to carry on to the output so the next
 * node needs no reach back. Taken from the input only (no request), and only when the input is
 * about the same interaction: an item whose `interactionIdentifier` names another one keeps its
 * CRM ID to itself rather than tie it to the wrong call.
 */
export function carriedExternalId(input: IDataObject | undefined, identifier: string): IDataObject {
	const externalIdentifier = input?.externalIdentifier;
	if (typeof externalIdentifier !== 'string' || externalIdentifier.trim() === '') return {};
	const inputId = input?.interactionIdentifier;
	if (
		typeof inputId === 'string' &&
		inputId.trim() !== '' &&
		inputId.trim().toLowerCase() !== identifier.toLowerCase()
	) {
		return {};
	}
	return { externalIdentifier };
}

/**
 * The json of an operation on one interaction: its ID, the input's CRM ID (see
 * `carriedExternalId`), then what the operation read, in the order people read (`forPeople`).
 * A field of the result wins over a carried one (ElevateAI's declared `externalIdentifier` is
 * the truth); the ID stays the one the node used.
 */
export function interactionJson(
	identifier: string,
	input: IDataObject | undefined,
	result: IDataObject | undefined,
): IDataObject {
	const json: IDataObject = {
		interactionIdentifier: identifier,
		...carriedExternalId(input, identifier),
		...result,
	};
	json.interactionIdentifier = identifier;
	return forPeople(json);
}

/** The json of the input item the node is working on. */
export function inputJson(ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined {
	return ctx.getInputData()[itemIndex]?.json;
}

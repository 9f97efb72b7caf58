'use strict';

/**
 * Strict validation of a declare body (POST /interactions), following the API contract.
 * Optional fields may be absent or null (the official SDKs send null for unset fields);
 * unknown top-level fields are ignored, as the real server does. Every problem is reported
 * as a 400 with a message that names the field.
 */

const { HttpError } = require('./http-util');

const TYPES = ['audio', 'chat', 'transcript'];
const AUDIO_LANGUAGES = ['en-us', 'en', 'es-419', 'pt-br', 'ja', 'auto'];
const CHAT_LANGUAGES = ['en-us', 'en', 'es-419'];
const MODELS = ['cx', 'echo'];
const TRANSCRIPTION_MODES = ['highAccuracy', 'highSpeed'];
const PARTICIPANT_KEYS = ['allParticipants', 'participantOne', 'participantTwo'];
/** ISO 8601 date-time with a time zone (Z or ±hh:mm). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * @typedef {object} ChatParticipant
 * @property {string} participant_id
 * @property {string} name
 * @property {string} role
 */
/**
 * @typedef {object} ChatMessage
 * @property {string} participant_id
 * @property {string} timestamp
 * @property {string} content
 */
/**
 * @typedef {object} PhraseSegment
 * @property {number} startTimeOffset
 * @property {number} endTimeOffset
 * @property {number} phraseIndex
 * @property {number} score
 */
/**
 * @typedef {object} ParticipantTranscript
 * @property {string[]} phrases
 * @property {PhraseSegment[]} phraseSegments
 */
/**
 * @typedef {{ allParticipants?: ParticipantTranscript, participantOne?: ParticipantTranscript,
 *   participantTwo?: ParticipantTranscript, redactionSegments?: unknown[] }} PhraseTranscript
 */

/**
 * The declare body after validation, with defaults applied.
 * @typedef {object} DeclaredInteraction
 * @property {'audio' | 'chat' | 'transcript'} type
 * @property {string} languageTag
 * @property {string} vertical
 * @property {boolean} includeAiResults
 * @property {string | null} model
 * @property {string | null} downloadUri
 * @property {string | null} audioTranscriptionMode
 * @property {string | null} originalFilename
 * @property {string | null} externalIdentifier
 * @property {Record<string, unknown> | null} metadata
 * @property {{ participants: ChatParticipant[], messages: ChatMessage[] } | null} chat
 * @property {PhraseTranscript | null} transcript
 */

/** @param {string} message */
function bad(message) {
	return new HttpError(400, message);
}

/** @param {unknown} v */
function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** @param {unknown} v */
const present = (v) => v !== undefined && v !== null;

/**
 * @param {Record<string, unknown>} body
 * @param {string} field
 * @returns {string | null}
 */
function optionalString(body, field) {
	const v = body[field];
	if (!present(v)) return null;
	if (typeof v !== 'string') throw bad(`${field} must be a string.`);
	return v;
}

/**
 * @param {Record<string, unknown>} body
 * @param {string} field
 * @param {string[]} allowed
 * @returns {string | null}
 */
function optionalEnum(body, field, allowed) {
	const v = optionalString(body, field);
	if (v !== null && !allowed.includes(v)) {
		throw bad(`${field} "${v}" is not supported; use one of: ${allowed.join(', ')}.`);
	}
	return v;
}

/**
 * Metadata values are strings, or objects whose values are (recursively) strings.
 * @param {unknown} value
 * @param {string} where
 * @param {number} depth
 */
function checkMetadata(value, where, depth) {
	if (typeof value === 'string') return;
	if (!isPlainObject(value)) throw bad(`${where} must be a string or an object of strings.`);
	if (depth > 5) throw bad(`${where} is nested too deeply.`);
	for (const [k, v] of Object.entries(/** @type {object} */ (value))) checkMetadata(v, `${where}.${k}`, depth + 1);
}

/** @param {string} uri */
function checkDownloadUri(uri) {
	let url;
	try {
		url = new URL(uri);
	} catch {
		throw bad(`downloadUri "${redactForMessage(uri)}" is not a valid URL.`);
	}
	if (!['https:', 'http:', 'sftp:'].includes(url.protocol)) {
		throw bad('downloadUri must be an https, http or sftp URL.');
	}
	if (!url.hostname) throw bad('downloadUri has no host.');
}

/** @param {string} uri */
function redactForMessage(uri) {
	return uri.replace(/\/\/[^@/]*@/, '//[REDACTED]@').slice(0, 200);
}

/**
 * @param {unknown} chat
 * @returns {{ participants: ChatParticipant[], messages: ChatMessage[] }}
 */
function checkChat(chat) {
	if (!isPlainObject(chat)) throw bad('chat is required for a chat interaction and must be an object with participants and messages.');
	const c = /** @type {Record<string, unknown>} */ (chat);
	if (!Array.isArray(c.participants) || c.participants.length === 0) {
		throw bad('chat.participants must be a non-empty array of {participant_id, name, role}.');
	}
	if (!Array.isArray(c.messages) || c.messages.length === 0) {
		throw bad('chat.messages must be a non-empty array of {participant_id, timestamp, content}.');
	}
	const ids = new Set();
	c.participants.forEach((p, i) => {
		if (!isPlainObject(p)) throw bad(`chat.participants[${i}] must be an object.`);
		for (const f of ['participant_id', 'name', 'role']) {
			if (typeof p[f] !== 'string' || p[f] === '') throw bad(`chat.participants[${i}].${f} must be a non-empty string.`);
		}
		if (ids.has(p.participant_id)) throw bad(`chat.participants[${i}].participant_id "${p.participant_id}" is used twice.`);
		ids.add(p.participant_id);
	});
	c.messages.forEach((m, i) => {
		if (!isPlainObject(m)) throw bad(`chat.messages[${i}] must be an object.`);
		if (typeof m.participant_id !== 'string') throw bad(`chat.messages[${i}].participant_id must be a string.`);
		if (!ids.has(m.participant_id)) throw bad(`chat.messages[${i}].participant_id "${m.participant_id}" is not one of chat.participants.`);
		if (typeof m.timestamp !== 'string' || !ISO_DATE_TIME.test(m.timestamp) || Number.isNaN(Date.parse(m.timestamp))) {
			throw bad(`chat.messages[${i}].timestamp must be an ISO 8601 date-time such as 2023-08-03T15:27:09Z.`);
		}
		if (typeof m.content !== 'string') throw bad(`chat.messages[${i}].content must be a string.`);
	});
	return /** @type {any} */ (c);
}

/**
 * @param {unknown} transcript
 * @returns {PhraseTranscript}
 */
function checkTranscript(transcript) {
	if (!isPlainObject(transcript)) {
		throw bad('transcript is required for a transcript interaction and must be a phrase-by-phrase object (allParticipants, participantOne, participantTwo).');
	}
	const t = /** @type {Record<string, unknown>} */ (transcript);
	const keys = PARTICIPANT_KEYS.filter((k) => present(t[k]));
	if (keys.length === 0) throw bad('transcript must contain at least one of allParticipants, participantOne, participantTwo.');
	for (const key of keys) {
		const p = t[key];
		if (!isPlainObject(p)) throw bad(`transcript.${key} must be an object with phrases and phraseSegments.`);
		const { phrases, phraseSegments } = /** @type {Record<string, unknown>} */ (p);
		if (!Array.isArray(phrases) || phrases.some((x) => typeof x !== 'string')) {
			throw bad(`transcript.${key}.phrases must be an array of strings.`);
		}
		if (!Array.isArray(phraseSegments)) throw bad(`transcript.${key}.phraseSegments must be an array.`);
		phraseSegments.forEach((s, i) => {
			const w = `transcript.${key}.phraseSegments[${i}]`;
			if (!isPlainObject(s)) throw bad(`${w} must be an object.`);
			for (const f of ['startTimeOffset', 'endTimeOffset', 'phraseIndex']) {
				if (!Number.isInteger(s[f]) || s[f] < 0) throw bad(`${w}.${f} must be an integer >= 0.`);
			}
			if (s.endTimeOffset < s.startTimeOffset) throw bad(`${w}.endTimeOffset is before its startTimeOffset.`);
			if (s.phraseIndex >= phrases.length) throw bad(`${w}.phraseIndex ${s.phraseIndex} has no entry in phrases.`);
			if (present(s.score) && typeof s.score !== 'number') throw bad(`${w}.score must be a number.`);
		});
	}
	if (present(t.redactionSegments) && !Array.isArray(t.redactionSegments)) throw bad('transcript.redactionSegments must be an array.');
	return /** @type {PhraseTranscript} */ (t);
}

/**
 * Validate a declare body.
 * @param {unknown} body  parsed JSON
 * @param {{ exploreEnabled: boolean }} account
 * @returns {DeclaredInteraction}
 */
function validateDeclare(body, account) {
	if (!isPlainObject(body)) throw bad('The request body must be a JSON object.');
	const b = /** @type {Record<string, unknown>} */ (body);

	if (!present(b.type)) throw bad(`type is required (${TYPES.join(', ')}).`);
	const type = /** @type {DeclaredInteraction['type']} */ (optionalEnum(b, 'type', TYPES));

	const languages = type === 'chat' ? CHAT_LANGUAGES : AUDIO_LANGUAGES;
	const languageTag = optionalEnum(b, 'languageTag', languages) || 'en-us';
	const vertical = optionalEnum(b, 'vertical', ['default']) || 'default';

	let includeAiResults = false;
	if (present(b.includeAiResults)) {
		if (typeof b.includeAiResults !== 'boolean') throw bad('includeAiResults must be a boolean (true or false), not a string.');
		includeAiResults = b.includeAiResults;
	}
	const model = optionalEnum(b, 'model', MODELS);
	const audioTranscriptionMode = optionalEnum(b, 'audioTranscriptionMode', TRANSCRIPTION_MODES);
	const originalFilename = optionalString(b, 'originalFilename');
	const externalIdentifier = optionalString(b, 'externalIdentifier');

	const downloadUri = optionalString(b, 'downloadUri');
	if (downloadUri !== null) {
		if (type !== 'audio') throw bad('downloadUri is only valid for audio interactions.');
		checkDownloadUri(downloadUri);
	}

	/** @type {Record<string, unknown> | null} */
	let metadata = null;
	if (present(b.metadata)) {
		if (!account.exploreEnabled) {
			throw bad('Metadata can only be submitted by an account with Explore enabled.');
		}
		if (!isPlainObject(b.metadata)) throw bad('metadata must be an object.');
		for (const [k, v] of Object.entries(/** @type {object} */ (b.metadata))) checkMetadata(v, `metadata.${k}`, 1);
		metadata = /** @type {Record<string, unknown>} */ (b.metadata);
	}

	let chat = null;
	if (type === 'chat') chat = checkChat(b.chat);
	else if (present(b.chat)) throw bad('chat is only valid when type is "chat".');

	let transcript = null;
	if (type === 'transcript') transcript = checkTranscript(b.transcript);
	else if (present(b.transcript)) throw bad('transcript is only valid when type is "transcript".');

	return {
		type,
		languageTag,
		vertical,
		includeAiResults,
		model,
		downloadUri,
		audioTranscriptionMode,
		originalFilename,
		externalIdentifier,
		metadata,
		chat,
		transcript,
	};
}

module.exports = { validateDeclare, AUDIO_LANGUAGES, CHAT_LANGUAGES, TYPES };

'use strict';

/**
 * Deterministic results: the same declared inputs always give the same transcripts, CX AI
 * scores and summaries (nothing depends on the random interaction id or on the clock).
 *
 * - audio: a fixed two-party call (a customer disputing a bill); participantOne is the agent,
 *   participantTwo the customer. With the default `cx` model a card number is redacted (as the
 *   real service does); `echo` does not redact.
 * - chat: built from the declared messages (agent → participantOne, customer → participantTwo).
 * - transcript: the declared phrase-by-phrase transcript is echoed back.
 *
 * Phrase-by-phrase transcripts follow the real format: `phrases` is the ordered list of UNIQUE
 * phrases and each phrase segment points into it with `phraseIndex`; a client must rebuild the
 * text from `phraseSegments`, not by joining `phrases`.
 */

const crypto = require('node:crypto');
const { mulberry32 } = require('./faults');

/** @typedef {import('./validate').DeclaredInteraction} DeclaredInteraction */
/** @typedef {import('./validate').PhraseTranscript} PhraseTranscript */
/** @typedef {import('./validate').ParticipantTranscript} ParticipantTranscript */

/**
 * One spoken (or written) turn, the common form all three kinds are turned into.
 * @typedef {object} Turn
 * @property {'participantOne' | 'participantTwo'} participant
 * @property {number} start  ms
 * @property {number} end  ms
 * @property {string} sentence  punctuated text
 * @property {Array<{ word: string, start: number, end: number, score: number, redacted?: string }>} words
 */

/** The fixed call used for every audio interaction; `{card}` words are PCI data. */
const CALL_SCRIPT = /** @type {const} */ ([
	['participantOne', 'Thank you for calling Northwind Energy, my name is Maria. How can I help you today?'],
	['participantTwo', "Hi Maria, I'm calling about my bill. It is much higher than usual this month."],
	['participantOne', "I'm sorry to hear that. Let me take a look. Could you confirm the card you pay with?"],
	['participantTwo', "Sure, it's {card}."],
	['participantOne', 'Thank you. I can see a late fee of thirty five dollars that was charged twice.'],
	['participantTwo', "Twice? I paid on time, so I didn't expect any late fee at all."],
	['participantOne', "You're right, your payment arrived on time. I've removed both fees and issued a credit to your account."],
	['participantTwo', 'Great, thank you so much for sorting that out.'],
	['participantOne', "You're welcome. Is there anything else I can help you with today?"],
	['participantTwo', "No, that's all. Have a nice day."],
]);
const CARD_WORDS = ['four', 'one', 'one', 'one', 'two', 'two', 'two', 'two'];

/** @param {string} text */
function seedOf(text) {
	return crypto.createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** @param {number} x */
const round3 = (x) => Math.round(x * 1000) / 1000;

/**
 * Lower-case words without punctuation, as the phrase-by-phrase transcript shows them.
 * @param {string} sentence
 */
function wordsOf(sentence) {
	return sentence
		.toLowerCase()
		.replace(/[^\p{L}\p{N}'\s{}-]/gu, ' ')
		.split(/\s+/)
		.filter(Boolean);
}

/**
 * The fixed call, timed word by word.
 * @param {DeclaredInteraction} declared
 * @returns {Turn[]}
 */
function audioTurns(declared) {
	const redact = declared.model !== 'echo';
	const random = mulberry32(seedOf('audio-call'));
	/** @type {Turn[]} */
	const turns = [];
	let t = 800;
	for (const [participant, template] of CALL_SCRIPT) {
		const start = t;
		/** @type {Turn['words']} */
		const words = [];
		for (const raw of wordsOf(template)) {
			const isCard = raw === '{card}';
			for (const word of isCard ? CARD_WORDS : [raw]) {
				const len = 220 + word.length * 45;
				words.push({
					word,
					start: t,
					end: t + len,
					score: round3(0.82 + random() * 0.18),
					redacted: isCard && redact ? 'Credit Card' : undefined,
				});
				t += len + 40;
			}
		}
		const sentence = template.replace('{card}', redact ? '[redacted]' : CARD_WORDS.join(' '));
		turns.push({ participant, start, end: t - 40, sentence, words });
		t += 900;
	}
	return turns;
}

/**
 * Chat messages as turns; times come from the message timestamps (relative to the first one).
 * @param {NonNullable<DeclaredInteraction['chat']>} chat
 * @returns {Turn[]}
 */
function chatTurns(chat) {
	const roles = new Map(chat.participants.map((p) => [p.participant_id, p.role.toLowerCase()]));
	const t0 = Date.parse(chat.messages[0].timestamp);
	let previousStart = 0;
	return chat.messages.map((m) => {
		// Agent (or anyone who is not the customer) → participantOne; customer → participantTwo.
		const participant = roles.get(m.participant_id) === 'customer' ? 'participantTwo' : 'participantOne';
		const start = Math.max(previousStart, Date.parse(m.timestamp) - t0);
		previousStart = start;
		const end = start + 500 + wordsOf(m.content).length * 300;
		return {
			participant,
			start,
			end,
			sentence: m.content,
			// A chat message is one phrase: the text is typed, there are no word timings.
			words: m.content.trim() ? [{ word: m.content, start, end, score: 1 }] : [],
		};
	});
}

/**
 * A declared phrase-by-phrase transcript as turns (consecutive phrases of one participant are
 * grouped into one sentence).
 * @param {PhraseTranscript} transcript
 * @returns {Turn[]}
 */
function transcriptTurns(transcript) {
	/** @type {Array<{ participant: Turn['participant'], word: string, start: number, end: number, score: number }>} */
	const items = [];
	/** @type {Array<['participantOne' | 'participantTwo', ParticipantTranscript | undefined]>} */
	const sources = transcript.participantOne || transcript.participantTwo
		? [['participantOne', transcript.participantOne], ['participantTwo', transcript.participantTwo]]
		: [['participantOne', transcript.allParticipants]];
	for (const [participant, p] of sources) {
		if (!p) continue;
		for (const s of p.phraseSegments) {
			items.push({ participant, word: p.phrases[s.phraseIndex], start: s.startTimeOffset, end: s.endTimeOffset, score: typeof s.score === 'number' ? s.score : 1 });
		}
	}
	items.sort((a, b) => a.start - b.start || a.end - b.end);
	/** @type {Turn[]} */
	const turns = [];
	for (const item of items) {
		const last = turns[turns.length - 1];
		if (last && last.participant === item.participant) {
			last.words.push(item);
			last.end = Math.max(last.end, item.end);
		} else {
			turns.push({ participant: item.participant, start: item.start, end: item.end, sentence: '', words: [item] });
		}
	}
	for (const turn of turns) {
		const text = turn.words.map((w) => w.word).join(' ');
		turn.sentence = text ? text[0].toUpperCase() + text.slice(1) + '.' : '';
	}
	return turns;
}

/**
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 * @returns {Turn[]}
 */
function turnsFor(declared, flags) {
	if (flags.silent) return [];
	if (declared.type === 'chat' && declared.chat) return chatTurns(declared.chat);
	if (declared.type === 'transcript' && declared.transcript) return transcriptTurns(declared.transcript);
	return audioTurns(declared);
}

/**
 * Build one participant's {phrases (unique), phraseSegments}.
 * @param {Turn['words']} words  in time order
 * @returns {ParticipantTranscript}
 */
function phraseBlock(words) {
	/** @type {string[]} */
	const phrases = [];
	const index = new Map();
	const phraseSegments = [];
	for (const w of words) {
		if (w.redacted) continue; // redacted phrases are left out and listed in redactionSegments
		if (!index.has(w.word)) {
			index.set(w.word, phrases.length);
			phrases.push(w.word);
		}
		phraseSegments.push({ startTimeOffset: w.start, endTimeOffset: w.end, phraseIndex: index.get(w.word), score: w.score });
	}
	return { phrases, phraseSegments };
}

/**
 * Merge adjacent redacted words into redaction segments.
 * @param {Turn[]} turns
 */
function redactionSegments(turns) {
	/** @type {Array<{ startTimeOffset: number, endTimeOffset: number, result: string, score: number }>} */
	const out = [];
	for (const turn of turns) {
		/** @type {typeof out[number] | null} */
		let open = null;
		for (const w of turn.words) {
			if (w.redacted && open && open.result === w.redacted) {
				open.endTimeOffset = w.end;
			} else if (w.redacted) {
				open = { startTimeOffset: w.start, endTimeOffset: w.end, result: w.redacted, score: 0.97 };
				out.push(open);
			} else open = null;
		}
	}
	return out;
}

/**
 * GET /interactions/{id}/transcript, or null when there is no speech (→ 204).
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 */
function phraseByPhrase(declared, flags) {
	if (declared.type === 'transcript' && declared.transcript && !flags.silent) {
		// Echo what was declared; a group that was left out is filled in (allParticipants is the
		// time-ordered merge of both participants, a missing participant is empty).
		const t = declared.transcript;
		const turns = transcriptTurns(t);
		if (turns.length === 0) return null;
		return {
			allParticipants: t.allParticipants || phraseBlock(turns.flatMap((x) => x.words)),
			participantOne: t.participantOne || { phrases: [], phraseSegments: [] },
			participantTwo: t.participantTwo || { phrases: [], phraseSegments: [] },
			redactionSegments: Array.isArray(t.redactionSegments) ? t.redactionSegments : [],
		};
	}
	const turns = turnsFor(declared, flags);
	if (turns.length === 0 || turns.every((t) => t.words.length === 0)) return null;
	const all = turns.flatMap((t) => t.words);
	return {
		allParticipants: phraseBlock(all),
		participantOne: phraseBlock(turns.filter((t) => t.participant === 'participantOne').flatMap((t) => t.words)),
		participantTwo: phraseBlock(turns.filter((t) => t.participant === 'participantTwo').flatMap((t) => t.words)),
		redactionSegments: redactionSegments(turns),
	};
}

/**
 * GET /interactions/{id}/transcripts/punctuated, or null when there is no speech (→ 204).
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 */
function punctuated(declared, flags) {
	const turns = turnsFor(declared, flags).filter((t) => t.sentence.trim());
	if (turns.length === 0) return null;
	return {
		sentenceSegments: turns.map((t) => ({
			participant: t.participant,
			startTimeOffset: t.start,
			endTimeOffset: t.end,
			phrase: t.sentence,
			score: t.words.length ? round3(t.words.reduce((s, w) => s + w.score, 0) / t.words.length) : 1,
		})),
		redactionSegments: declared.type === 'transcript' ? [] : redactionSegments(turns),
	};
}

const BUNDLES = [
	{
		name: 'Customer Satisfaction',
		models: ['acknowledgeLoyalty', 'activeListening', 'beEmpathetic', 'buildRapport', 'demonstrateOwnership', 'effectiveQuestioning', 'inappropriateAction', 'promptness', 'setExpectations'],
	},
	{
		name: 'Vulnerable Customer',
		models: ['vulnerableCustomer', 'financialHardship', 'healthConcern', 'lifeEvent'],
	},
];

/**
 * Voice/silence segments covering [0, duration).
 * @param {Turn[]} turns
 * @param {number} duration
 */
function voiceActivity(turns, duration) {
	/** @type {Array<{ startTimeOffset: number, endTimeOffset: number, result: 'voice' | 'silence' }>} */
	const out = [];
	let t = 0;
	for (const turn of [...turns].sort((a, b) => a.start - b.start)) {
		if (turn.start > t) out.push({ startTimeOffset: t, endTimeOffset: turn.start, result: 'silence' });
		const start = Math.max(t, turn.start);
		if (turn.end > start) out.push({ startTimeOffset: start, endTimeOffset: turn.end, result: 'voice' });
		t = Math.max(t, turn.end);
	}
	if (duration > t) out.push({ startTimeOffset: t, endTimeOffset: duration, result: 'silence' });
	return out;
}

/**
 * GET /interactions/{id}/ai — CX AI per participant group.
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 */
function cxAi(declared, flags) {
	const turns = turnsFor(declared, flags);
	const duration = turns.length ? Math.max(...turns.map((t) => t.end)) + 1000 : 30000;
	const contentSeed = JSON.stringify(turns.map((t) => [t.participant, t.sentence]));
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const group of ['allParticipants', 'participantOne', 'participantTwo']) {
		const mine = group === 'allParticipants' ? turns : turns.filter((t) => t.participant === group);
		out[group] = {
			enlightenBundles: BUNDLES.map((bundle) => ({
				name: bundle.name,
				models: bundle.models.map((name) => {
					if (mine.length === 0) {
						return { name, score: 0, minScore: 0, minScoreOffset: 0, maxScore: 0, maxScoreOffset: 0, quartile1: 0, quartile2: 0, quartile3: 0, quartile4: 0 };
					}
					const random = mulberry32(seedOf(`${contentSeed}|${group}|${bundle.name}|${name}`));
					const q = [0, 1, 2, 3].map(() => round3(random() * 10 - 2));
					return {
						name,
						score: round3(q.reduce((a, b) => a + b, 0) / 4),
						minScore: Math.min(...q),
						minScoreOffset: Math.floor(random() * duration),
						maxScore: Math.max(...q),
						maxScoreOffset: Math.floor(random() * duration),
						quartile1: q[0],
						quartile2: q[1],
						quartile3: q[2],
						quartile4: q[3],
					};
				}),
			})),
			voiceActivitySegments: voiceActivity(mine, duration),
		};
	}
	return out;
}

/** @param {string} text @param {number} max */
function clip(text, max) {
	const t = text.replace(/\s+/g, ' ').trim();
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/**
 * Names of the chat's agent and customer (for the summaries).
 * @param {DeclaredInteraction} declared
 */
function chatNames(declared) {
	const participants = declared.chat ? declared.chat.participants : [];
	const customer = participants.find((p) => p.role.toLowerCase() === 'customer');
	const agent = participants.find((p) => p.role.toLowerCase() !== 'customer');
	return { agent: agent ? agent.name : 'the agent', customer: customer ? customer.name : 'the customer' };
}

/**
 * GET /interactions/{id}/gen-ai/cx/summary, or null when there is no speech (→ 204).
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean, mediaName: string | null }} flags
 * @param {string | undefined} acceptLanguage
 */
function summary(declared, flags, acceptLanguage) {
	const turns = turnsFor(declared, flags);
	if (turns.length === 0) return null;
	let text;
	if (declared.type === 'audio') {
		text =
			'The customer called about a bill that was much higher than usual. The agent found a late fee of $35 ' +
			'that had been charged twice although the payment had arrived on time, removed both fees and issued a ' +
			'credit to the account. The customer was satisfied and the issue was resolved.';
		if (flags.mediaName) text += ` (Recording: ${flags.mediaName}.)`;
	} else if (declared.type === 'chat') {
		const { agent, customer } = chatNames(declared);
		const firstCustomer = turns.find((t) => t.participant === 'participantTwo');
		const lastAgent = [...turns].reverse().find((t) => t.participant === 'participantOne');
		text = `In a chat of ${turns.length} messages, ${customer} contacted ${agent}.`;
		if (firstCustomer) text += ` The customer wrote: "${clip(firstCustomer.sentence, 120)}"`;
		if (lastAgent) text += ` The agent's last reply was: "${clip(lastAgent.sentence, 120)}"`;
	} else {
		const first = turns[0];
		text = `A conversation of ${turns.length} turns between two participants. It opens with: "${clip(first.sentence, 120)}"`;
	}
	const tag = primaryLanguage(acceptLanguage);
	// The emulator does not translate: it marks the requested language so tests can see it was sent.
	if (tag && !tag.startsWith('en')) text = `[${tag}] ${text}`;
	return { summary: text };
}

/**
 * The first language in an Accept-Language header ("es-419,es;q=0.9" → "es-419").
 * @param {string | undefined} header
 */
function primaryLanguage(header) {
	if (!header) return null;
	const first = header.split(',')[0].split(';')[0].trim().toLowerCase();
	return first && first !== '*' ? first : null;
}

/**
 * GET /interactions/{id}/gen-ai/cx/summary/details, or null when there is no speech (→ 204).
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 */
function summaryDetails(declared, flags) {
	const turns = turnsFor(declared, flags);
	if (turns.length === 0) return null;
	if (declared.type === 'audio') {
		return {
			reasons: ['Bill higher than usual', 'Late fee charged twice'],
			actionsTakenByAgent: ['Reviewed the account charges', 'Removed the duplicated late fees', 'Issued a credit to the account'],
			entities: [
				{ type: 'organization', value: 'Northwind Energy' },
				{ type: 'person', value: 'Maria' },
				{ type: 'money', value: '$35' },
			],
			isResolved: true,
		};
	}
	const customerTurns = turns.filter((t) => t.participant === 'participantTwo');
	const agentTurns = turns.filter((t) => t.participant === 'participantOne');
	/** @type {Array<{ type: string, value: string }>} */
	const entities = [];
	if (declared.type === 'chat') {
		const { agent, customer } = chatNames(declared);
		entities.push({ type: 'person', value: agent }, { type: 'person', value: customer });
	}
	return {
		reasons: customerTurns.slice(0, 1).map((t) => clip(t.sentence, 120)),
		actionsTakenByAgent: agentTurns.slice(0, 3).map((t) => clip(t.sentence, 120)),
		entities,
		// Resolved when the agent has the last word: a simple, deterministic rule.
		isResolved: turns[turns.length - 1].participant === 'participantOne',
	};
}

/*
 * Agent insights. ElevateAI documents these two paths and their status codes, but not the shape
 * of their answers. The answers below are ILLUSTRATIVE: plausible, deterministic, and marked with
 * `emulatorNote`, so that workflows have something to map while the node passes on whatever the
 * real service sends. Do not build on these field names.
 */
const ILLUSTRATIVE = 'Illustrative answer from the ElevateAI emulator: ElevateAI has not published the shape of this endpoint.';

/**
 * GET /interactions/{id}/gen-ai/cx/agent/action-items (illustrative), or null when there is no speech (→ 204).
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 */
function agentActionItems(declared, flags) {
	const turns = turnsFor(declared, flags);
	if (turns.length === 0) return null;
	const agentTurns = turns.filter((t) => t.participant === 'participantOne');
	const actionItems =
		declared.type === 'audio'
			? [
					{ action: 'Removed the two late fees charged to the account', owner: 'agent', status: 'done' },
					{ action: 'Issued a credit to the customer account', owner: 'agent', status: 'done' },
					{ action: 'Confirm the credit appears on the next bill', owner: 'customer', status: 'open' },
				]
			: agentTurns.slice(0, 3).map((t) => ({ action: clip(t.sentence, 120), owner: 'agent', status: 'mentioned' }));
	return { actionItems, emulatorNote: ILLUSTRATIVE };
}

/**
 * GET /interactions/{id}/gen-ai/cx/agent/coaching-assistant (illustrative), or null when there is no speech (→ 204).
 * @param {DeclaredInteraction} declared
 * @param {{ silent: boolean }} flags
 */
function agentCoaching(declared, flags) {
	const turns = turnsFor(declared, flags);
	if (turns.length === 0) return null;
	const agentTurns = turns.filter((t) => t.participant === 'participantOne');
	const asked = agentTurns.some((t) => t.sentence.includes('?'));
	const apologised = agentTurns.some((t) => /sorry|apolog/i.test(t.sentence));
	const closed = agentTurns.length > 0 && /anything else/i.test(agentTurns[agentTurns.length - 1].sentence);
	return {
		strengths: [
			...(apologised ? ['Acknowledged the customer\'s frustration early'] : []),
			...(asked ? ['Asked clarifying questions before acting'] : []),
			...(closed ? ['Checked for further needs before closing'] : []),
		],
		opportunities: declared.type === 'audio' ? ['Read the recording disclosure at the start of the call'] : ['Summarise the resolution before closing the chat'],
		behaviours: [
			{ name: 'empathy', observed: apologised },
			{ name: 'effectiveQuestioning', observed: asked },
			{ name: 'properClosing', observed: closed },
		],
		emulatorNote: ILLUSTRATIVE,
	};
}

module.exports = { phraseByPhrase, punctuated, cxAi, summary, summaryDetails, agentActionItems, agentCoaching, primaryLanguage, CALL_SCRIPT };

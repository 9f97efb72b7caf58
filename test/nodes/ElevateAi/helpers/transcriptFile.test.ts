import fc from 'fast-check';

import type { Segment } from '../../../../nodes/ElevateAi/helpers/transcript';
import { normalizeTranscript } from '../../../../nodes/ElevateAi/helpers/transcript';
import {
	CUE_MAX_CHARS,
	CUE_MAX_MS,
	fileBaseName,
	formatTimestamp,
	settleCues,
	toSrt,
	transcriptCues,
	transcriptFile,
} from '../../../../nodes/ElevateAi/helpers/transcriptFile';

const sentences = (...segments: Array<[string, number, number, string]>) =>
	normalizeTranscript({
		sentenceSegments: segments.map(([participant, startTimeOffset, endTimeOffset, phrase]) => ({ participant, startTimeOffset, endTimeOffset, phrase })),
	});

/** An independent reader of SRT/WebVTT: every rule a player relies on, checked strictly. */
interface ParsedCue {
	start: number;
	end: number;
	lines: string[];
}
const toMs = (h: string, m: string, s: string, f: string) => ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(f);

function parseSubtitles(content: string, format: 'srt' | 'vtt'): ParsedCue[] {
	let body = content;
	if (format === 'vtt') {
		expect(body.startsWith('WEBVTT\n')).toBe(true);
		body = body.slice('WEBVTT\n'.length);
		if (body === '') return [];
		expect(body.startsWith('\n')).toBe(true);
		body = body.slice(1);
	}
	if (body === '') return [];
	expect(body.endsWith('\n')).toBe(true);
	expect(body).not.toMatch(/\n\n\n/);
	const sep = format === 'srt' ? ',' : '\\.';
	const timing = new RegExp(`^(\\d{2,}):([0-5]\\d):([0-5]\\d)${sep}(\\d{3}) --> (\\d{2,}):([0-5]\\d):([0-5]\\d)${sep}(\\d{3})$`);
	return body
		.slice(0, -1)
		.split('\n\n')
		.map((block, index) => {
			const lines = block.split('\n');
			if (format === 'srt') expect(lines.shift()).toBe(String(index + 1));
			const m = timing.exec(lines.shift() ?? '');
			expect(m).not.toBeNull();
			expect(lines.length).toBeGreaterThan(0);
			for (const line of lines) {
				expect(line.trim()).not.toBe('');
				expect(line).not.toContain('-->');
				if (format === 'vtt') expect(line).not.toMatch(/<|&(?!amp;|lt;|gt;)/);
			}
			const [, h1, m1, s1, f1, h2, m2, s2, f2] = m as RegExpExecArray;
			return { start: toMs(h1, m1, s1, f1), end: toMs(h2, m2, s2, f2), lines };
		});
}

function expectOrderedNonOverlapping(cues: ParsedCue[]) {
	cues.forEach((cue, i) => {
		expect(cue.end).toBeGreaterThan(cue.start);
		if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(cues[i - 1].end);
	});
}

describe('helpers/transcriptFile', () => {
	describe('formatTimestamp', () => {
		it.each([
			[0, '00:00:00,000', '00:00:00.000'],
			[2100, '00:00:02,100', '00:00:02.100'],
			[59_999, '00:00:59,999', '00:00:59.999'],
			[61_001, '00:01:01,001', '00:01:01.001'],
			[3_600_000, '01:00:00,000', '01:00:00.000'],
			[360_000_000 + 5, '100:00:00,005', '100:00:00.005'],
			[1234.6, '00:00:01,235', '00:00:01.235'],
			[-50, '00:00:00,000', '00:00:00.000'],
			[Number.NaN, '00:00:00,000', '00:00:00.000'],
		])('should write %d ms as %s / %s', (offset, srt, vtt) => {
			expect(formatTimestamp(offset, ',')).toBe(srt);
			expect(formatTimestamp(offset, '.')).toBe(vtt);
		});
	});

	it('should write an SRT file with labelled cues timed from the sentence offsets', () => {
		const file = transcriptFile(
			'srt',
			sentences(['participantOne', 800, 2100, 'Hello, how can I help?'], ['participantTwo', 2300, 4000, 'My bill is wrong.']),
			'participantOne',
			'call-0042.wav',
		);
		expect(file).toEqual({
			fileName: 'call-0042.srt',
			mimeType: 'application/x-subrip',
			content: '1\n00:00:00,800 --> 00:00:02,100\nAgent: Hello, how can I help?\n\n2\n00:00:02,300 --> 00:00:04,000\nCustomer: My bill is wrong.\n',
		});
	});

	it('should write a WebVTT file with the header, dots in the times and escaped markup', () => {
		const file = transcriptFile('vtt', sentences(['participantTwo', 2100, 3000, 'Tom & Jerry <3 --> fun']), undefined, 'x');
		expect(file.mimeType).toBe('text/vtt');
		expect(file.fileName).toBe('x.vtt');
		expect(file.content).toBe('WEBVTT\n\n00:00:02.100 --> 00:00:03.000\nParticipant Two: Tom &amp; Jerry &lt;3 -&gt; fun\n');
	});

	it('should write the labelled conversation as TXT', () => {
		const file = transcriptFile('txt', sentences(['participantOne', 0, 1, 'Hi.'], ['participantTwo', 5, 9, 'Hello.']), 'participantTwo', 'call.mp3');
		expect(file).toEqual({ fileName: 'call.txt', mimeType: 'text/plain', content: 'Customer: Hi.\nAgent: Hello.\n' });
	});

	it('should give empty, valid files when there is no speech (204)', () => {
		const none = normalizeTranscript(undefined);
		expect(transcriptFile('srt', none, undefined, 'a').content).toBe('');
		expect(transcriptFile('txt', none, undefined, 'a').content).toBe('');
		const vtt = transcriptFile('vtt', none, undefined, 'a').content;
		expect(vtt).toBe('WEBVTT\n');
		expect(parseSubtitles(vtt, 'vtt')).toEqual([]);
	});

	it('should split a long sentence into readable cues, sharing its time by length', () => {
		const long =
			'I can see a late fee of thirty five dollars that was charged twice, and I have removed both fees and issued a credit to your account, which you will see on your next bill.';
		const cues = transcriptCues(sentences(['participantOne', 10_000, 22_000, long]), 'participantOne');
		expect(cues.length).toBeGreaterThanOrEqual(3);
		expect(cues[0].start).toBe(10_000);
		expect(cues[cues.length - 1].end).toBe(22_000);
		for (const cue of cues) {
			expect(cue.lines).toHaveLength(1);
			expect(cue.lines[0].startsWith('Agent: ')).toBe(true);
			expect(cue.lines[0].length).toBeLessThanOrEqual(CUE_MAX_CHARS);
		}
		expect(cues.map((c) => c.lines[0].slice('Agent: '.length)).join(' ')).toBe(long);
		// The break after "twice," is preferred to a break in mid-clause.
		expect(cues[0].lines[0]).toBe('Agent: I can see a late fee of thirty five dollars that was charged twice,');
	});

	it('should split a slow sentence (few words, long time) so no cue runs longer than the limit', () => {
		const cues = transcriptCues(sentences(['participantOne', 0, 20_000, 'well um so yes right okay then']), undefined);
		expect(cues.length).toBeGreaterThanOrEqual(3);
		for (const cue of cues) expect(cue.end - cue.start).toBeLessThanOrEqual(CUE_MAX_MS);
	});

	it('should join phrase-by-phrase phrases into cues per speaker, breaking at pauses and speaker changes', () => {
		const transcript = normalizeTranscript({
			participantOne: {
				phrases: ['hello', 'there', 'again'],
				phraseSegments: [
					{ startTimeOffset: 0, endTimeOffset: 400, phraseIndex: 0 },
					{ startTimeOffset: 450, endTimeOffset: 900, phraseIndex: 1 },
					{ startTimeOffset: 4000, endTimeOffset: 4500, phraseIndex: 2 },
				],
			},
			participantTwo: { phrases: ['hi'], phraseSegments: [{ startTimeOffset: 1200, endTimeOffset: 1500, phraseIndex: 0 }] },
		});
		expect(toSrt(transcriptCues(transcript, 'participantOne'))).toBe(
			'1\n00:00:00,000 --> 00:00:00,900\nAgent: hello there\n\n2\n00:00:01,200 --> 00:00:01,500\nCustomer: hi\n\n3\n00:00:04,000 --> 00:00:04,500\nAgent: again\n',
		);
	});

	it('should end an earlier cue where an overlapping one starts, and share a cue for the same start', () => {
		const cues = transcriptCues(
			sentences(['participantOne', 1000, 5000, 'I am talking.'], ['participantTwo', 3000, 4000, 'Me too.'], ['participantOne', 3000, 3500, 'Wait.']),
			'participantOne',
		);
		expect(cues).toEqual([
			{ start: 1000, end: 3000, lines: ['Agent: I am talking.'] },
			{ start: 3000, end: 4000, lines: ['Customer: Me too.', 'Agent: Wait.'] },
		]);
	});

	it('should give a cue without a duration a default length, never past the next cue', () => {
		expect(settleCues([{ start: 100, end: 100, lines: ['a'] }, { start: 400, end: 50, lines: ['b'] }])).toEqual([
			{ start: 100, end: 400, lines: ['a'] },
			{ start: 400, end: 1400, lines: ['b'] },
		]);
	});

	it('should wrap a word longer than a cue, sharing its time', () => {
		const cues = transcriptCues(sentences(['participantOne', 0, 3000, 'x'.repeat(200)]), undefined);
		expect(cues.map((c) => c.lines[0].length)).toEqual([84, 84, 83]);
		expect(cues.map((c) => c.lines[0].replace('Participant One: ', '')).join('')).toBe('x'.repeat(200));
		expect(cues[cues.length - 1].end).toBe(3000);
	});

	it('should split a sentence into balanced cues rather than leave a short tail', () => {
		const cues = transcriptCues(
			sentences(['participantTwo', 8785, 15_345, "Hi Maria, I'm calling about my bill. It is much higher than usual this month."]),
			'participantOne',
		);
		expect(cues.map((c) => c.lines[0])).toEqual(["Customer: Hi Maria, I'm calling about my bill.", 'Customer: It is much higher than usual this month.']);
		expect(cues[0].start).toBe(8785);
		expect(cues[1].end).toBe(15_345);
		expect(cues[0].end).toBeLessThanOrEqual(cues[1].start);
		expect(cues[1].start - cues[0].end).toBeLessThan(100);
	});

	it.each([
		['call-0042.wav', 'call-0042'],
		['../../etc/passwd', 'passwd'],
		['C:\\calls\\a:b?.mp3', 'a_b_'],
		['', 'transcript'],
		['..', 'transcript'],
		['archive.tar.gz', 'archive.tar'],
	])('should make a safe base name of %s', (name, base) => {
		expect(fileBaseName(name)).toBe(base);
	});

	describe('properties', () => {
		const participant = fc.constantFrom('participantOne', 'participantTwo', undefined, 'bot');
		const text = fc.oneof(
			fc.string({ maxLength: 200 }),
			fc.string({ unit: 'grapheme', maxLength: 60 }),
			fc.constantFrom('-->', '<b>&amp;</b>', '\n\n', ' ', 'a\r\nb', '日本語のテキスト', '👋🏽 hi'),
		);
		const offset = fc.oneof(fc.integer({ min: -1000, max: 10_000_000 }), fc.double({ noNaN: false }));
		const segment = fc.record({ participant, startTimeOffset: offset, endTimeOffset: offset, phrase: text });
		const agent = fc.constantFrom('participantOne' as const, 'participantTwo' as const, undefined);

		it('should turn any punctuated segment list into valid SRT and WebVTT, cues in order and never overlapping', () => {
			fc.assert(
				fc.property(fc.array(segment, { maxLength: 40 }), agent, (segments, who) => {
					const transcript = normalizeTranscript({ sentenceSegments: segments });
					for (const format of ['srt', 'vtt'] as const) {
						const cues = parseSubtitles(transcriptFile(format, transcript, who, 'f').content, format);
						expectOrderedNonOverlapping(cues);
						if (transcript.segments.length > 0) expect(cues.length).toBeGreaterThan(0);
					}
				}),
				{ numRuns: 300 },
			);
		});

		it('should turn any phrase-by-phrase transcript into valid SRT and WebVTT that keeps every word', () => {
			const group = fc.record({
				phrases: fc.array(text, { minLength: 1, maxLength: 8 }),
				phraseSegments: fc.array(fc.record({ startTimeOffset: offset, endTimeOffset: offset, phraseIndex: fc.integer({ min: -1, max: 9 }) }), { maxLength: 30 }),
			});
			fc.assert(
				fc.property(group, group, agent, (one, two, who) => {
					const transcript = normalizeTranscript({ participantOne: one, participantTwo: two });
					const srt = parseSubtitles(transcriptFile('srt', transcript, who, 'f').content, 'srt');
					expectOrderedNonOverlapping(srt);
					expectOrderedNonOverlapping(parseSubtitles(transcriptFile('vtt', transcript, who, 'f').content, 'vtt'));
					const words = (s: string) => s.replace(/-->/g, '->').split(/\s+/).filter(Boolean);
					const said = transcript.segments.flatMap((s: Segment) => words(s.text)).sort();
					const label = /^(Agent|Customer|Participant One|Participant Two): /;
					const written = srt.flatMap((c) => c.lines.join(' ').split(/(?<=\S) (?=(?:Agent|Customer|Participant One|Participant Two): )/).flatMap((l) => words(l.replace(label, '')))).sort();
					expect(written.join(' ').replace(/\s+/g, '')).toBe(said.join(' ').replace(/\s+/g, ''));
				}),
				{ numRuns: 300 },
			);
		});

		it('should always write timestamps that read back as the same milliseconds', () => {
			fc.assert(
				fc.property(fc.integer({ min: 0, max: 400 * 3_600_000 }), (offset) => {
					const m = /^(\d+):(\d\d):(\d\d),(\d{3})$/.exec(formatTimestamp(offset, ','));
					expect(m).not.toBeNull();
					const [, h, mi, s, f] = m as RegExpExecArray;
					expect(toMs(h, mi, s, f)).toBe(offset);
				}),
			);
		});
	});
});

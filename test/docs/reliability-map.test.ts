/**
 * docs/reliability.md promises rules and names, for each, the test that proves it, as
 * a test file in backticks, then › and a test title (several titles of one file as `› a, › b`; `…`
 * marks a shortened title).
 * This keeps the map honest: every named test file exists, every title is found in it, and every
 * rule section names at least one test. A promise whose test is renamed or removed fails here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'reliability.md'), 'utf8');

/** Short names used in the doc → test files. */
function testFile(name: string): string | undefined {
	const candidates = [
		join(ROOT, name),
		join(ROOT, 'test', 'reliability', `${name}.test.ts`),
		join(ROOT, 'test', 'workflows', `${name}.test.ts`),
		join(ROOT, 'test', `${name}.test.ts`),
		join(ROOT, 'test', `${name}.property.test.ts`),
	];
	return candidates.find((file) => /\.test\.(ts|mjs)$/.test(file) && existsSync(file));
}

interface Reference {
	file: string;
	title: string;
	line: string;
}

/** Every `` `file` › title, › title `` in the doc. */
function references(): Reference[] {
	const found: Reference[] = [];
	for (const line of DOC.split('\n')) {
		const pattern = /`([\w./-]+)`((?:\s*,?\s*›\s*[^›`|;]+)+)/g;
		for (const match of line.matchAll(pattern)) {
			for (const part of match[2].split('›').slice(1)) {
				const title = part.replace(/[,;.]\s*$/, '').trim();
				if (title !== '') found.push({ file: match[1], title, line });
			}
		}
	}
	return found;
}

/** A title as the doc writes it is found in the test source: `…` and `%s` stand for any text. */
function titleInSource(title: string, source: string): boolean {
	const normalise = (text: string) => text.replace(/\\(['"`])/g, '$1');
	const pieces = title
		.split(/…|\.\.\./)
		.map((piece) => piece.trim())
		.filter((piece) => piece.length > 0);
	return pieces.length > 0 && pieces.every((piece) => normalise(source).includes(piece));
}

const REFERENCES = references();

describe('docs/reliability.md names a real test for every rule', () => {
	it('has references to check', () => {
		expect(REFERENCES.length).toBeGreaterThan(60);
	});

	it.each(REFERENCES.map((ref) => [`${ref.file} › ${ref.title}`, ref] as const))('%s', (_label, ref) => {
		const file = testFile(ref.file);
		expect({ file: ref.file, exists: file !== undefined }).toEqual({ file: ref.file, exists: true });
		const source = readFileSync(file as string, 'utf8');
		expect({ title: ref.title, found: titleInSource(ref.title, source) }).toEqual({ title: ref.title, found: true });
	});

	it('gives every rule section a "Proven by" line or a table row with tests', () => {
		const sections = DOC.split(/^## /m).slice(1);
		const unproven = sections
			.filter((section) => !/^(Faults and how|Property-based tests)/.test(section))
			.filter((section) => !/Proven by/.test(section))
			.map((section) => section.split('\n')[0]);
		expect(unproven).toEqual([]);
	});
});

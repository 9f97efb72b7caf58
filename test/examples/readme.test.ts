/**
 * examples/README.md and the README's "Example workflows" table list every workflow in examples/,
 * each once, and nothing that is not there (a new example without a line, or a line for a removed
 * or renamed one, fails here). The examples folder has no other JSON files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');

const workflows = readdirSync(EXAMPLES)
	.filter((file) => file.endsWith('.json'))
	.sort();

/** The `*.json` names in the first column of a Markdown table's rows. */
function listedIn(markdown: string): string[] {
	return markdown
		.split('\n')
		.filter((line) => line.startsWith('|'))
		.map((line) => /^\|\s*\[?`([^`]+\.json)`/.exec(line)?.[1])
		.filter((name): name is string => name !== undefined);
}

describe('examples/ and the lists of examples', () => {
	it('should have the example workflows', () => {
		expect(workflows.length).toBeGreaterThanOrEqual(6);
	});

	it.each([
		['examples/README.md', join(EXAMPLES, 'README.md')],
		['README.md', join(ROOT, 'README.md')],
	])('%s should list every example once and no other', (_, file) => {
		const listed = listedIn(readFileSync(file, 'utf8'));

		expect([...listed].sort()).toEqual(workflows);
	});

	it('should link each example in examples/README.md to its file', () => {
		const markdown = readFileSync(join(EXAMPLES, 'README.md'), 'utf8');

		for (const name of workflows) expect(markdown).toContain(`[\`${name}\`](${name})`);
	});
});

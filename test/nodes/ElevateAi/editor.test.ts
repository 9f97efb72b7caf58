// What the n8n editor shows before anything runs: where the nodes panel lists the node, the
// canvas subtitle and the default node names (the action names). The real editor is checked by
// test/e2e/editor.test.mjs; these rules are the cheap half of the same promise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodePropertyOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ElevateAi } from '../../../nodes/ElevateAi/ElevateAi.node';

interface Codex {
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias: string[];
}
const codex = JSON.parse(
	readFileSync(join(__dirname, '../../../nodes/ElevateAi/ElevateAi.node.json'), 'utf8'),
) as Codex;
const description = new ElevateAi().description;
const operations = (description.properties.find((p) => p.name === 'operation')?.options ??
	[]) as INodePropertyOptions[];

describe('ElevateAI in the n8n editor', () => {
	it('should be listed by the main nodes-panel search', () => {
		// n8n 2.x's "What happens next?" search drops nodes whose codex has the category "AI"
		// unless their AI subcategories include "Root Nodes" (editor-ui, nodeCreator filter).
		// Listed as an app node instead; n8n adds the AI-tool variant under AI › Tools itself.
		const ai = codex.categories.includes('AI');
		expect(!ai || (codex.subcategories?.AI ?? []).includes('Root Nodes')).toBe(true);
		expect(codex.categories).toEqual(expect.arrayContaining(['Analytics', 'Communication']));
		// The panel matches display name and alias: what a contact-centre user types.
		const words = [description.displayName, ...codex.alias].join(' ').toLowerCase();
		for (const query of ['elevateai', 'elevate', 'transcription', 'nice', 'speech', 'call recording']) {
			expect(words).toContain(query);
		}
	});

	it('should name fresh nodes after short, uniformly phrased actions', () => {
		const actions = operations.map((o) => o.action as string);
		expect(new Set(actions).size).toBe(operations.length);
		for (const action of actions) {
			expect(action.length).toBeLessThanOrEqual(30);
			// "Get summary", not "Get the summary of an interaction": no trailing "of …".
			expect(action).not.toMatch(/\bof an interaction$|^Get the /);
			expect(action).toMatch(/^[A-Z][a-z]+ /);
		}
	});

	it.each(operations.map((o) => [o.value as string, o.name]))(
		'should show the operation label %s → "%s" as the canvas subtitle',
		(operation, label) => {
			const workflow = new Workflow({
				nodes: [
					{
						id: '1',
						name: 'ElevateAI',
						type: 'elevateAi',
						typeVersion: 1,
						position: [0, 0],
						parameters: { resource: 'interaction', operation },
					},
				],
				connections: {},
				active: false,
				nodeTypes: {
					getByName: () => new ElevateAi(),
					getByNameAndVersion: () => new ElevateAi(),
					getKnownTypes: () => ({}),
				},
			});
			const node = workflow.getNode('ElevateAI');
			const value = workflow.expression.getSimpleParameterValue(
				node!,
				description.subtitle as string,
				'manual',
				{},
			);
			expect(value).toBe(label);
		},
	);
});

import { isToolRun } from '../../../../nodes/ElevateAi/helpers/toolRun';

/**
 * Tool detection that every supported n8n version supports. The contexts below are the shapes the
 * node meets: n8n 1.x (no isToolExecution at all), 2.x's execute context (isToolExecution() is
 * always false, also on the engine route a Tools Agent uses) and 2.x's SupplyDataContext for a
 * tool (true). The node's type decides where the method cannot: n8n's loader registers a
 * usableAsTool node's tool variant as `<type>Tool`.
 */
const PLAIN = 'n8n-nodes-elevateai.elevateAi';
const TOOL = 'n8n-nodes-elevateai.elevateAiTool';
const ctx = (type: string, isToolExecution?: () => boolean) => ({ getNode: () => ({ type }), ...(isToolExecution ? { isToolExecution } : {}) });

describe('helpers/toolRun isToolRun', () => {
	it.each([
		['n8n 1.x, tool variant (no isToolExecution)', ctx(TOOL), true],
		['n8n 1.x, plain node', ctx(PLAIN), false],
		['n8n 2.x execute context, tool variant (engine route: isToolExecution false)', ctx(TOOL, () => false), true],
		['n8n 2.x execute context, plain node', ctx(PLAIN, () => false), false],
		['n8n 2.x SupplyDataContext (isToolExecution true)', ctx(PLAIN, () => true), true],
		['n8n 2.x SupplyDataContext, tool variant', ctx(TOOL, () => true), true],
	])('%s → %s', (_label, context, expected) => {
		expect(isToolRun(context)).toBe(expected);
	});

	it('should not take another node\'s tool type, or a type that merely contains "Tool", for this node\'s tool variant', () => {
		expect(isToolRun(ctx('n8n-nodes-base.httpRequestTool'))).toBe(false);
		expect(isToolRun(ctx('n8n-nodes-elevateai.elevateAiToolkit'))).toBe(false);
		expect(isToolRun(ctx('n8n-nodes-other.myElevateAiTool'))).toBe(false);
	});
});

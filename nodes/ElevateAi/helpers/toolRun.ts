import type { INode } from 'n8n-workflow';

/**
 * Whether an AI agent runs the node as a tool, on every n8n version we support.
 *
 * `isToolExecution()` alone is not enough: n8n 1.x has no such method, and on 2.x it is true only
 * when a tool is called through a SupplyDataContext (agents that hold the tool as a LangChain
 * tool); when the engine itself runs the tool for an agent (the "engine request" route of the
 * Tools Agent, 1.x and 2.x alike) the node gets an ordinary execute context whose
 * `isToolExecution()` says false. What every version does the same way is how a node becomes a
 * tool: n8n's loader registers a variant of a `usableAsTool` node under the type name plus
 * `Tool` (`n8n-nodes-elevateai.elevateAiTool`), and only that variant connects to an agent.
 */
export const TOOL_NODE_NAME_SUFFIX = 'Tool';

export interface ToolRunContext {
	getNode(): Pick<INode, 'type'>;
	/** n8n 2.x only: declared structurally so the node also builds against 1.x types. */
	isToolExecution?: () => boolean;
}

export function isToolRun(ctx: ToolRunContext): boolean {
	if (typeof ctx.isToolExecution === 'function' && ctx.isToolExecution() === true) return true;
	return ctx.getNode().type.endsWith(`.elevateAi${TOOL_NODE_NAME_SUFFIX}`);
}

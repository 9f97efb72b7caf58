import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * The one error path: whatever an operation, the client or a helper throws ends up as the
 * node's error, with the item it concerns and, where known, the interaction. HTTP failures stay
 * the transport's `NodeApiError`; an existing `NodeOperationError` is kept as it is (never
 * re-wrapped as an API error); anything else becomes a `NodeOperationError`.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	interactionIdentifier?: string,
): NodeApiError | NodeOperationError {
	const nodeError =
		error instanceof NodeApiError || error instanceof NodeOperationError
			? error
			: new NodeOperationError(node, error as Error, { itemIndex });
	nodeError.context.itemIndex ??= itemIndex;
	if (interactionIdentifier !== undefined)
		nodeError.context.interactionIdentifier = interactionIdentifier;
	return nodeError;
}

/** The error of a cancelled execution; `during` says what it cut short, e.g. "while waiting". */
export function cancelledError(
	node: INode,
	itemIndex: number,
	during?: string,
): NodeOperationError {
	const message = `The execution was cancelled${during ? ` ${during}` : ''}`;
	return new NodeOperationError(node, message, { itemIndex });
}

/**
 * The message of an error about one input item (a bad parameter, field or file), in n8n's own
 * form: the field first, the item last as `[item N]`, as n8n's binary and parameter checks write
 * it. The item is in the text so it also reaches Continue On Fail's output, `n8n execute` and
 * error workflows; n8n's error view adds `[item N]` only to messages that do not name the item
 * yet, so it is never shown twice. Pass the same index as the error's `itemIndex`.
 */
export function invalidItemMessage(field: string, detail: string, itemIndex: number): string {
	return `Invalid ${field}: ${detail} [item ${itemIndex}]`;
}

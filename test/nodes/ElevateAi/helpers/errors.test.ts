import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { cancelledError, invalidItemMessage, toNodeError } from '../../../../nodes/ElevateAi/helpers/errors';
import { ID, NODE, apiError } from '../../../helpers/context';

describe('helpers/errors', () => {
	describe('toNodeError', () => {
		it('should turn any other error into a NodeOperationError with its message and the item', () => {
			const error = toNodeError(NODE, new TypeError('boom'), 3);

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('boom');
			expect(error.context.itemIndex).toBe(3);
		});

		it('should keep an API error as it is, with its status, and add the item only where it has none', () => {
			const fromTransport = apiError(404, 'Not found', 1);
			const bare = new NodeApiError(NODE, { message: 'x', httpCode: '500' });

			expect(toNodeError(NODE, fromTransport, 4)).toBe(fromTransport);
			expect(fromTransport.context.itemIndex).toBe(1);
			expect(fromTransport.httpCode).toBe('404');
			expect(toNodeError(NODE, bare, 4).context.itemIndex).toBe(4);
		});

		it('should keep a NodeOperationError as it is, never re-wrapped as an API error', () => {
			const original = new NodeOperationError(NODE, 'Invalid Timeout: x [item 0]', { itemIndex: 0, description: 'd' });

			const error = toNodeError(NODE, original, 2);

			expect(error).toBe(original);
			expect(error).not.toBeInstanceOf(NodeApiError);
			expect(error.context.itemIndex).toBe(0);
			expect(error.description).toBe('d');
		});

		it('should tie the error to the interaction it concerns when one is named', () => {
			expect(toNodeError(NODE, new Error('x'), 0, ID).context.interactionIdentifier).toBe(ID);
			expect(toNodeError(NODE, new Error('x'), 0).context.interactionIdentifier).toBeUndefined();
		});
	});

	it('should give one cancel error, saying what it cut short', () => {
		const plain = cancelledError(NODE, 2);
		const waiting = cancelledError(NODE, 0, 'while waiting');

		expect(plain).toBeInstanceOf(NodeOperationError);
		expect(plain.message).toBe('The execution was cancelled');
		expect(plain.context.itemIndex).toBe(2);
		expect(waiting.message).toBe('The execution was cancelled while waiting');
	});

	it("should word an item's bad input as n8n does: the field first, the item last as [item N]", () => {
		expect(invalidItemMessage('Interaction ID', 'it is empty', 3)).toBe('Invalid Interaction ID: it is empty [item 3]');
		// n8n's error view adds " [item N]" only to a message that does not contain "item N" yet.
		expect(invalidItemMessage('Chat', 'it is not valid JSON', 0)).toContain('item 0');
	});
});

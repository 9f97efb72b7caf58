import { redactSecret } from '../../../../nodes/ElevateAi/transport/redact';
import { TOKEN } from '../../../helpers/context';

describe('transport:redact', () => {
	it('should redact the token and any X-API-Token header value', () => {
		expect(redactSecret(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe('a [redacted] b [redacted]');
		expect(redactSecret('{"X-API-Token":"other-value"}', TOKEN)).toBe('{"X-API-Token":"[redacted]"}');
		expect(redactSecret('x-api-token: abc123, next', TOKEN)).toBe('x-api-token: [redacted], next');
		// A very short secret is not replaced everywhere (it would mangle ordinary text).
		expect(redactSecret('a b c', 'a')).toBe('a b c');
	});
});

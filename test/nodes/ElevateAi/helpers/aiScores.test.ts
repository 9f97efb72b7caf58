import { camelKey, simplifyAiResults } from '../../../../nodes/ElevateAi/helpers/aiScores';

const group = (score: number) => ({
	enlightenBundles: [
		{ name: 'Customer Satisfaction', models: [{ name: 'activeListening', score, minScore: -1, quartile1: 0.4 }, { name: 'Be Empathetic', score: 1 }] },
		{ name: 'Vulnerable Customer', models: [{ name: 'vulnerableCustomer', score: 0.1 }] },
	],
	voiceActivitySegments: [{ startTimeOffset: 0, endTimeOffset: 900, result: 'voice' }],
});

describe('helpers/aiScores', () => {
	it('should flatten CX AI to speaker → bundle → model → score with camel-case keys', () => {
		const ai = { allParticipants: group(3), participantOne: group(2), participantTwo: group(-1) };
		expect(simplifyAiResults(ai, 'participantTwo')).toEqual({
			conversation: { customerSatisfaction: { activeListening: 3, beEmpathetic: 1 }, vulnerableCustomer: { vulnerableCustomer: 0.1 } },
			customer: { customerSatisfaction: { activeListening: 2, beEmpathetic: 1 }, vulnerableCustomer: { vulnerableCustomer: 0.1 } },
			agent: { customerSatisfaction: { activeListening: -1, beEmpathetic: 1 }, vulnerableCustomer: { vulnerableCustomer: 0.1 } },
		});
		expect(Object.keys(simplifyAiResults(ai, undefined))).toEqual(['conversation', 'participantOne', 'participantTwo']);
	});

	it('should cope with empty, partial and odd results', () => {
		expect(simplifyAiResults(undefined, undefined)).toEqual({});
		expect(simplifyAiResults({ participantOne: { enlightenBundles: [{ name: 'A b', models: [{ name: 'x', score: 'n/a' }, { name: 'X', score: 2 }] }, { name: 'a-b' }] } }, undefined)).toEqual({
			participantOne: { aB: { x: null, x2: 2 }, aB2: {} },
		});
	});

	it('should keep names that match object built-ins as plain keys', () => {
		const out = simplifyAiResults({ participantOne: { enlightenBundles: [{ name: 'constructor', models: [{ name: '__proto__', score: 1 }, { name: 'toString', score: 2 }] }] } }, undefined);
		expect(out).toEqual({ participantOne: { constructor: { proto: 1, toString: 2 } } });
		expect(Object.getPrototypeOf(out.participantOne)).toBe(Object.prototype);
	});

	it.each([
		['Customer Satisfaction', 'customerSatisfaction'],
		['activeListening', 'activeListening'],
		['Vulnerable  Customer – Health', 'vulnerableCustomerHealth'],
		['', 'unnamed'],
		[undefined, 'unnamed'],
	])('should key %p as %p', (name, key) => {
		expect(camelKey(name)).toBe(key);
	});
});

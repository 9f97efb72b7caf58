import { DEFAULT_RETRY_SETTINGS, backoffMs, retryAfterMs } from '../../../../nodes/ElevateAi/transport/retry';

describe('transport:retry', () => {
	afterEach(() => jest.restoreAllMocks());

	it('should read Retry-After as seconds or an HTTP date, and ignore anything else', () => {
		const now = Date.UTC(2024, 0, 15, 12, 0, 0);
		expect(retryAfterMs('3', now)).toBe(3_000);
		expect(retryAfterMs(' 1.5 ', now)).toBe(1_500);
		expect(retryAfterMs('Mon, 15 Jan 2024 12:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMs('Mon, 15 Jan 2024 11:00:00 GMT', now)).toBe(0);
		expect(retryAfterMs('soon', now)).toBeUndefined();
		expect(retryAfterMs('', now)).toBeUndefined();
		expect(retryAfterMs(undefined, now)).toBeUndefined();
	});

	it('should back off between half and all of base × 2^attempt, capped at the maximum', () => {
		const settings = { ...DEFAULT_RETRY_SETTINGS, baseDelayMs: 1_000, maxDelayMs: 10_000 };
		jest.spyOn(Math, 'random').mockReturnValue(0);
		expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffMs(attempt, settings))).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
		jest.spyOn(Math, 'random').mockReturnValue(0.999999);
		expect(backoffMs(2, settings)).toBe(4_000);
	});
});

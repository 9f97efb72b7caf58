import fc from 'fast-check';
import { BlockList, isIPv4 } from 'node:net';

import { baseUrlProblem, checkBaseUrl, isLoopbackHost } from '../../../../nodes/ElevateAi/helpers/baseUrl';

/**
 * The base-URL rule: https anywhere, plain http only to this machine (`localhost`, 127.0.0.0/8,
 * `[::1]`), judged on the host as the WHATWG parser (and so n8n's HTTP layer) sees it.
 */

const RUNS = { numRuns: 1000 };

/** An oracle built on Node's own address matching, independent of the helper's regex. */
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
function reachesThisMachine(hostname: string): boolean {
	if (hostname === 'localhost') return true;
	if (hostname.startsWith('[')) return loopback.check(hostname.slice(1, -1), 'ipv6');
	return isIPv4(hostname) && loopback.check(hostname, 'ipv4');
}

/** Where a request built from the accepted base URL really goes. */
function hostOfRequest(baseUrl: string): URL {
	return new URL(`${baseUrl}/interactions/00000000-0000-4000-8000-000000000000/status`);
}

const accepted = (raw: string) => {
	const check = checkBaseUrl(raw);
	return check.ok ? check.baseUrl : undefined;
};

describe('helpers/baseUrl', () => {
	describe('examples', () => {
		it.each([
			['https://api.elevateai.com/v1', 'https://api.elevateai.com/v1'],
			['https://api.elevateai.com/v1/', 'https://api.elevateai.com/v1'],
			['  https://api.elevateai.com/v1  ', 'https://api.elevateai.com/v1'],
			['', 'https://api.elevateai.com/v1'],
			['   ', 'https://api.elevateai.com/v1'],
			['https://eu.example.com:8443/elevate/v1', 'https://eu.example.com:8443/elevate/v1'],
			['HTTPS://API.ElevateAI.com/v1', 'https://api.elevateai.com/v1'],
			['http://localhost:3000/v1', 'http://localhost:3000/v1'],
			['http://LOCALHOST:3000/v1', 'http://localhost:3000/v1'],
			['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
			['http://127.0.0.2/v1', 'http://127.0.0.2/v1'],
			['http://127.255.255.254/v1', 'http://127.255.255.254/v1'],
			['http://[::1]:8080/v1', 'http://[::1]:8080/v1'],
			['http://[0:0:0:0:0:0:0:1]/v1', 'http://[::1]/v1'],
			// Other spellings of 127.0.0.1 that the parser (and so the HTTP layer) turns into it.
			['http://127.1/v1', 'http://127.0.0.1/v1'],
			['http://0x7f.0.0.1/v1', 'http://127.0.0.1/v1'],
			['http://2130706433/v1', 'http://127.0.0.1/v1'],
		])('should accept %j as %s', (raw, normalised) => {
			expect(checkBaseUrl(raw)).toEqual({ ok: true, baseUrl: normalised });
			expect(baseUrlProblem(raw)).toBeUndefined();
		});

		const clear = (host: string) =>
			`plain http to ${host} would send the API token unencrypted; use https (plain http is allowed only for localhost emulators)`;
		it.each([
			['http://api.elevateai.com/v1', clear('api.elevateai.com')],
			['http://127.0.0.1.evil.com/v1', clear('127.0.0.1.evil.com')],
			['http://127.evil.com/v1', clear('127.evil.com')],
			['http://127.0.0.1%2Eevil.com/v1', clear('127.0.0.1.evil.com')],
			['http://127%2e0%2e0%2e1.evil.com/v1', clear('127.0.0.1.evil.com')],
			['http://localhost%2eevil.com/v1', clear('localhost.evil.com')],
			['http://localhost.evil.com/v1', clear('localhost.evil.com')],
			['http://evil.com.localhost/v1', clear('evil.com.localhost')],
			['http://emulator.localhost/v1', clear('emulator.localhost')],
			['http://127.0.0.1\t.evil.com/v1', clear('127.0.0.1.evil.com')],
			['http://10.0.0.5/v1', clear('10.0.0.5')],
			['http://0.0.0.0/v1', clear('0.0.0.0')],
			['http://128.0.0.1/v1', clear('128.0.0.1')],
			['http://[::ffff:127.0.0.1]/v1', clear('[::ffff:7f00:1]')],
			['http://[::2]/v1', clear('[::2]')],
			['http://127.0.0.1@evil.com/v1', 'must not contain a user name or password'],
			['http://127.0.0.1:4010@evil.com/v1', 'must not contain a user name or password'],
			['https://user:secret@api.elevateai.com/v1', 'must not contain a user name or password'],
			['http://localhost/v1?next=http://evil.com', 'must not contain a query (?) or fragment (#)'],
			['https://api.elevateai.com/v1#x', 'must not contain a query (?) or fragment (#)'],
			['ftp://api.elevateai.com', '"ftp:" is not supported; use https'],
			['file:///etc/passwd', '"file:" is not supported; use https'],
			['api.elevateai.com/v1', '"api.elevateai.com/v1" is not a URL'],
		])('should refuse %j', (raw, message) => {
			expect(baseUrlProblem(raw)).toContain(message);
		});

		it('should treat a missing or non-text value as the public endpoint, not as a URL', () => {
			expect(checkBaseUrl(undefined)).toEqual({ ok: true, baseUrl: 'https://api.elevateai.com/v1' });
			expect(checkBaseUrl(null)).toEqual({ ok: true, baseUrl: 'https://api.elevateai.com/v1' });
		});
	});

	describe('properties (fast-check)', () => {
		it('https to any host is accepted, and requests built from it go to that host over https', () => {
			fc.assert(
				fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), (domain, port) => {
					const raw = `https://${domain}${port === null ? '' : `:${port}`}/v1`;
					const baseUrl = accepted(raw);
					expect(baseUrl).toBeDefined();
					const target = hostOfRequest(baseUrl as string);
					expect(target.protocol).toBe('https:');
					expect(target.hostname).toBe(new URL(raw).hostname);
				}),
				RUNS,
			);
		});

		it('plain http to any generated domain (look-alikes of localhost and 127.x included) is refused', () => {
			const lookAlike = fc.oneof(
				fc.domain(),
				fc.domain().map((d) => `127.0.0.1.${d}`),
				fc.domain().map((d) => `127.${d}`),
				fc.domain().map((d) => `localhost.${d}`),
				fc.domain().map((d) => `${d}.localhost`),
				fc.domain().map((d) => `127.0.0.1.${d}`.replace(/\./g, '%2E')),
				fc.domain().map((d) => `localhost%2e${d}`),
			);
			fc.assert(
				fc.property(lookAlike, fc.constantFrom('', ':80', ':4010'), (host, port) => {
					expect(baseUrlProblem(`http://${host}${port}/v1`)).toMatch(/plain http to .* would send the API token unencrypted/);
				}),
				RUNS,
			);
		});

		it('plain http to an IPv4 literal is accepted exactly when it is in 127.0.0.0/8', () => {
			fc.assert(
				fc.property(fc.oneof(fc.ipV4(), fc.ipV4().map((ip) => `127.${ip.split('.').slice(1).join('.')}`)), (ip) => {
					const ok = accepted(`http://${ip}:4010/v1`) !== undefined;
					expect(ok).toBe(ip.startsWith('127.'));
				}),
				RUNS,
			);
		});

		it('plain http to an IPv6 literal is accepted exactly when it is ::1', () => {
			fc.assert(
				fc.property(fc.oneof(fc.ipV6(), fc.constantFrom('::1', '0:0:0:0:0:0:0:1', '0::1')), (ip) => {
					const ok = accepted(`http://[${ip}]/v1`) !== undefined;
					expect(ok).toBe(loopback.check(ip, 'ipv6'));
				}),
				RUNS,
			);
		});

		it('userinfo in front of any host is refused, whatever the host', () => {
			fc.assert(
				fc.property(
					fc.constantFrom('127.0.0.1', 'localhost', '127.0.0.1:4010', 'user:pass', 'a'),
					fc.oneof(fc.domain(), fc.constantFrom('127.0.0.1', 'localhost')),
					fc.constantFrom('http', 'https'),
					(userinfo, host, scheme) => {
						expect(baseUrlProblem(`${scheme}://${userinfo}@${host}/v1`)).toContain('must not contain a user name or password');
					},
				),
				RUNS,
			);
		});

		it('any scheme but https and http is refused', () => {
			const scheme = fc
				.stringMatching(/^[a-z][a-z0-9+.-]{0,9}$/)
				.filter((s) => s !== 'http' && s !== 'https');
			fc.assert(
				fc.property(scheme, fc.constantFrom('localhost', '127.0.0.1', 'api.elevateai.com'), (s, host) => {
					expect(accepted(`${s}://${host}/v1`)).toBeUndefined();
				}),
				RUNS,
			);
		});

		it('for any text after "http://", an accepted URL sends requests only to this machine', () => {
			const piece = fc.constantFrom('127', '0', '1', '.', '%2e', '%2E', '@', ':', '[', ']', '::1', 'localhost', 'evil.com', '/', '\\', '#', '?', '\t', ' ', 'x', '4010');
			const text = fc.oneof(
				fc.string({ unit: 'grapheme', maxLength: 40 }),
				fc.string({ unit: 'binary', maxLength: 40 }),
				fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
				// Starts like loopback, then anything: where look-alikes live.
				fc
					.tuple(fc.constantFrom('127.0.0.1', 'localhost', '[::1]', '127.1', '0x7f.1'), fc.array(piece, { maxLength: 6 }))
					.map(([start, parts]) => start + parts.join('')),
			);
			let acceptedCount = 0;
			fc.assert(
				fc.property(fc.constantFrom('http://', 'HTTP://', 'http:/', 'http:\\\\'), text, (prefix, rest) => {
					const baseUrl = accepted(prefix + rest);
					if (baseUrl === undefined) return;
					acceptedCount++;
					const target = hostOfRequest(baseUrl);
					if (target.protocol === 'http:') expect(reachesThisMachine(target.hostname)).toBe(true);
					else expect(target.protocol).toBe('https:');
					expect(target.username).toBe('');
					expect(target.hostname).toBe(new URL(baseUrl).hostname);
				}),
				{ numRuns: 3000 },
			);
			// Not vacuous: the generator reaches accepted loopback URLs too (a few hundred of the runs).
			expect(acceptedCount).toBeGreaterThan(100);
		});

		it('every accepted URL is idempotent under the rule (the normalised form passes unchanged)', () => {
			fc.assert(
				fc.property(fc.oneof(fc.webUrl({ withQueryParameters: false, withFragments: false }), fc.string()), (raw) => {
					const baseUrl = accepted(raw);
					if (baseUrl !== undefined) expect(accepted(baseUrl)).toBe(baseUrl);
				}),
				RUNS,
			);
		});

		it('isLoopbackHost agrees with Node\'s address matching for any IPv4 literal', () => {
			fc.assert(
				fc.property(fc.ipV4(), (ip) => {
					expect(isLoopbackHost(ip)).toBe(loopback.check(ip, 'ipv4'));
				}),
				RUNS,
			);
		});
	});
});

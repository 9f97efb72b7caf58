import { DEFAULT_BASE_URL } from './contract';

/**
 * The one rule for the credential's Base URL, shared by the node's transport and the credential
 * test. The token travels in a header, so it may go out in clear only to this machine:
 * https anywhere; plain http only when the *parsed* host is `localhost`, an IPv4 literal in
 * 127.0.0.0/8 or `[::1]`. Judging the host after WHATWG parsing (the parser n8n's HTTP layer
 * uses too) is what keeps `127.0.0.1.evil.com`, `127.evil.com`, percent-encoded dots and
 * `user@host` tricks out: they parse to a host that is none of those.
 */

export type BaseUrlCheck = { ok: true; baseUrl: string } | { ok: false; problem: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Whether a parsed (lower-cased, IP-normalised) URL host is this machine. */
export function isLoopbackHost(hostname: string): boolean {
	if (hostname === 'localhost' || hostname === '[::1]') return true;
	const octets = IPV4.exec(hostname);
	return (
		octets !== null && octets.slice(1).every((o) => Number(o) <= 255) && Number(octets[1]) === 127
	);
}

/**
 * Checks the Base URL as stored in the credential (empty means the public endpoint) and returns
 * the normalised form to send requests to: what was checked is exactly what is used.
 */
export function checkBaseUrl(raw: unknown): BaseUrlCheck {
	const text = typeof raw === 'string' ? raw.trim() : '';
	const value = text === '' ? DEFAULT_BASE_URL : text;
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return {
			ok: false,
			problem: `"${value.slice(0, 100)}" is not a URL. Use https://api.elevateai.com/v1 or your regional endpoint.`,
		};
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		return { ok: false, problem: `"${url.protocol}" is not supported; use https` };
	}
	if (url.username !== '' || url.password !== '') {
		return {
			ok: false,
			problem:
				'it must not contain a user name or password (user@host); the API token belongs in the API Token field',
		};
	}
	if (url.search !== '' || url.hash !== '') {
		return { ok: false, problem: 'it must not contain a query (?) or fragment (#)' };
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		return {
			ok: false,
			problem: `plain http to ${url.host} would send the API token unencrypted; use https (plain http is allowed only for localhost emulators)`,
		};
	}
	return { ok: true, baseUrl: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}` };
}

/** The problem with a Base URL, or `undefined` when it may be used. */
export function baseUrlProblem(raw: unknown): string | undefined {
	const check = checkBaseUrl(raw);
	return check.ok ? undefined : check.problem;
}

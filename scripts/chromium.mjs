// Headless Chromium driven over the DevTools protocol, for the README picture
// (scripts/screenshot.mjs) and the editor end-to-end test (test/e2e/editor.test.mjs).
//
// Debian's Chromium (/usr/bin/chromium, or $CHROMIUM; `apt-get install -y chromium`), headless,
// over a pipe (--remote-debugging-pipe: no open port, no WebSocket client, no npm dependency).
// The browser runs in its own process group, killed by PID on close, on exit and on Ctrl-C.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { onExit } from './processes.mjs';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const running = new Set(); // { pid, profile } of every browser still open
function killAll() {
	for (const { pid, profile } of running) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {}
		fs.rmSync(profile, { recursive: true, force: true });
	}
	running.clear();
}
onExit(killAll); // also after Ctrl-C (scripts/processes.mjs handles the signals)

export function chromiumAvailable() {
	return fs.existsSync(CHROMIUM);
}

/**
 * Starts a browser with a fresh profile. Returns `{ pid, send, on, close, version }`:
 * `send(method, params, sessionId)` is one DevTools command (to a page with `sessionId`).
 */
export async function launchChromium({ width = 1600, height = 900 } = {}) {
	if (!chromiumAvailable()) {
		throw new Error(`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM`);
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-chromium-'));
	const child = spawn(
		CHROMIUM,
		[
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--no-default-browser-check',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-extensions',
			'--hide-scrollbars',
			'--mute-audio',
			`--user-data-dir=${profile}`,
			`--window-size=${width},${height}`,
			'--remote-debugging-pipe',
			'about:blank',
		],
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
	);
	const entry = { pid: child.pid, profile };
	running.add(entry);
	let stderr = '';
	child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	const toBrowser = child.stdio[3];
	const fromBrowser = child.stdio[4];

	// Pipe transport: JSON messages ended by NUL, fd 3 → browser, fd 4 ← browser.
	let nextId = 1;
	const pending = new Map();
	const listeners = new Set();
	let buffer = Buffer.alloc(0);
	fromBrowser.on('data', (chunk) => {
		buffer = Buffer.concat([buffer, chunk]);
		for (let end = buffer.indexOf(0); end !== -1; end = buffer.indexOf(0)) {
			const msg = JSON.parse(buffer.subarray(0, end).toString('utf8'));
			buffer = buffer.subarray(end + 1);
			if (msg.id && pending.has(msg.id)) {
				const { resolve, reject, method } = pending.get(msg.id);
				pending.delete(msg.id);
				if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
				else resolve(msg.result);
			} else if (msg.method) {
				for (const l of listeners) l(msg);
			}
		}
	});
	exited.then(({ code, signal }) => {
		for (const { reject } of pending.values()) reject(new Error(`Chromium exited (${code ?? signal}):\n${stderr}`));
		pending.clear();
	});

	const send = (method, params = {}, sessionId) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject, method });
			toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
		});

	const close = async () => {
		try {
			await Promise.race([send('Browser.close'), sleep(3000)]);
		} catch {}
		await Promise.race([exited, sleep(3000)]);
		try {
			process.kill(-child.pid, 'SIGKILL'); // the whole group (renderer, GPU, zygote processes)
		} catch {}
		fs.rmSync(profile, { recursive: true, force: true });
		running.delete(entry);
	};
	return { pid: child.pid, send, on: (l) => listeners.add(l), close, version: () => send('Browser.getVersion') };
}

/**
 * The browser's first page, attached, with the auth cookies of `baseUrl` set and the viewport
 * at `width`×`height`. Returns `{ cdp, evaluate, screenshot, key, type, navigate }`.
 */
export async function openPage(browser, { baseUrl, cookieHeader, width = 1600, height = 900 }) {
	const { targetInfos } = await browser.send('Target.getTargets');
	let page = targetInfos.find((t) => t.type === 'page');
	if (!page) page = { targetId: (await browser.send('Target.createTarget', { url: 'about:blank' })).targetId };
	const { sessionId } = await browser.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
	const cdp = (method, params) => browser.send(method, params, sessionId);
	const evaluate = async (expression) => {
		const { result, exceptionDetails } = await cdp('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
		if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
		return result.value;
	};
	await cdp('Page.enable');
	await cdp('Runtime.enable');
	await cdp('Network.enable');
	await cdp('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
	if (cookieHeader) {
		for (const c of cookieHeader.split('; ')) {
			const i = c.indexOf('=');
			const { success } = await cdp('Network.setCookie', {
				name: c.slice(0, i),
				value: c.slice(i + 1),
				url: baseUrl,
				path: '/',
				httpOnly: true,
				sameSite: 'Lax',
			});
			if (success === false) throw new Error(`Network.setCookie ${c.slice(0, i)} failed`);
		}
	}
	const KEYS = {
		Escape: { code: 'Escape', windowsVirtualKeyCode: 27 },
		Enter: { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
		Tab: { code: 'Tab', windowsVirtualKeyCode: 9 },
		1: { code: 'Digit1', windowsVirtualKeyCode: 49, text: '1' },
	};
	return {
		cdp,
		evaluate,
		navigate: (url) => cdp('Page.navigate', { url }),
		/** A key press (Escape, Enter, Tab, 1) sent to the focused element. */
		key: async (key) => {
			const k = KEYS[key];
			if (!k) throw new Error(`unknown key ${key}`);
			await cdp('Input.dispatchKeyEvent', { type: 'keyDown', key, ...k });
			await cdp('Input.dispatchKeyEvent', { type: 'keyUp', key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode });
		},
		/** Types text into the focused element, as a keyboard would insert it. */
		type: (text) => cdp('Input.insertText', { text }),
		click: async (x, y) => {
			await cdp('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
			await cdp('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount: 1 });
			await cdp('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount: 1 });
		},
		doubleClick: async (x, y) => {
			await cdp('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
			for (const clickCount of [1, 2]) {
				await cdp('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', clickCount });
				await cdp('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', clickCount });
			}
		},
		mouseMove: (x, y) => cdp('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y }),
		/** A PNG of the viewport, as a Buffer. */
		screenshot: async () => {
			await evaluate('document.fonts.ready.then(() => true)');
			const { data } = await cdp('Page.captureScreenshot', {
				format: 'png',
				clip: { x: 0, y: 0, width, height, scale: 1 },
				captureBeyondViewport: false,
			});
			return Buffer.from(data, 'base64');
		},
	};
}

/** In the page: closes dialogs and notifications that may cover the canvas; returns what it closed. */
export const CLOSE_POPUPS = `(() => {
	const closed = [];
	const click = (el, what) => { if (el && el.offsetParent !== null) { el.click(); closed.push(what); } };
	document.querySelectorAll('.el-dialog__headerbtn, .el-dialog .el-dialog__close').forEach((b) => click(b, 'dialog'));
	document.querySelectorAll('.el-notification__closeBtn').forEach((b) => click(b, 'notification'));
	document.querySelectorAll('.el-message__closeBtn').forEach((b) => click(b, 'message'));
	document.querySelectorAll('[data-test-id="banner-close-button"], [data-test-id="banners"] [aria-label="Close"]').forEach((b) => click(b, 'banner'));
	return closed;
})()`;

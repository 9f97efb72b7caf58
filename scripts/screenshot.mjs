#!/usr/bin/env node
// Re-takes docs/workflow.png, the README's picture: the example workflow
// examples/transcribe-recordings-to-crm.json open in a real n8n editor, captured by headless Chromium.
//
//   npm run build && node scripts/screenshot.mjs [--out=docs/workflow.png]
//
// 1. A throw-away n8n 2.41.1 (the runtime cache of scripts/n8n-runtime.mjs), in a temp user folder
//    on a free port, through the end-to-end harness (test/e2e/harness.mjs): the package as `npm pack`
//    would publish it (so run `npm run build` first), the local ElevateAI emulator, the two
//    credentials the example references, and the example itself, unchanged.
// 2. An owner account, logged in over the REST API (cookie `n8n-auth`).
// 3. Debian's Chromium (/usr/bin/chromium, or $CHROMIUM; `apt-get install -y chromium`), headless,
//    driven over the DevTools protocol through a pipe (--remote-debugging-pipe: no open port, no
//    WebSocket client, no npm dependency): the cookie is set with Network.setCookie, the editor
//    opened at 1600×900, popups closed, and the PNG captured once every node is on the canvas.
//
// Every process started here (n8n, its task runners, Chromium) runs in its own process group and is
// killed by PID when the script ends, also on failure or Ctrl-C.
//
// Environment: CHROMIUM (browser binary), SCREENSHOT_WIDTH / SCREENSHOT_HEIGHT (1600 / 900).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { HUBSPOT_CREDENTIAL, loadExample, WORKFLOW_IDS } from './examples.mjs';
import { createN8n, ownerSession, REPO_ROOT, waitFor } from './n8n.mjs';

const EXAMPLE_FILE = 'transcribe-recordings-to-crm.json';
const OWNER = { email: 'admin@example.com', password: 'ElevateAI-local-1', firstName: 'Local', lastName: 'Admin' };
const WIDTH = Number(process.env.SCREENSHOT_WIDTH || 1600);
const HEIGHT = Number(process.env.SCREENSHOT_HEIGHT || 900);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const argv = process.argv.slice(2);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const OUT = path.resolve(option('out') || path.join(REPO_ROOT, 'docs', 'workflow.png'));

const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Chromium over the DevTools protocol (pipe transport: JSON messages ended by NUL, fd 3 → browser,
// fd 4 ← browser)

let chromium; // the child process, leader of its own process group
const tempDirs = new Set(); // removed on Ctrl-C too (the harness only removes its own on a normal close)

function killChromium() {
	if (!chromium?.pid) return;
	try {
		process.kill(-chromium.pid, 'SIGKILL');
	} catch {}
}
process.on('exit', killChromium);
// On Ctrl-C & co.: the harness's own handler kills its process groups (n8n) first; then Chromium
// goes, and the script exits (the 'exit' hooks clean up whatever is left).
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
	process.once(signal, () => {
		killChromium();
		for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
		process.exit(128 + number);
	});
}

async function launchChromium() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium) or set CHROMIUM`);
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'elevateai-shot-chromium-'));
	tempDirs.add(profile);
	chromium = spawn(
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
			`--window-size=${WIDTH},${HEIGHT}`,
			'--remote-debugging-pipe',
			'about:blank',
		],
		{ detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
	);
	let stderr = '';
	chromium.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
	const exited = new Promise((resolve) => chromium.on('exit', (code, signal) => resolve({ code, signal })));
	const toBrowser = chromium.stdio[3];
	const fromBrowser = chromium.stdio[4];

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

	/** A DevTools command, to the browser or (with sessionId) to one page. */
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
		killChromium(); // the whole group (renderer, GPU, zygote processes)
		fs.rmSync(profile, { recursive: true, force: true });
		tempDirs.delete(profile);
	};
	return { send, on: (l) => listeners.add(l), close, version: () => send('Browser.getVersion') };
}

// ---------------------------------------------------------------------------------------------

/** In the page: the state of the editor canvas, and the popups/banners closed. */
const PAGE_STATE = `(() => {
	const nodes = document.querySelectorAll('.vue-flow__node').length;
	const login = !!document.querySelector('[data-test-id="signin-form"], form input[type="password"]');
	return { nodes, login, url: location.href, title: document.title };
})()`;

/** Closes dialogs and notifications that may cover the canvas; returns what it closed. */
const CLOSE_POPUPS = `(() => {
	const closed = [];
	const click = (el, what) => { if (el && el.offsetParent !== null) { el.click(); closed.push(what); } };
	document.querySelectorAll('.el-dialog__headerbtn, .el-dialog .el-dialog__close').forEach((b) => click(b, 'dialog'));
	document.querySelectorAll('.el-notification__closeBtn').forEach((b) => click(b, 'notification'));
	document.querySelectorAll('.el-message__closeBtn').forEach((b) => click(b, 'message'));
	document.querySelectorAll('[data-test-id="banner-close-button"], [data-test-id="banners"] [aria-label="Close"]').forEach((b) => click(b, 'banner'));
	return closed;
})()`;

async function main() {
	const example = loadExample(EXAMPLE_FILE);
	if (example.id !== WORKFLOW_IDS.transcribeToCrm) throw new Error(`unexpected id ${example.id} in ${EXAMPLE_FILE}`);

	say('▶ n8n 2.41.1 in a temp user folder, with the package, the emulator, the credentials and the example');
	const n8n = await createN8n();
	tempDirs.add(n8n.dir);
	let browser;
	try {
		await n8n.importCredentials([
			n8n.credential(),
			{ ...HUBSPOT_CREDENTIAL, data: { appToken: 'screenshot-placeholder' } },
		]);
		await n8n.importWorkflows([example]);
		const server = await n8n.start();
		say(`  n8n at ${server.baseUrl} (pid ${server.child.pid})`);
		const cookieHeader = await ownerSession(server.baseUrl, OWNER);
		const cookies = cookieHeader.split('; ').map((c) => {
			const i = c.indexOf('=');
			return { name: c.slice(0, i), value: c.slice(i + 1) };
		});
		if (!cookies.some((c) => c.name === 'n8n-auth')) throw new Error(`no n8n-auth cookie after login: ${cookieHeader}`);

		say(`▶ Chromium (${CHROMIUM})`);
		browser = await launchChromium();
		say(`  ${(await browser.version()).product} (pid ${chromium.pid})`);
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
		await cdp('Emulation.setDeviceMetricsOverride', { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1, mobile: false });
		for (const c of cookies) {
			const { success } = await cdp('Network.setCookie', { ...c, url: server.baseUrl, path: '/', httpOnly: true, sameSite: 'Lax' });
			if (success === false) throw new Error(`Network.setCookie ${c.name} failed`);
		}

		const url = `${server.baseUrl}/workflow/${example.id}`;
		say(`▶ Opening ${url}`);
		await cdp('Page.navigate', { url });
		const expected = example.nodes.length;
		let state;
		await waitFor(
			async () => {
				state = await evaluate(PAGE_STATE).catch(() => undefined);
				if (state?.login) throw new Error(`the editor shows the sign-in page (${state.url}): the auth cookie was not accepted`);
				return state && state.nodes >= expected;
			},
			{ timeoutMs: 60000, intervalMs: 250, what: `the ${expected} nodes on the canvas (last seen: ${JSON.stringify(state)})` },
		).catch((err) => {
			throw new Error(`${err.message}; last page state: ${JSON.stringify(state)}`);
		});
		say(`  ${state.nodes} nodes on the canvas ("${state.title}")`);

		// Let the canvas settle (fit-to-view, node icons, fonts), closing popups as they appear.
		for (let i = 0; i < 6; i++) {
			const closed = await evaluate(CLOSE_POPUPS);
			if (closed.length) say(`  closed: ${closed.join(', ')}`);
			await sleep(500);
		}
		// Fit the whole workflow into the view once more, now that the window has its final size.
		await cdp('Input.dispatchKeyEvent', { type: 'keyDown', key: '1', code: 'Digit1', text: '1', windowsVirtualKeyCode: 49 });
		await cdp('Input.dispatchKeyEvent', { type: 'keyUp', key: '1', code: 'Digit1', windowsVirtualKeyCode: 49 });
		// Move the pointer off the canvas so no node shows its hover toolbar.
		await cdp('Input.dispatchMouseEvent', { type: 'mouseMoved', x: WIDTH - 1, y: HEIGHT - 1 });
		await sleep(1500);
		await evaluate(CLOSE_POPUPS);
		await evaluate('document.fonts.ready.then(() => true)');

		const { data } = await cdp('Page.captureScreenshot', {
			format: 'png',
			clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT, scale: 1 },
			captureBeyondViewport: false,
		});
		fs.mkdirSync(path.dirname(OUT), { recursive: true });
		fs.writeFileSync(OUT, Buffer.from(data, 'base64'));
		say(`▶ Wrote ${path.relative(process.cwd(), OUT) || OUT} (${WIDTH}×${HEIGHT}, ${fs.statSync(OUT).size} bytes)`);

	} finally {
		await browser?.close();
		await n8n.close();
	}
}

main().then(
	() => process.exit(0),
	(err) => {
		process.stderr.write(`\nscreenshot failed: ${err.stack || err.message}\n`);
		process.exit(1);
	},
);

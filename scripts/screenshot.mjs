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

import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM, CLOSE_POPUPS, launchChromium, openPage } from './chromium.mjs';
import { HUBSPOT_CREDENTIAL, loadExample, WORKFLOW_IDS } from './examples.mjs';
import { onExit } from './processes.mjs';
import { createN8n, ownerSession, REPO_ROOT, waitFor } from './n8n.mjs';

const EXAMPLE_FILE = 'transcribe-recordings-to-crm.json';
const OWNER = { email: 'admin@example.com', password: 'ElevateAI-local-1', firstName: 'Local', lastName: 'Admin' };
const WIDTH = Number(process.env.SCREENSHOT_WIDTH || 1600);
const HEIGHT = Number(process.env.SCREENSHOT_HEIGHT || 900);

const argv = process.argv.slice(2);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=');
const OUT = path.resolve(option('out') || path.join(REPO_ROOT, 'docs', 'workflow.png'));

const say = (line) => process.stdout.write(`${line}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** In the page: the state of the editor canvas, and the popups/banners closed. */
const PAGE_STATE = `(() => {
	const nodes = document.querySelectorAll('.vue-flow__node').length;
	const login = !!document.querySelector('[data-test-id="signin-form"], form input[type="password"]');
	return { nodes, login, url: location.href, title: document.title };
})()`;

async function main() {
	const example = loadExample(EXAMPLE_FILE);
	if (example.id !== WORKFLOW_IDS.transcribeToCrm) throw new Error(`unexpected id ${example.id} in ${EXAMPLE_FILE}`);

	say('▶ n8n 2.41.1 in a temp user folder, with the package, the emulator, the credentials and the example');
	const n8n = await createN8n();
	onExit(() => fs.rmSync(n8n.dir, { recursive: true, force: true })); // also after Ctrl-C
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
		browser = await launchChromium({ width: WIDTH, height: HEIGHT });
		say(`  ${(await browser.version()).product} (pid ${browser.pid})`);
		const { cdp, evaluate, screenshot } = await openPage(browser, { baseUrl: server.baseUrl, cookieHeader, width: WIDTH, height: HEIGHT });

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

		const png = await screenshot();
		fs.mkdirSync(path.dirname(OUT), { recursive: true });
		fs.writeFileSync(OUT, png);
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

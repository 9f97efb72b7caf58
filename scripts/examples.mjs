// The example workflows in examples/, and the few documented changes made when they are
// imported into a LOCAL n8n (npm start) or an end-to-end test:
//
// - `pollInterval` of every ElevateAI node → 1 s when the API is the local emulator (the examples
//   ship with ElevateAI's production guidance: 30 s for audio, 5 s for chat);
// - the recordings folder of "Transcribe recordings to CRM" (node "Settings", field
//   `recordingsGlob`, default /home/node/.n8n-files/recordings/*.wav as in n8n's Docker image) → a
//   local folder;
// - the HubSpot API base URL https://api.hubapi.com of its CRM node → a local HTTP sink (tests only);
// - the n8n Wait nodes' time (`waitSeconds`; tests only: the parked-wait test needs a wait just over
//   n8n's 65 s parking threshold, not the example's 2 minutes).
// - the Slack node of "Compliance check" (its base URL cannot be changed) → an HTTP Request node of
//   the same name that POSTs the same channel and text to a local HTTP sink (tests only).
//
// Nothing else changes.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CREDENTIAL_TYPE, NODE_TYPE } from './package-info.mjs';

export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'examples');
export const ELEVATEAI_NODE_TYPE = NODE_TYPE;
export const DEFAULT_RECORDINGS_DIR = '/home/node/.n8n-files/recordings';
export const HUBSPOT_API = 'https://api.hubapi.com';

/** The fixed ids and names the examples reference. */
export const EXAMPLE_CREDENTIAL = { id: 'eaiLocalEmulator', type: CREDENTIAL_TYPE };
export const HUBSPOT_CREDENTIAL = { id: 'hubspotToken0001', type: 'hubspotAppToken', name: 'HubSpot service key' };
export const WORKFLOW_IDS = {
	transcribeToCrm: 'eaiTranscribeCRM',
	webhookSummary: 'eaiUriSummary001',
	chatCxAi: 'eaiChatCxAi00001',
	cleanup: 'eaiCleanupDelete',
	queueParkedWait: 'eaiQueueParked01',
	complianceCheck: 'eaiComplianceChk',
};

/** @returns {{ file: string, workflow: any }[]} every examples/*.json */
export function loadExamples(dir = EXAMPLES_DIR) {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }));
}

export function loadExample(file, dir = EXAMPLES_DIR) {
	return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
}

/**
 * A copy of `workflow` adapted to a local run.
 * @param {any} workflow
 * @param {object} opts
 * @param {number} [opts.pollInterval] set on every ElevateAI node that has one
 * @param {string} [opts.recordingsDir] replaces DEFAULT_RECORDINGS_DIR in the Settings node
 * @param {string} [opts.crmBaseUrl] replaces https://api.hubapi.com in HTTP Request URLs
 * @param {number} [opts.waitSeconds] the time of every n8n Wait node, in seconds
 * @param {string} [opts.chatSinkUrl] Slack nodes become HTTP Requests to `<url>/slack/chat.postMessage`
 * @param {{ id: string, name: string }} [opts.credential] the ElevateAI credential to reference
 */
export function adaptExample(workflow, opts = {}) {
	const wf = structuredClone(workflow);
	for (const node of wf.nodes) {
		if (node.type === ELEVATEAI_NODE_TYPE) {
			if (opts.pollInterval !== undefined && 'pollInterval' in node.parameters) {
				node.parameters.pollInterval = opts.pollInterval;
			}
			if (opts.credential && node.credentials?.[CREDENTIAL_TYPE]) {
				node.credentials[CREDENTIAL_TYPE] = { id: opts.credential.id, name: opts.credential.name };
			}
		}
		if (opts.recordingsDir && node.type === 'n8n-nodes-base.set') {
			for (const a of node.parameters?.assignments?.assignments ?? []) {
				if (a.name === 'recordingsGlob' && typeof a.value === 'string') {
					a.value = a.value.replace(DEFAULT_RECORDINGS_DIR, opts.recordingsDir.replace(/\/+$/, ''));
				}
			}
		}
		if (opts.waitSeconds !== undefined && node.type === 'n8n-nodes-base.wait') {
			node.parameters = { ...node.parameters, amount: opts.waitSeconds, unit: 'seconds' };
		}
		if (opts.crmBaseUrl && node.type === 'n8n-nodes-base.httpRequest' && typeof node.parameters?.url === 'string') {
			node.parameters.url = node.parameters.url.replace(HUBSPOT_API, opts.crmBaseUrl.replace(/\/+$/, ''));
		}
		if (opts.chatSinkUrl && node.type === 'n8n-nodes-base.slack') Object.assign(node, slackStandIn(node, opts.chatSinkUrl));
	}
	return wf;
}

/** An HTTP Request that sends what the Slack node would post (channel and text) to a local sink. */
function slackStandIn(node, sinkUrl) {
	return {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		credentials: undefined,
		parameters: {
			method: 'POST',
			url: `${sinkUrl.replace(/\/+$/, '')}/slack/chat.postMessage`,
			sendBody: true,
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'channel', value: node.parameters.channelId?.value ?? '' },
					// The same text (and expression) as the Slack node's.
					{ name: 'text', value: node.parameters.text ?? '' },
				],
			},
			options: {},
		},
	};
}

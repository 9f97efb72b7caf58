// The measured workflows, built as n8n workflow JSON. Each scenario is one workflow with a fixed
// 16-character id; the nodes compared in a scenario get the same input and do the same calls.

import crypto from 'node:crypto';

import { CREDENTIAL_TYPE, NODE_TYPE } from '../../scripts/package-info.mjs';

export { NODE_TYPE };
export const EAI_CREDENTIAL = { id: 'benchEaiCred0001', name: 'ElevateAI (bench emulator)' };
export const HEADER_CREDENTIAL = { id: 'benchHdrCred0001', name: 'ElevateAI token header (bench)' };

/** A chat of ten messages, the same for both nodes. */
export const CHAT = {
	participants: [
		{ participant_id: '1', name: 'Agent', role: 'agent' },
		{ participant_id: '2', name: 'Customer', role: 'customer' },
	],
	messages: Array.from({ length: 10 }, (_, i) => ({
		participant_id: i % 2 === 0 ? '2' : '1',
		timestamp: new Date(Date.UTC(2024, 0, 1, 10, 0, i * 15)).toISOString().replace('.000Z', 'Z'),
		content:
			i % 2 === 0
				? `Customer message ${i}: my invoice for last month looks wrong, can you check it?`
				: `Agent message ${i}: of course, I am looking at your account now.`,
	})),
};

/** What the ElevateAI node sends for a chat declare, sent as-is by the HTTP Request node. */
export const CHAT_DECLARE_BODY = { type: 'chat', languageTag: 'en-us', vertical: 'default', includeAiResults: false, chat: CHAT };
const AUDIO_DECLARE_BODY = { type: 'audio', languageTag: 'en-us', vertical: 'default', includeAiResults: false };

export function credentials(emulatorUrl, token) {
	return [
		{ ...EAI_CREDENTIAL, type: CREDENTIAL_TYPE, data: { apiToken: token, baseUrl: emulatorUrl } },
		// How a user calls ElevateAI with the HTTP Request node: Generic Credential → Header Auth.
		{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'X-API-Token', value: token } },
	];
}

function node(name, type, typeVersion, parameters, position, extra = {}) {
	return { id: crypto.randomUUID(), name, type, typeVersion, position, parameters, ...extra };
}

function chain(id, name, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

const trigger = () => node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, [0, 0]);

const eaiNode = (name, parameters, position) =>
	node(name, NODE_TYPE, 1, { resource: 'interaction', ...parameters }, position, {
		credentials: { [CREDENTIAL_TYPE]: EAI_CREDENTIAL },
	});

/** HTTP Request node (the version n8n 2.41 adds to a new workflow) with the token header credential. */
const httpNode = (name, parameters, position) =>
	node(
		name,
		'n8n-nodes-base.httpRequest',
		4.5,
		{ authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', ...parameters },
		position,
		{ credentials: { httpHeaderAuth: HEADER_CREDENTIAL } },
	);

const httpJsonPost = (name, url, body, options = {}) =>
	httpNode(name, { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody: JSON.stringify(body), options }, [400, 0]);

/**
 * The upload variants compared in P1/P2:
 * - `node`: this package's Upload operation;
 * - `http`: the HTTP Request node as users configure it (multipart, n8n's defaults, which follow redirects);
 * - `httpNoRedirect`: the same with Options → Redirects → Follow Redirects off (the streaming reference).
 */
export const UPLOAD_VARIANTS = ['node', 'http', 'httpNoRedirect'];

/**
 * Start → Declare (HTTP Request, the same in every variant) → Read file from disk (filesystem-mode
 * binary) → Upload (the measured node) to the emulator's upload endpoint.
 */
export function uploadWorkflow(id, variant, emulatorUrl, filePath) {
	const declare = httpJsonPost('Declare', `${emulatorUrl}/interactions`, AUDIO_DECLARE_BODY);
	declare.position = [200, 0];
	const read = node('Read Recording', 'n8n-nodes-base.readWriteFile', 1.1, { operation: 'read', fileSelector: filePath, options: {} }, [400, 0]);
	const identifier = "={{ $('Declare').first().json.interactionIdentifier }}";
	let upload;
	if (variant === 'node') {
		upload = eaiNode('Upload', { operation: 'upload', interactionIdentifier: identifier, binaryPropertyName: 'data', options: {} }, [600, 0]);
	} else {
		upload = httpNode(
			'Upload',
			{
				method: 'POST',
				url: `=${emulatorUrl}/interactions/{{ $('Declare').first().json.interactionIdentifier }}/upload`,
				sendBody: true,
				contentType: 'multipart-form-data',
				bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'file', inputDataFieldName: 'data' }] },
				options: variant === 'httpNoRedirect' ? { redirect: { redirect: { followRedirects: false } } } : {},
			},
			[600, 0],
		);
	}
	return chain(id, `bench upload ${variant}`, [trigger(), declare, read, upload]);
}

function itemsNode(count) {
	return node(
		'Items',
		'n8n-nodes-base.code',
		2,
		{ jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { i } }));` },
		[200, 0],
	);
}

/**
 * P3: `count` items → one chat declare per item.
 * - `node`: ElevateAI Declare with Options → Concurrency = `concurrency`;
 * - `http`: HTTP Request POST /interactions with the same JSON body, n8n's defaults (it sends all
 *   of an execution's items at once; no batching).
 */
export function declareWorkflow(id, variant, emulatorUrl, count, concurrency) {
	const declare =
		variant === 'node'
			? eaiNode(
					'Declare',
					{
						operation: 'declare',
						interactionType: 'chat',
						languageTag: 'en-us',
						chat: JSON.stringify(CHAT),
						options: concurrency ? { concurrency } : {},
					},
					[400, 0],
				)
			: httpJsonPost('Declare', `${emulatorUrl}/interactions`, CHAT_DECLARE_BODY);
	return chain(id, `bench declare ${variant}${concurrency ? ` c${concurrency}` : ''}`, [trigger(), itemsNode(count), declare]);
}

/** P4/P5: `count` items → ElevateAI Declare (chat) → ElevateAI Wait For Completion. */
export function waitWorkflow(id, count, pollSeconds) {
	const declare = eaiNode(
		'Declare',
		{ operation: 'declare', interactionType: 'chat', languageTag: 'en-us', chat: JSON.stringify(CHAT), options: {} },
		[400, 0],
	);
	const wait = eaiNode(
		'Wait',
		{ operation: 'waitForCompletion', interactionIdentifier: '={{ $json.interactionIdentifier }}', pollInterval: pollSeconds, timeout: 5, options: {} },
		[600, 0],
	);
	return chain(id, `bench wait ${count}`, [trigger(), itemsNode(count), declare, wait]);
}

/**
 * P6: `count` chats → ElevateAI Transcribe (chat, summary on, Simplify on or off) in one execution.
 * The Code node builds distinct chats (the customer's first line names the item).
 */
export function transcribeChatWorkflow(id, count, { simple = true, concurrency } = {}) {
	const items = node(
		'Items',
		'n8n-nodes-base.code',
		2,
		{
			jsCode: `const chat = ${JSON.stringify(CHAT)};\nreturn Array.from({ length: ${count} }, (_, i) => ({ json: { i, chat: { ...chat, messages: chat.messages.map((m, j) => (j === 0 ? { ...m, content: 'Call ' + i + ': ' + m.content } : m)) } } }));`,
		},
		[200, 0],
	);
	const transcribe = eaiNode(
		'Transcribe',
		{
			operation: 'transcribe',
			interactionType: 'chat',
			languageTag: 'en-us',
			chat: '={{ $json.chat }}',
			simple,
			options: { includeSummary: true, ...(concurrency ? { concurrency } : {}) },
		},
		[400, 0],
	);
	return chain(id, `bench transcribe ${count} chats${simple ? '' : ' raw'}${concurrency ? ` c${concurrency}` : ''}`, [trigger(), items, transcribe]);
}

/**
 * A reference for P6's memory (bench/p6-memory.mjs --http-reference): the same `count` chat items
 * through `requests` HTTP Request nodes in a row, each POSTing the item's chat declare to ElevateAI
 * (n8n's defaults: all items at once), the first from an expression per item as Transcribe's chat:
 * n8n's own node making about as many requests as Transcribe does (a declare, status checks,
 * transcript, summary).
 */
export function httpRequestsWorkflow(id, count, emulatorUrl, requests = 5) {
	const items = node(
		'Items',
		'n8n-nodes-base.code',
		2,
		{ jsCode: `const body = ${JSON.stringify(CHAT_DECLARE_BODY)};\nreturn Array.from({ length: ${count} }, (_, i) => ({ json: { i, body } }));` },
		[200, 0],
	);
	const posts = Array.from({ length: requests }, (_, i) => ({
		...httpNode(`Request ${i + 1}`, { method: 'POST', url: `${emulatorUrl}/interactions`, sendBody: true, specifyBody: 'json', jsonBody: i === 0 ? '={{ JSON.stringify($json.body) }}' : JSON.stringify(CHAT_DECLARE_BODY), options: {} }, [400 + 200 * i, 0]),
	}));
	return chain(id, `bench ${requests} HTTP requests × ${count}`, [trigger(), items, ...posts]);
}

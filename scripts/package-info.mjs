// The package's identity, defined once: read from package.json, never written again elsewhere.
//
//   PACKAGE_NAME     'n8n-nodes-elevateai' (package.json `name`)
//   NODE_TYPE        '<package>.<node name>', the `type` workflows reference
//   TOOL_NODE_TYPE   NODE_TYPE + 'Tool', the AI-tool variant n8n derives (usableAsTool)
//   CREDENTIAL_TYPE  the credential's `name`
//
// The node and credential names follow n8n's file-name convention, which the community lint
// (`node-filename-against-convention`) enforces: `ElevateAi.node.ts` declares `name: 'elevateAi'`,
// `ElevateAiApi.credentials.ts` declares `name: 'elevateAiApi'`. So they are derived from the
// `n8n.nodes` / `n8n.credentials` paths in package.json; test/package.test.ts checks that the
// derived names equal the classes' own `description.name` / `name`.
//
// Plain ESM for scripts/, bench/ and the e2e layer (which run without a build step).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** package.json, parsed. */
export const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

const lowerFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);
/** 'dist/nodes/ElevateAi/ElevateAi.node.js' → 'elevateAi' */
const nameFromFile = (file, suffix) => lowerFirst(path.basename(file, suffix));

export const PACKAGE_NAME = PACKAGE_JSON.name;
export const NODE_NAME = nameFromFile(PACKAGE_JSON.n8n.nodes[0], '.node.js');
export const NODE_TYPE = `${PACKAGE_NAME}.${NODE_NAME}`;
export const TOOL_NODE_TYPE = `${NODE_TYPE}Tool`;
export const CREDENTIAL_TYPE = nameFromFile(PACKAGE_JSON.n8n.credentials[0], '.credentials.js');
/** The built node file n8n loads (relative to the repository root). */
export const NODE_FILE = PACKAGE_JSON.n8n.nodes[0];

/**
 * Layer 2 (the engine workflow tests) against n8n 1.x's own engine: n8n-core 1.122.48 and
 * n8n-workflow 1.120.31 as installed in the n8n 1.123.81 runtime cache (node scripts/n8n-runtime.mjs
 * 1.123.81), so no second n8n-core enters package-lock. Exploratory, not part of `npm test`: see
 * docs/compatibility.md for what passes and why the rest differs.
 */
const os = require('node:os');
const path = require('node:path');

const base = require('./jest.config');

const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
const V1 = path.join(cache, 'n8n-nodes-elevateai', 'n8n-1.123.81', 'n8n', 'node_modules');

module.exports = {
	...base,
	testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
	// The tests are typed against the 2.41 packages; they run against 1.x.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
	moduleNameMapper: {
		'^n8n-core$': path.join(V1, 'n8n-core'),
		'^n8n-workflow$': path.join(V1, 'n8n-workflow'),
	},
	testTimeout: 60_000,
	// n8n-core 1.x leaves a timer running after each file's workflows (see the file).
	setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/test/setup-n8n-v1.ts'],
};

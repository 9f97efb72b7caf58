/** Layers 1 and 2 (unit and n8n-engine workflow tests); the real-n8n layer runs with `npm run test:e2e`. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }] },
	setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
	testTimeout: 30_000,
};

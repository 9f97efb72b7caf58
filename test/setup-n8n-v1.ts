import { dirname, join } from 'node:path';

import { n8nCoreContainer } from './helpers/engine';

/*
 * Only for `npm run test:engine:n8n-v1` (jest.n8n-v1.config.js). n8n-core 1.x's SSHClientsManager,
 * which every node execution context creates through the DI container, starts a 60 s cleanup
 * `setInterval` without `unref()` (2.41 unrefs it) and clears it only on shutdown, so jest never
 * exited after the engine tests on 1.x. Each test file has its own container: shut its manager down.
 */
afterAll(() => {
	const executionEngine = join(dirname(require.resolve('n8n-core')), 'execution-engine');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { SSHClientsManager } = require(join(executionEngine, 'ssh-clients-manager')) as {
		SSHClientsManager: new (...args: unknown[]) => { onShutdown(): void };
	};
	const container = n8nCoreContainer();
	if (container.has(SSHClientsManager)) container.get(SSHClientsManager).onShutdown();
});

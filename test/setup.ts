import nock from 'nock';

// Tests never reach the internet: only loopback servers started by the tests themselves.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));

/*
 * nock 14 (through @mswjs/interceptors) patches node's http/https modules, which every test file
 * of a jest worker shares, while each file loads its own nock. A file that left its interceptor
 * applied would make nock in the next file of that worker let requests through (seen as
 * ENETUNREACH), so every file removes its interceptor when it is done.
 */
afterAll(() => {
	nock.cleanAll();
	nock.restore();
});

import nock from 'nock';

// Tests never reach the internet: only loopback servers started by the tests themselves.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost'));

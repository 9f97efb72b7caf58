import nock from 'nock';

import { TEST_TOKEN, binaryItem, runChain } from '../helpers/engine';

const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

describe('smoke: declare → upload through WorkflowExecute', () => {
	afterEach(() => nock.cleanAll());

	it('should send the token header, the JSON declare and the multipart upload', async () => {
		let uploadBody = '';
		let uploadType = '';
		const api = nock('https://api.elevateai.com/v1', { reqheaders: { 'x-api-token': TEST_TOKEN } })
			.post('/interactions', (body) => body.type === 'audio' && body.languageTag === 'en-us')
			.reply(201, { interactionIdentifier: ID })
			.post(`/interactions/${ID}/upload`, (body) => {
				uploadBody = body;
				return true;
			})
			.reply(function () {
				uploadType = String(this.req.headers['content-type']);
				return [201, ''];
			});
		const result = await runChain({
			items: [binaryItem('call-0042.wav', Buffer.from('RIFF....WAVEfmt '))],
			chain: [
				{ name: 'Declare', parameters: { resource: 'interaction', operation: 'declare', interactionType: 'audio' } },
				{ name: 'Upload', parameters: { resource: 'interaction', operation: 'upload' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(api.isDone()).toBe(true);
		expect(result.output('Declare')[0].json).toMatchObject({ interactionIdentifier: ID, type: 'audio' });
		expect(result.output('Upload')[0].json).toEqual({
			interactionIdentifier: ID,
			uploaded: true,
			fileName: 'call-0042.wav',
			fileSize: 16,
		});
		expect(uploadType).toMatch(/^multipart\/form-data; boundary=/);
		expect(uploadBody).toContain('Content-Disposition: form-data; name="call-0042.wav"; filename="call-0042.wav"');
		expect(uploadBody).toContain('RIFF....WAVEfmt ');
	});
});

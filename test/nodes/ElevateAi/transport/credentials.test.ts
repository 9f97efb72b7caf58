import type { ApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { elevateAiApiRequest } from '../../../../nodes/ElevateAi/transport/request';
import { ID, TOKEN, fakeContext } from '../../../helpers/context';

const GET_STATUS: ApiRequest = { method: 'GET', path: `/interactions/${ID}/status`, retry: 'idempotent' };

function okContext() {
	const fake = fakeContext({ items: [{ json: {} }, { json: {} }] });
	fake.helpers.httpRequestWithAuthentication.mockResolvedValue({ statusCode: 200, body: { status: 'processing' }, headers: {} });
	return fake;
}

describe('transport:request, the credential', () => {
	it('should read (decrypt) the credential once per item and node run, however many requests the item makes', async () => {
		const fake = okContext();

		for (let i = 0; i < 3; i++) await elevateAiApiRequest(fake.ctx, { ...GET_STATUS, itemIndex: 0 });
		await elevateAiApiRequest(fake.ctx, { ...GET_STATUS, itemIndex: 1 });
		await elevateAiApiRequest(fake.ctx, { ...GET_STATUS, itemIndex: 1 });

		expect(jest.mocked(fake.ctx.getCredentials).mock.calls).toEqual([
			['elevateAiApi', 0],
			['elevateAiApi', 1],
		]);
		// Each request still hands the credential to n8n's authentication.
		type Handed = { credentialsDecrypted: { data: { apiToken: string } } };
		const handed = (fake.helpers.httpRequestWithAuthentication.mock.calls as unknown[][]).map((call) => (call[2] as Handed).credentialsDecrypted.data.apiToken);
		expect(handed).toEqual([TOKEN, TOKEN, TOKEN, TOKEN, TOKEN]);
	});

	it('should not share the credential between node runs', async () => {
		const first = okContext();
		const second = okContext();

		await elevateAiApiRequest(first.ctx, GET_STATUS);
		await elevateAiApiRequest(second.ctx, GET_STATUS);

		expect(first.ctx.getCredentials).toHaveBeenCalledTimes(1);
		expect(second.ctx.getCredentials).toHaveBeenCalledTimes(1);
	});

	it('should ask n8n again after a failed read instead of keeping the failure', async () => {
		const fake = okContext();
		jest.mocked(fake.ctx.getCredentials).mockRejectedValueOnce(new Error('Node does not have any credentials set'));

		await expect(elevateAiApiRequest(fake.ctx, GET_STATUS)).rejects.toThrow('Node does not have any credentials set');
		await expect(elevateAiApiRequest(fake.ctx, GET_STATUS)).resolves.toEqual({ statusCode: 200, body: { status: 'processing' } });
		expect(fake.ctx.getCredentials).toHaveBeenCalledTimes(2);
	});
});

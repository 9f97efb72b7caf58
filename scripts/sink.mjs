// A stand-in for a CRM's API (HubSpot's PATCH …/objects/calls/{id}) on loopback, used by the e2e
// tests and the bench (P7) so that both run the examples' CRM step without reaching the internet.

/**
 * A local HTTP sink that records every request (method, url, headers, parsed JSON body) and
 * answers 200 with `{ ok: true, id }` (like HubSpot's PATCH …/objects/calls/{id}).
 */
export async function createSink(n8n) {
	const requests = [];
	const server = await n8n.httpServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body = raw;
			try {
				body = JSON.parse(raw);
			} catch {}
			requests.push({ method: req.method, url: req.url, headers: req.headers, body });
			const id = req.url.split('?')[0].split('/').pop();
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ id, properties: typeof body === 'object' ? body.properties ?? {} : {}, ok: true }));
		});
	});
	return { url: server.url, requests, server };
}

// P7: the route-mode loop at scale. examples/queue-mode-parked-wait.json in queue mode (a private
// PostgreSQL and Redis, `n8n start` + ONE `n8n worker`), `calls` webhook calls at once. Each
// execution declares, checks once, parks in the Wait node (in Postgres, holding no worker slot)
// and resumes after the Wait to finish. Returns what was measured; throws if a call is lost.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { adaptExample, loadExample, WORKFLOW_IDS } from '../../scripts/examples.mjs';
import { startPostgres } from '../../scripts/postgres.mjs';
import { createN8n, HUBSPOT_CREDENTIAL_ID, waitFor, waitForWebhook } from '../../scripts/n8n.mjs';
// The HubSpot stand-in lives with the e2e harness (it moved there from scripts/n8n.mjs).
import { createSink } from '../../scripts/sink.mjs';

const run = promisify(execFile);

export async function runParkedWaits({ calls, processingMs, waitSeconds, workerConcurrency = 2, progress = () => {} }) {
	const n8n = await createN8n({ emulatorOptions: { timing: { stageMs: 100, stages: { processing: processingMs } } } });
	const pg = await startPostgres();
	try {
		const redis = await n8n.redis();
		if (!redis) throw new Error('P7 needs redis-server (apt-get install -y redis-server)');
		n8n.setEnv({
			...pg.env,
			...redis.env,
			N8N_ENCRYPTION_KEY: 'bench-p7-0123456789abcdef0123456789abcdef',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_PRUNE: 'false',
		});
		const sink = await createSink(n8n);
		await n8n.importCredentials([
			n8n.credential(),
			{ id: HUBSPOT_CREDENTIAL_ID, name: 'HubSpot service key', type: 'hubspotAppToken', data: { appToken: 'pat-bench' } },
		]);
		await n8n.importWorkflows([adaptExample(loadExample('queue-mode-parked-wait.json'), { crmBaseUrl: sink.url, waitSeconds })]);
		await n8n.activate(WORKFLOW_IDS.queueParkedWait);
		const [main, worker] = await Promise.all([n8n.start(), n8n.worker({ concurrency: workerConcurrency })]);
		await waitForWebhook(main.baseUrl, 'elevateai/queue-call');
		progress(`P7 n8n main + 1 worker (concurrency ${workerConcurrency}) on Postgres + Redis ready`);

		const count = async () => {
			const rows = await pg.psql('SELECT status, count(*) FROM execution_entity GROUP BY status');
			return Object.fromEntries(rows.split('\n').filter(Boolean).map((l) => l.split('|')).map(([s, c]) => [s, Number(c)]));
		};
		let maxWaiting = 0;
		let allParkedMs;
		const t0 = Date.now();
		// The calls go out 25 at a time (a recording system posting finished calls).
		let next = 0;
		await Promise.all(
			Array.from({ length: 25 }, async () => {
				while (next < calls) {
					const i = next++;
					const res = await fetch(`${main.baseUrl}/webhook/elevateai/queue-call`, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({ recordingUrl: `https://recordings.example.com/calls/p7-${i}.wav`, callId: String(700000 + i) }),
						signal: AbortSignal.timeout(60_000),
					});
					if (!res.ok) throw new Error(`P7 call ${i}: HTTP ${res.status} ${await res.text()}`);
				}
			}),
		);
		progress(`P7 ${calls} webhook calls answered in ${Date.now() - t0} ms`);
		let now = {};
		await waitFor(
			async () => {
				now = await count();
				maxWaiting = Math.max(maxWaiting, now.waiting ?? 0);
				if (allParkedMs === undefined && (now.waiting ?? 0) === calls) allParkedMs = Date.now() - t0;
				return (now.success ?? 0) === calls || (now.error ?? 0) > 0 || (now.crashed ?? 0) > 0;
			},
			{ timeoutMs: processingMs + waitSeconds * 1000 * 4 + 120_000, intervalMs: 500, what: `P7: ${calls} executions succeeded` },
		);
		const wallMs = Date.now() - t0;
		if ((now.success ?? 0) !== calls) throw new Error(`P7: executions by status ${JSON.stringify(now)}`);
		// Each execution's own time, webhook to CRM update (n8n's createdAt → stoppedAt).
		const durations = (await pg.psql(`SELECT round(EXTRACT(EPOCH FROM ("stoppedAt" - "createdAt")) * 1000) FROM execution_entity ORDER BY 1`))
			.split('\n')
			.filter(Boolean)
			.map(Number);
		const stats = n8n.emulator.stats();
		const workerLog = worker.output.stdout + worker.output.stderr;
		const cli = path.join(path.dirname(redis.bin ?? '/usr/bin/redis-server'), 'redis-cli');
		const active = await run(cli, ['-h', '127.0.0.1', '-p', String(redis.port), 'LLEN', 'bull:jobs:active']).then((r) => Number(r.stdout.trim())).catch(() => undefined);
		return {
			calls,
			completed: now.success,
			maxWaiting,
			allParkedMs: allParkedMs ?? null,
			wallMs,
			executionMsMedian: durations[Math.floor(durations.length / 2)],
			executionMsMax: durations[durations.length - 1],
			declares: stats.declares,
			crmUpdates: sink.requests.filter((r) => r.method === 'PATCH').length,
			maxStatusChecks: Math.max(...Object.values(stats.statusRequests).map((t) => t.length)),
			workerRuns: (workerLog.match(/Worker started execution/g) ?? []).length,
			activeJobsAtEnd: active,
		};
	} finally {
		await n8n.close();
		await pg.stop();
	}
}

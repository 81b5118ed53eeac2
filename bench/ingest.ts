// `npm run bench -- ingest`: Sentry envelopes (one error event each, as SDKs send them) 64 at a time over
// keep-alive connections against the real server and ingestion routes, every 200 acknowledged after its commit;
// then NDJSON batches of 1,000 events on /api/ingest/events, also 64 in flight (the setting for both);
// then the NDJSON file import (import.events_per_s). The store starts with the demo dataset (200k events), so each
// commit's upsert looks through a real table.
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { openApp } from '../src/app-factory.ts';
import { loadConfig } from '../src/config.ts';
import { createIngestion } from '../src/ingest/ingestion.ts';
import { appendKeyLog, newPublicKey } from '../src/keys/key-log.ts';
import { startServer } from '../src/server.ts';
import { loadDemo } from '../demo/load.ts';
import { runLoad } from './load.ts';
import { type Figures, percentiles, printTable, round } from './results.ts';
import { measureImport } from './spine.ts';

const CONCURRENCY = 64;
const BATCH_LINES = 1_000;
const PHASE_MS = 15_000;
const WARM_UP_MS = 2_000;
const DEMO_EVENTS = 200_000;
const PROJECT_ID = 11;

export async function run(): Promise<Figures> {
  const dataDir = join(process.cwd(), '.tmp', 'bench-ingest');
  await rm(dataDir, { recursive: true, force: true });
  const loaded = loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: dataDir });
  if (!loaded.ok) throw new Error(loaded.reason);
  const opened = await openApp(loaded.config);
  if (!opened.ok) throw new Error(opened.reason);
  const { app, store } = opened;
  const demo = await loadDemo(store, { seed: 1, events: DEMO_EVENTS });
  if (!demo.ok) throw new Error(demo.reason);
  const projectKey = newPublicKey();
  const organizationKey = newPublicKey();
  await appendKeyLog(dataDir, [
    {
      op: 'create',
      publicKey: projectKey,
      organizationId: 'acme',
      projectId: PROJECT_ID,
      name: 'bench',
      at: new Date().toISOString(),
    },
    {
      op: 'create',
      publicKey: organizationKey,
      organizationId: 'acme',
      projectId: null,
      name: 'bench',
      at: new Date().toISOString(),
    },
  ]);
  const server = await startServer(app, [() => createIngestion(app, store)], { port: 0, host: '127.0.0.1' });
  const pool = new Pool(server.url, { connections: CONCURRENCY, pipelining: 1 });
  try {
    let sequence = 0;
    const auth = `Sentry sentry_key=${projectKey}, sentry_version=7, sentry_client=bench/1.0`;
    const sendEnvelope = async (): Promise<'ok' | 'error'> => {
      const body = envelopeOf(++sequence);
      const response = await pool.request({
        method: 'POST',
        path: `/api/${PROJECT_ID}/envelope/`,
        headers: { 'x-sentry-auth': auth, 'content-type': 'application/x-sentry-envelope' },
        body,
      });
      await response.body.text();
      return response.statusCode === 200 ? 'ok' : 'error';
    };
    await runLoad({ concurrency: CONCURRENCY, durationMs: WARM_UP_MS, send: sendEnvelope });
    let cpu = process.cpuUsage();
    const envelopes = await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, send: sendEnvelope });
    const envelopeCpu = cpuSeconds(process.cpuUsage(cpu));

    const sendBatch = async (): Promise<'ok' | 'error'> => {
      const response = await pool.request({
        method: 'POST',
        path: '/api/ingest/events',
        headers: { authorization: `Bearer ${organizationKey}`, 'content-type': 'application/x-ndjson' },
        body: batchOf(++sequence),
      });
      await response.body.text();
      return response.statusCode === 200 ? 'ok' : 'error';
    };
    cpu = process.cpuUsage();
    const batches = await runLoad({ concurrency: CONCURRENCY, durationMs: PHASE_MS, send: sendBatch });
    const batchCpu = cpuSeconds(process.cpuUsage(cpu));
    const importRate = await measureImport();

    const envelopeRate = (envelopes.outcomes.ok ?? 0) / envelopes.seconds;
    const latency = percentiles(envelopes.latencies);
    const batchRate = ((batches.outcomes.ok ?? 0) * BATCH_LINES) / batches.seconds;
    const errors = envelopes.outcomes.error ?? 0;
    // Process CPU (server, DuckDB threads and the load generator together) per stored event: what the figures
    // would be on idle cores, when the machine is shared and wall-clock rates only show the share it got.
    const envelopeCpuUs = (envelopeCpu * 1e6) / Math.max(1, envelopes.outcomes.ok ?? 0);
    const batchCpuUs = (batchCpu * 1e6) / Math.max(1, (batches.outcomes.ok ?? 0) * BATCH_LINES);
    printTable(
      `ingest: one-event envelopes x${CONCURRENCY} (keep-alive), NDJSON batches of ${BATCH_LINES} x${CONCURRENCY}`,
      [
        ['envelopes stored/s', round(envelopeRate, 1)],
        ['envelope p50 / p99 / max ms', `${latency.p50} / ${latency.p99} / ${latency.max}`],
        ['envelope errors (non-200)', errors],
        ['envelope CPU µs per event (all threads)', round(envelopeCpuUs, 1)],
        ['NDJSON batch events stored/s', Math.round(batchRate)],
        ['NDJSON batch errors', batches.outcomes.error ?? 0],
        ['NDJSON batch CPU µs per event', round(batchCpuUs, 2)],
        ['CPU load average (1 min) while measuring', round(loadavg()[0] ?? 0, 1)],
        ['NDJSON import, events/s', Math.round(importRate)],
      ],
    );
    return {
      'ingest.envelope_events_per_s': round(envelopeRate, 1),
      'ingest.p99_ms': latency.p99,
      'ingest.p50_ms': latency.p50,
      'ingest.errors': errors,
      'ingest.batch_events_per_s': Math.round(batchRate),
      'ingest.batch_errors': batches.outcomes.error ?? 0,
      'ingest.envelope_cpu_us_per_event': round(envelopeCpuUs, 1),
      'ingest.batch_cpu_us_per_event': round(batchCpuUs, 2),
      'import.events_per_s': Math.round(importRate),
    };
  } finally {
    await pool.close();
    await server.close();
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

export function envelopeOf(n: number): string {
  const eventId = n.toString(16).padStart(32, '0');
  const event = JSON.stringify({
    event_id: eventId,
    timestamp: Date.now() / 1000,
    level: 'error',
    platform: 'node',
    environment: 'production',
    release: 'checkout@1.4.2',
    user: { id: `u-${n % 500}` },
    tags: { 'browser.name': 'Chrome' },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: 'x is undefined',
          stacktrace: { frames: [{ filename: 'app.js', lineno: n % 90 }] },
        },
      ],
    },
  });
  const header = JSON.stringify({ event_id: eventId, sent_at: new Date().toISOString() });
  return `${header}\n${JSON.stringify({ type: 'event', length: Buffer.byteLength(event) })}\n${event}\n`;
}

/**
 * Built from a template rather than by JSON.stringify per line: the generator shares the server's two cores, and
 * stringifying took a fifth of the CPU the server needs for the same lines.
 */
function batchOf(n: number): string {
  const fixed = JSON.stringify({
    timestamp: new Date().toISOString(),
    projectId: PROJECT_ID,
    environment: 'production',
    level: 'error',
    message: 'TypeError: x is undefined',
    release: 'checkout@1.4.2',
    tags: { 'browser.name': 'Chrome' },
  }).slice(1);
  let body = '';
  for (let i = 0; i < BATCH_LINES; i++) body += `{"id":"batch-${n}-${i}","user":"u-${i % 500}",${fixed}\n`;
  return body;
}

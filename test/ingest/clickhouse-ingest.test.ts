// With QUERY_BACKEND=clickhouse the same endpoints write to ClickHouse: bursts count exactly, re-sent ids do not
// double, a session counts once with its final status.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CLICKHOUSE_URL,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../fixtures/clickhouse/servers.ts';
import { envelope, errorEvent, post } from './envelope.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

const database = uniqueDatabase('ingest');
const BURST = 30;

await describeWithClickHouse('ingestion into ClickHouse', [CLICKHOUSE_URL], () => {
  let harness: IngestHarness;
  let key: string;
  let orgKey: string;

  beforeAll(async () => {
    harness = await startIngestHarness({
      env: { QUERY_BACKEND: 'clickhouse', CLICKHOUSE_URL, CLICKHOUSE_DATABASE: database },
    });
    key = new URL((await harness.keys('create', 'acme', '11')).at(-1)!).username;
    orgKey = (await harness.keys('create', 'acme')).at(-1)!;
  });
  afterAll(async () => {
    await harness?.close();
    await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  });

  it('counts a burst of identical errors from envelopes and NDJSON, and a re-sent event once', async () => {
    const url = `${harness.server.url}/api/11/envelope/?sentry_key=${key}`;
    const bodies = Array.from({ length: BURST }, (_, i) => envelope({}, [errorEvent(i + 1)]));
    const sent = await Promise.all(bodies.map((body) => post(url, body)));
    expect(sent.every((answer) => answer.status === 200)).toBe(true);
    // An SDK's retry sends the same envelope again.
    expect((await post(url, bodies[0]!)).status).toBe(200);
    const line = JSON.stringify({
      timestamp: new Date().toISOString(),
      projectId: 11,
      level: 'error',
      message: 'boom',
    });
    const batch = await post(`${harness.server.url}/api/ingest/events`, `${line}\n${line}\n${line}\n`, {
      authorization: `Bearer ${orgKey}`,
    });
    expect(batch.status).toBe(200);
    const [errors] = await harness.app.cards.build([harness.app.repository.findIncident('acme', 42)!]);
    expect(errors!.metric.value).toBe(BURST + 3);
  });

  it('counts each session once, with its final status', async () => {
    const url = `${harness.server.url}/api/11/envelope/?sentry_key=${key}`;
    const started = new Date().toISOString();
    const session = (sid: string, status: string, extra: object = {}) => ({
      header: { type: 'session' },
      payload: { sid, started, status, attrs: { release: 'r1', environment: 'production' }, ...extra },
    });
    const a = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const b = '2b4e28ba-2fa1-11d2-883f-0016d3cca427';
    await post(url, envelope({}, [session(a, 'ok', { init: true }), session(b, 'ok', { init: true })]));
    await post(url, envelope({}, [session(a, 'crashed')]));
    await post(url, envelope({}, [session(b, 'exited')]));
    const [crashes] = await harness.app.cards.build([harness.app.repository.findIncident('acme', 44)!]);
    expect(crashes!.metric.value).toBe(50);
  });
});

// POST /api/ingest/events and /api/ingest/sessions: NDJSON batches with an organization or project key.
import { afterEach, describe, expect, it } from 'vitest';
import { post } from './envelope.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';
import { storedEvents } from '../support/stored-events.ts';

let harness: IngestHarness;
afterEach(() => harness.close());

const line = (projectId: number, extra: object = {}) =>
  JSON.stringify({
    timestamp: new Date().toISOString(),
    projectId,
    level: 'error',
    message: 'boom',
    ...extra,
  });
const bearer = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' });

async function start() {
  harness = await startIngestHarness({ keyRecheckMs: 0 });
  const orgKey = (await harness.keys('create', 'acme')).at(-1)!;
  const projectKey = new URL((await harness.keys('create', 'acme', '11')).at(-1)!).username;
  return { orgKey, projectKey, url: (kind: string) => `${harness.server.url}/api/ingest/${kind}` };
}

describe('NDJSON bulk ingestion', () => {
  it("stores a batch of identical lines with an organization key, across the organization's projects", async () => {
    const { orgKey, url } = await start();
    const body = [...Array.from({ length: 40 }, () => line(11)), line(12)].join('\n');
    const answer = await post(url('events'), body, bearer(orgKey));
    expect(answer).toMatchObject({ status: 200, body: { stored: 41 } });
    // The same batch again (a retry) replaces itself.
    expect((await post(url('events'), body, bearer(orgKey))).status).toBe(200);
    expect(await harness.count('SELECT count(*) FROM events')).toBe(41);
  });

  it('stores a batch larger than one DuckDB chunk (2,048 rows)', async () => {
    const { orgKey, url } = await start();
    const body = Array.from({ length: 5_000 }, () => line(11)).join('\n');
    expect(await post(url('events'), body, bearer(orgKey))).toMatchObject({
      status: 200,
      body: { stored: 5_000 },
    });
    expect(await harness.count('SELECT count(*) FROM events')).toBe(5_000);
  });

  it('refuses the whole batch on any bad line, with each line and its reason', async () => {
    const { orgKey, url } = await start();
    const body = [line(11), line(11, { timestamp: 'yesterday' }), '{not json', line(21)].join('\n');
    const answer = await post(url('events'), body, bearer(orgKey));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { line: 2, reason: expect.stringMatching(/^timestamp: /) },
      { line: 3, reason: expect.stringMatching(/^invalid JSON/) },
      { line: 4, reason: 'projectId: unknown project 21' },
    ]);
    expect(await harness.count('SELECT count(*) FROM events')).toBe(0);
  });

  it("lets a project key write only its project's lines", async () => {
    const { projectKey, url } = await start();
    expect((await post(url('events'), line(11), bearer(projectKey))).status).toBe(200);
    const other = await post(url('events'), [line(11), line(12)].join('\n'), bearer(projectKey));
    expect(other.status).toBe(400);
    expect(await harness.count('SELECT count(*) FROM events')).toBe(1);
  });

  it('stores sessions', async () => {
    const { orgKey, url } = await start();
    const session = JSON.stringify({
      timestamp: new Date().toISOString(),
      projectId: 11,
      status: 'crashed',
      quantity: 3,
    });
    expect((await post(url('sessions'), `${session}\n${session}\n`, bearer(orgKey))).status).toBe(200);
    expect(await harness.count('SELECT sum(quantity) FROM sessions')).toBe(6);
  });

  it.each([
    ['no key', {}, 401],
    ['an unknown key', bearer('f'.repeat(32)), 401],
  ] as const)('refuses %s', async (_case, headers, status) => {
    const { url } = await start();
    expect((await post(url('events'), line(11), headers)).status).toBe(status);
  });

  it('refuses a revoked organization key at once', async () => {
    const { orgKey, url } = await start();
    await harness.keys('revoke', orgKey);
    expect((await post(url('events'), line(11), bearer(orgKey))).status).toBe(403);
  });
});

describe('NDJSON bodies read by DuckDB itself', () => {
  // Every kind of line the reader must map as the JS path does: with and without id, tags, a transaction with
  // duration and status, a transaction name without duration (an error), nulls; and a repeated id.
  const body = [
    line(11, { id: 'a', tags: { 'browser.name': 'Chrome', region: 'eu' }, user: 'u-1', release: 'r@1' }),
    line(11),
    line(11, { environment: 'production', transaction: '/checkout', duration: 231.5, status: 'ok' }),
    line(12, { transaction: '/pay', status: 'internal_error' }),
    line(11, { level: 'warning', message: 'later copy', id: 'a' }),
    line(11, { tags: {} }),
  ].join('\n');
  const stored = () => storedEvents(harness.store.database);

  it('stores exactly the rows the JS path builds, the last line of a repeated id winning', async () => {
    const { orgKey, url } = await start();
    expect(await post(url('events'), body, bearer(orgKey))).toMatchObject({
      status: 200,
      body: { stored: 6 },
    });
    const read = await stored();
    await harness.close();

    // The same body through a writer without NDJSON reading: validation builds the rows in JS.
    harness = await startIngestHarness({
      keyRecheckMs: 0,
      writer: {
        writeEvents: (rows) => harness.store.backend.writeEvents(rows),
        writeSessions: (rows) => harness.store.backend.writeSessions(rows),
      },
    });
    const key = (await harness.keys('create', 'acme')).at(-1)!;
    const answer = await post(`${harness.server.url}/api/ingest/events`, body, bearer(key));
    expect(answer).toMatchObject({ status: 200, body: { stored: 6 } });
    expect(read).toHaveLength(5);
    expect(read.find((row) => row.id === 'a')).toMatchObject({ level: 'warning', message: 'later copy' });
    expect(read).toEqual(await stored());
  });
});

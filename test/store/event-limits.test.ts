// Bounds on one event (src/event-limits.ts): tags by count and bytes, and the size of a record. `import` and the
// NDJSON endpoint refuse what is past them with the line and the reason; the Sentry endpoints keep the first
// tags that fit.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_LIMITS } from '../../src/event-limits.ts';
import { importFiles } from '../../src/store/import/import.ts';
import { checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { envelope, errorEvent, post } from '../ingest/envelope.ts';
import { type IngestHarness, startIngestHarness } from '../ingest/ingest-harness.ts';
import { createTestApp } from '../support/test-app.ts';

const manyTags = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, 'v']));

describe('import', () => {
  it.each([
    ['too many tags', { tags: manyTags(EVENT_LIMITS.maxTags + 1) }, /101 tags; an event has at most 100/],
    ['tags past their bytes', { tags: { big: 'x'.repeat(1_000), ...manyTags(0) }, repeat: 9 }, /bytes/],
    ['a record past 1 MiB', { message: 'x'.repeat(EVENT_LIMITS.maxEventBytes) }, /at most 1048576 bytes/],
  ])('refuses %s with file:line and the reason, storing nothing', async (_case, extra, reason) => {
    const test = await createTestApp({ dataset: checkoutDataset() });
    const dir = await mkdtemp(join(tmpdir(), 'incident-cards-limits-'));
    try {
      const { repeat, ...fields } = extra as { repeat?: number } & Record<string, unknown>;
      const bigTags = repeat
        ? Object.fromEntries(Array.from({ length: repeat }, (_, i) => [`big${i}`, 'x'.repeat(1_000)]))
        : undefined;
      const [ok, bad] = checkoutErrors(2).map((event) => JSON.stringify(event));
      const line = JSON.stringify({ ...JSON.parse(bad!), ...fields, ...(bigTags ? { tags: bigTags } : {}) });
      const file = join(dir, 'events.ndjson');
      await writeFile(file, `${ok}\n${line}\n`);
      const result = await importFiles(test.store, [file], { kind: 'events' });
      expect(result).toMatchObject({
        ok: false,
        errors: [{ file, line: 2, reason: expect.stringMatching(reason) }],
      });
      expect(await test.store.backend.countEvents()).toBe(0);
    } finally {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts an event at the bounds', async () => {
    const test = await createTestApp({ dataset: checkoutDataset() });
    const dir = await mkdtemp(join(tmpdir(), 'incident-cards-limits-'));
    try {
      const [event] = checkoutErrors(1);
      const file = join(dir, 'events.ndjson');
      await writeFile(file, JSON.stringify({ ...event, tags: manyTags(EVENT_LIMITS.maxTags) }));
      expect((await importFiles(test.store, [file], { kind: 'events' })).ok).toBe(true);
      expect(await test.store.backend.countEvents()).toBe(1);
    } finally {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ingestion', () => {
  let harness: IngestHarness;
  afterEach(() => harness.close());

  it('keeps the first 100 tags of an SDK event, and refuses an NDJSON line with more', async () => {
    harness = await startIngestHarness({ keyRecheckMs: 0 });
    const key11 = new URL((await harness.keys('create', 'acme', '11')).at(-1)!).username;
    const orgKey = (await harness.keys('create', 'acme')).at(-1)!;
    const sdk = await post(
      `${harness.server.url}/api/11/envelope/`,
      envelope({}, [errorEvent(1, { tags: manyTags(300) })]),
      { 'x-sentry-auth': `Sentry sentry_key=${key11}, sentry_version=7` },
    );
    expect(sdk.status).toBe(200);
    // Tags are stored as a JSON object text.
    expect(await harness.count('SELECT max(json_array_length(json_keys(tags::JSON))) FROM events')).toBe(
      EVENT_LIMITS.maxTags,
    );
    const line = JSON.stringify({
      timestamp: new Date().toISOString(),
      projectId: 11,
      message: 'boom',
      tags: manyTags(EVENT_LIMITS.maxTags + 1),
    });
    const bulk = await post(`${harness.server.url}/api/ingest/events`, line, {
      authorization: `Bearer ${orgKey}`,
      'content-type': 'application/x-ndjson',
    });
    expect(bulk.status).toBe(400);
    expect(JSON.stringify(bulk.body)).toContain('101 tags');
  });
});

// The live-ingestion writer: what it stores, and that its staging table does not keep what it staged (DuckDB
// never gives back the space of rows deleted from a temporary table; emptied after each commit, the staging table
// used to hold every event ever ingested).
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../src/query/backend.ts';
import { createIngestWriter } from '../../../src/store/duckdb/ingest-writer.ts';
import { fileDigest } from '../../../src/store/import/normalize.ts';
import { jsPathRows, ndjsonLine, storedEvents } from '../../support/stored-events.ts';
import { createTestApp, type TestApp } from '../../support/test-app.ts';

let test: TestApp | undefined;
afterEach(async () => test?.close());

const row = (n: number, at: number): EventRow => ({
  id: `e-${n}`,
  timestamp: at,
  projectId: 11,
  eventType: 'error',
  environment: 'production',
  level: 'error',
  message: `TypeError: x is undefined in a message long enough to take some room ${n}`,
  user: `u-${n % 50}`,
  release: 'checkout@1.4.2',
  transaction: null,
  duration: null,
  status: null,
  tags: { 'browser.name': 'Chrome' },
});

async function inMemoryTableBytes(app: TestApp): Promise<number> {
  return app.store.database.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'`,
    );
    return Number(reader.getRows()[0]?.[0] ?? 0);
  });
}

describe('the ingestion writer', () => {
  it('stores every commit, replaces a re-sent event, and keeps its staging memory bounded', async () => {
    test = await createTestApp();
    const writer = createIngestWriter(test.store.database);
    try {
      const now = Date.now();
      const commits = 100;
      for (let commit = 0; commit < commits; commit++) {
        const rows = Array.from({ length: 1_000 }, (_, i) => row(commit * 1_000 + i, now + commit));
        await writer.writeEvents(rows);
      }
      // The first commit again: the same ids at the same times replace themselves.
      const again = Array.from({ length: 1_000 }, (_, i) => row(i, now));
      await writer.writeEvents(again);
      expect(await test.store.backend.countEvents()).toBe(commits * 1_000);
      // 100,000 rows staged; kept, they would take tens of megabytes (about 500 bytes a row here).
      expect(await inMemoryTableBytes(test)).toBeLessThan(12_000_000);
    } finally {
      writer.close();
    }
  });
});

describe('NDJSON bodies committed together', () => {
  const line = ndjsonLine;
  // Lines without id in every body (named by their own body's digest and ordinal), blank lines, and ids repeated
  // across bodies: the later body's line wins, as the write queue's JS path keeps the last write of an id.
  const bodies = [
    [line({ id: 'a', message: 'first' }), line({}), '', line({})].join('\n'),
    [line({}), line({ id: 'a', message: 'second' }, 1), line({ id: 'b', tags: { region: 'eu' } })].join('\n'),
    [
      '',
      line({ id: 'b', message: 'third', transaction: '/pay', duration: 12.5, status: 'ok' }, 2),
      line({}),
    ].join('\n'),
  ];

  it('stores exactly what the JS path stores for the same bodies', async () => {
    test = await createTestApp();
    const writer = createIngestWriter(test.store.database);
    const ndjson = bodies.map((body) => {
      const text = Buffer.from(body);
      return { text, digest: fileDigest(text), lines: body.split('\n').filter(Boolean).length };
    });
    try {
      await writer.writeNdjsonEvents(ndjson);
    } finally {
      writer.close();
    }
    const read = await storedEvents(test.store.database);
    await test.close();

    test = await createTestApp();
    await test.store.backend.writeEvents(
      await jsPathRows([{ events: [], sessions: [], ndjsonEvents: ndjson }], new Set([11])),
    );
    expect(read).toHaveLength(6);
    expect(read.find((row) => row.id === 'a')).toMatchObject({ message: 'second' });
    expect(read.find((row) => row.id === 'b')).toMatchObject({ message: 'third', transaction: '/pay' });
    expect(read).toEqual(await storedEvents(test.store.database));
  });
});

// The live-ingestion writer: what it stores, and that its staging table does not keep what it staged (DuckDB
// never gives back the space of rows deleted from a temporary table; emptied after each commit, the staging table
// used to hold every event ever ingested).
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../src/query/backend.ts';
import { createIngestWriter } from '../../../src/store/duckdb/ingest-writer.ts';
import { ErrorList } from '../../../src/store/import/errors.ts';
import { validateNdjson } from '../../../src/store/import/ndjson-file.ts';
import { fileDigest } from '../../../src/store/import/normalize.ts';
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

async function storedEvents(app: TestApp) {
  return app.store.database.withConnection(async (connection) =>
    (
      await connection.runAndReadAll(
        `SELECT id, ts, project_id, event_type, environment, level, message, "user", "release", "transaction",
           duration, status, tags FROM events ORDER BY id`,
      )
    ).getRowObjectsJson(),
  );
}

describe('NDJSON bodies committed together', () => {
  const at = new Date('2026-11-27T10:00:00Z').getTime();
  const line = (fields: Record<string, unknown>, second = 0) =>
    JSON.stringify({
      timestamp: new Date(at + second * 1_000).toISOString(),
      projectId: 11,
      message: 'm',
      ...fields,
    });
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
    const jsRows = new Map<string, EventRow>();
    const ndjson = [];
    for (const body of bodies) {
      const digest = fileDigest(Buffer.from(body));
      const errors = new ErrorList();
      const { lines, rows } = await validateNdjson('body', body, 'events', new Set([11]), errors, digest);
      expect(errors.total).toBe(0);
      for (const row of rows.rows as EventRow[]) jsRows.set(row.id, row);
      ndjson.push({ text: Buffer.from(body), digest, lines });
    }
    try {
      await writer.writeNdjsonEvents(ndjson);
    } finally {
      writer.close();
    }
    const read = await storedEvents(test);
    await test.close();

    test = await createTestApp();
    await test.store.backend.writeEvents([...jsRows.values()]);
    expect(read).toHaveLength(6);
    expect(read.find((row) => row.id === 'a')).toMatchObject({ message: 'second' });
    expect(read.find((row) => row.id === 'b')).toMatchObject({ message: 'third', transaction: '/pay' });
    expect(read).toEqual(await storedEvents(test));
  });
});

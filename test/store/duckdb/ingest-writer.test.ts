// The live-ingestion writer: what it stores, and that its staging table does not keep what it staged (DuckDB
// never gives back the space of rows deleted from a temporary table; emptied after each commit, the staging table
// used to hold every event ever ingested).
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../src/query/backend.ts';
import { createIngestWriter } from '../../../src/store/duckdb/ingest-writer.ts';
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

// One chunk of a large write fails while another is still being inserted: the write must not report its failure
// (and so free the next write) before the chunk it still has in flight is done, and must send no chunk after the
// failure. Otherwise a client retrying after the 503 races the old chunk's commit: both find its ids absent and
// the rows are stored twice, and the "failed" write keeps writing after its caller was told it failed.
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../../src/query/backend.ts';
import { ClickHouseError, type ClickHouseHttp } from '../../../src/query/backends/clickhouse/http.ts';
import { CHUNK_ROWS, EVENTS, writeNew } from '../../../src/query/backends/clickhouse/ingest.ts';

function rows(count: number): EventRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `ev-${i}`,
    timestamp: 1_700_000_000_000 + i,
    projectId: 11,
    eventType: 'error',
    environment: null,
    level: null,
    message: null,
    user: null,
    release: null,
    transaction: null,
    duration: null,
    status: null,
    tags: {},
  }));
}

/** An empty table whose first INSERT fails at once and whose second waits until `release()`. */
function failingFirstInsert() {
  const inserts: string[] = [];
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const http: ClickHouseHttp = {
    url: 'http://clickhouse.test/',
    close: async () => {},
    async query(sql) {
      if (sql.startsWith('SELECT count(), max')) return '0\t0\n';
      if (!sql.startsWith('INSERT')) throw new Error(`unexpected statement: ${sql}`);
      const number = inserts.push(sql);
      if (number === 1) throw new ClickHouseError('simulated: Too many parts (252)', 'server', 252);
      if (number === 2) await held;
      return '';
    },
  };
  return { http, inserts, release };
}

describe('a write whose chunk fails', () => {
  it('settles only after its other chunk in flight, and starts no chunk after the failure', async () => {
    const server = failingFirstInsert();
    let settled = false;
    const writing = writeNew(server.http, '`db`.`events`', EVENTS, rows(3 * CHUNK_ROWS), {});
    writing.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    await expect.poll(() => server.inserts.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    server.release();
    await expect(writing).rejects.toThrow(/Too many parts/);
    expect(server.inserts).toHaveLength(2);
  });
});

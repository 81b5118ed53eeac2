// What the ingestion tests compare between the NDJSON reader and the JS path: every stored event row, and the rows
// the JS path would store for the same requests; and the lines they send.
import { expect } from 'vitest';
import type { Rows } from '../../src/ingest/write-queue.ts';
import type { EventRow } from '../../src/query/backend.ts';
import type { Database } from '../../src/store/duckdb/database.ts';
import { ErrorList } from '../../src/store/import/errors.ts';
import { validateNdjson } from '../../src/store/import/ndjson-file.ts';

/** When the ingestion tests' lines happen; `second` moves a line later. */
export const LINE_AT = new Date('2026-11-27T10:00:00Z').getTime();

/** One NDJSON event line of project 11 at LINE_AT + `second`, with `fields` on top. */
export const ndjsonLine = (fields: Record<string, unknown>, second = 0) =>
  JSON.stringify({
    timestamp: new Date(LINE_AT + second * 1_000).toISOString(),
    projectId: 11,
    message: 'm',
    ...fields,
  });

/** Every stored event, ordered by id, every column. */
export async function storedEvents(database: Database) {
  return database.withConnection(async (connection) =>
    (
      await connection.runAndReadAll(
        `SELECT id, ts, project_id, event_type, environment, level, message, "user", "release", "transaction",
           duration, status, tags FROM events ORDER BY id`,
      )
    ).getRowObjectsJson(),
  );
}

/** The rows the JS path builds for the same requests in the same order: the last write of each id. */
export async function jsPathRows(
  requests: readonly Rows[],
  projects: ReadonlySet<number>,
): Promise<EventRow[]> {
  const rows = new Map<string, EventRow>();
  for (const request of requests) {
    for (const row of request.events) rows.set(row.id, row);
    for (const body of request.ndjsonEvents ?? []) {
      const errors = new ErrorList();
      const text = body.text.toString('utf8');
      const read = await validateNdjson('body', text, 'events', projects, errors, body.digest);
      expect(errors.total).toBe(0);
      for (const row of read.rows.rows as EventRow[]) rows.set(row.id, row);
    }
  }
  return [...rows.values()];
}

// The embedded store's writer for live ingestion: many small commits (one per group-commit batch), so the fixed
// cost of each matters more than in a bulk import. It keeps two connections with their staging tables (one batch
// is staged while the one before commits), and looks for ids to replace only within the batch's projects and time
// span (REPLACE_WITHIN_MS): each commit reads the stored ids of that span, so the span decides what a commit costs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { EventRow, NdjsonEvents, SessionRow } from '../../query/backend.ts';
import { selectNdjsonEvents } from './ndjson-events.ts';
import { createOrderedLanes } from './ordered-lanes.ts';
import { appendRows } from './merge-staging.ts';
import { type Cell, EVENT_TYPES, eventCells, SESSION_TYPES, sessionCells } from './rows.ts';
import type { Database } from './database.ts';

export type IngestWriter = {
  /**
   * Calls may overlap: each commits after the calls made before it, in call order (see LANES). Resolves once the
   * calls made so far are staged (the next batch can then be staged while they commit).
   */
  prepared(): Promise<void>;
  writeEvents(rows: readonly EventRow[]): Promise<void>;
  /** Bodies DuckDB reads itself: building and appending rows in JS cost several times more per event. */
  writeNdjsonEvents(bodies: readonly NdjsonEvents[]): Promise<void>;
  writeSessions(rows: readonly SessionRow[]): Promise<void>;
  close(): void;
};

type Row = { id: string; timestamp: number; projectId: number };

/**
 * How far beyond a batch's time span a stored copy of its ids is looked for. An event re-sent by an SDK carries
 * its original time to the millisecond, so events are looked for within the batch's own span (as on ClickHouse):
 * a commit then reads a few row groups however fast events arrive, where a day either side read every event of
 * the day, hundreds of thousands of rows at a few thousand events a second. A session's next update carries a
 * later time than the one before, so sessions are looked for a day either side.
 */
const REPLACE_WITHIN_MS = { events: 0, sessions: 86_400_000 };
/**
 * DuckDB never gives back the space of rows deleted from a temporary table: emptied after every commit, a staging
 * table held every row ever staged (the 10-minute soak grew by 30 %). Recreated after this many rows — one
 * statement per few hundred milliseconds of full-rate ingestion — it holds a few megabytes at most.
 */
const RECREATE_STAGING_AFTER_ROWS = 2_000;
/**
 * Connections, each with its own staging tables (temporary tables belong to one connection). With two, the next
 * batch is read into staging while the previous one's transaction runs; the transactions still run one at a time,
 * in call order (ordered-lanes.ts). Staging and the transaction each keep one thread busy, so a third would
 * only hold another staged batch in memory.
 */
const LANES = 2;

/** One connection and the staging it holds. */
type Lane = {
  connection: Promise<DuckDBConnection> | null;
  // Kept open between commits (flushed, not closed): creating one is another trip to DuckDB's threads.
  appenders: Map<string, DuckDBAppender>;
  /** Rows staged since each staging table was created. */
  staged: Map<string, number>;
};

export function createIngestWriter(database: Database): IngestWriter {
  const lanes: Lane[] = Array.from({ length: LANES }, () => ({
    connection: null,
    appenders: new Map(),
    staged: new Map(),
  }));
  const ordered = createOrderedLanes(lanes);
  // NDJSON bodies go to files here for DuckDB's reader; each is removed once its commit is done.
  let bodiesDir: string | null = null;
  let written = 0;
  const open = (lane: Lane) => {
    lane.connection ??= (async () => {
      const opened = await database.dedicatedConnection();
      await opened.run('CREATE TEMP TABLE ingest_events AS SELECT * FROM events LIMIT 0');
      await opened.run('CREATE TEMP TABLE ingest_sessions AS SELECT * FROM sessions LIMIT 0');
      return opened;
    })();
    return lane.connection;
  };

  /** Rows must have distinct ids (the write queue keeps the last write of each). */
  function write<T extends Row>(
    table: 'events' | 'sessions',
    rows: readonly T[],
    types: DuckDBType[],
    toCells: (row: T) => Cell[],
  ): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return ordered.run(async (lane, turn) => {
      const db = await open(lane);
      const staging = `ingest_${table}`;
      let appender = lane.appenders.get(staging);
      if (!appender) {
        appender = await db.createAppender(staging, 'main', 'temp');
        lane.appenders.set(staging, appender);
      }
      try {
        const span = stage(appender, rows, types, toCells, REPLACE_WITHIN_MS[table]);
        await turn();
        // One call for the whole commit: each call is a trip to DuckDB's threads, and a commit of a few dozen
        // rows is mostly such trips (the transactions run one at a time, so their latency bounds the rate).
        await db.run(
          `BEGIN TRANSACTION; DELETE FROM ${table} WHERE ${span} AND id IN (SELECT id FROM ${staging});
           INSERT INTO ${table} SELECT * FROM ${staging} ORDER BY ts; COMMIT; DELETE FROM ${staging}`,
        );
        lane.staged.set(staging, (lane.staged.get(staging) ?? 0) + rows.length);
        if (lane.staged.get(staging)! >= RECREATE_STAGING_AFTER_ROWS) {
          lane.staged.set(staging, 0);
          lane.appenders.delete(staging);
          appender.closeSync();
          await db.run(`CREATE OR REPLACE TEMP TABLE ${staging} AS SELECT * FROM ${table} LIMIT 0`);
        }
      } catch (error) {
        lane.appenders.delete(staging);
        try {
          appender.closeSync();
        } catch {
          // A failed flush leaves an appender that cannot close cleanly; the next write opens a new one.
        }
        // Separately: after a failed COMMIT there is no transaction to roll back, and the staging must be empty.
        await db.run('ROLLBACK').catch(() => undefined);
        await db.run(`DELETE FROM ${staging}`).catch(() => undefined);
        throw error;
      }
    });
  }

  /** The bodies' lines, the last write of an id winning, upserted like `write`'s rows. */
  function writeNdjson(all: readonly NdjsonEvents[]): Promise<void> {
    // DuckDB's reader refuses an empty file; an empty body stores nothing anyway.
    const bodies = all.filter((body) => body.lines > 0);
    if (bodies.length === 0) return Promise.resolve();
    return ordered.run(async (lane, turn) => {
      const db = await open(lane);
      bodiesDir ??= mkdtempSync(join(tmpdir(), 'incident-cards-ingest-'));
      let first = 0;
      const files = bodies.map((body) => {
        const file = { path: join(bodiesDir!, `${++written}.ndjson`), digest: body.digest, first };
        first += body.lines;
        return file;
      });
      try {
        // Synchronously: the main thread waits for DuckDB anyway, and libuv's threads are busy with DuckDB's calls.
        for (const [index, body] of bodies.entries()) writeFileSync(files[index]!.path, body.text);
        // The lane's own staging table, replaced by each of its commits (so it never keeps what it staged).
        const spanRows = await db.runAndReadAll(
          `CREATE OR REPLACE TEMP TABLE ingest_ndjson AS ${selectNdjsonEvents(files)};
           SELECT min(ts), max(ts), list(DISTINCT project_id), count(*) - count(DISTINCT id) FROM ingest_ndjson`,
        );
        const [min, max, projects, repeated] = spanRows.getRows()[0]!;
        const projectIds = (projects as { items: unknown[] }).items.map((id) => Math.trunc(Number(id)));
        const span = `project_id IN (${projectIds.join(', ')}) AND ts BETWEEN ${Number(min)} AND ${Number(max)}`;
        const lastOfEachId =
          Number(repeated) > 0 ? 'QUALIFY row_number() OVER (PARTITION BY id ORDER BY seq DESC) = 1' : '';
        await turn();
        await db.run(
          `BEGIN TRANSACTION; DELETE FROM events WHERE ${span} AND id IN (SELECT id FROM ingest_ndjson);
           INSERT INTO events SELECT * EXCLUDE (seq) FROM ingest_ndjson ${lastOfEachId} ORDER BY ts;
           COMMIT`,
        );
      } catch (error) {
        await db.run('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        for (const file of files) rmSync(file.path, { force: true });
      }
    });
  }

  return {
    prepared: ordered.prepared,
    writeEvents: (rows) => write('events', rows, EVENT_TYPES, eventCells),
    writeSessions: (rows) => write('sessions', rows, SESSION_TYPES, sessionCells),
    writeNdjsonEvents: writeNdjson,
    close() {
      for (const lane of lanes) {
        for (const appender of lane.appenders.values()) appender.closeSync();
        lane.appenders.clear();
        lane.staged.clear();
        void lane.connection?.then((opened) => opened.closeSync()).catch(() => undefined);
        lane.connection = null;
      }
      if (bodiesDir) rmSync(bodiesDir, { recursive: true, force: true });
      bodiesDir = null;
    },
  };
}

/** Appends the rows to the staging table; returns the condition that finds their ids already stored. */
function stage<T extends Row>(
  appender: DuckDBAppender,
  rows: readonly T[],
  types: DuckDBType[],
  toCells: (row: T) => Cell[],
  within: number,
): string {
  appendRows(appender, rows, types, toCells);
  appender.flushSync();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const projects = new Set<number>();
  for (const row of rows) {
    if (row.timestamp < min) min = row.timestamp;
    if (row.timestamp > max) max = row.timestamp;
    projects.add(row.projectId);
  }
  return `project_id IN (${[...projects].map((id) => Math.trunc(id)).join(', ')}) AND ts BETWEEN ${Math.trunc(min - within)} AND ${Math.trunc(max + within)}`;
}

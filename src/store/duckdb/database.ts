// Opens the embedded DuckDB file under DATA_DIR, creates the schema, and lends out connections.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LIFECYCLE_SCHEMA } from '../../lifecycle/schema.ts';
import { createWriteLane } from './write-lane.ts';
import { BackendBusy } from '../../query/backend.ts';

export const DATABASE_FILE = 'incident-cards.duckdb';

/**
 * Smaller row groups than DuckDB's default (122,880 rows): events are stored in time order, and a metric window
 * covers minutes of a 14-day table, so finer zone maps let a query skip more of it. Not much smaller, though:
 * every scan walks the zone maps of all row groups first (~1 µs each), and at 8,192 rows a 10M-event table's
 * 1,221 groups made that walk cost more than a card's whole window (a 10-minute count: 2.5–4 ms at 8,192,
 * 1.0–1.4 ms at 32,768, 1.0–1.2 ms at 122,880; 32,768 answered a 10-card message fastest).
 */
const ROW_GROUP_SIZE = 32_768;
const CATALOG = 'store';
/** Statements waiting for a pooled connection; more would only wait longer than any caller's deadline. */
const MAX_WAITING = 256;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS organizations (id VARCHAR PRIMARY KEY, body VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS installations (
     platform VARCHAR, tenant_id VARCHAR, body VARCHAR NOT NULL, PRIMARY KEY (platform, tenant_id))`,
  `CREATE TABLE IF NOT EXISTS projects (id BIGINT PRIMARY KEY, body VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_rules (id BIGINT PRIMARY KEY, body VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS incidents (id BIGINT PRIMARY KEY, body VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS members (
     organization_id VARCHAR, id VARCHAR, body VARCHAR NOT NULL, PRIMARY KEY (organization_id, id))`,
  `CREATE TABLE IF NOT EXISTS conversation_references (
     platform VARCHAR, conversation_id VARCHAR, tenant_id VARCHAR, reference VARCHAR, updated_at TIMESTAMP,
     PRIMARY KEY (platform, conversation_id))`,
  // Times are epoch milliseconds, as in the query model; no primary key on events keeps bulk loads fast,
  // upserts de-duplicate on id while merging from a staging table instead.
  `CREATE TABLE IF NOT EXISTS events (
     id VARCHAR NOT NULL, ts BIGINT NOT NULL, project_id BIGINT NOT NULL, event_type VARCHAR NOT NULL,
     environment VARCHAR, level VARCHAR, message VARCHAR, "user" VARCHAR, "release" VARCHAR,
     "transaction" VARCHAR, duration DOUBLE, status VARCHAR, tags VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS sessions (
     id VARCHAR NOT NULL, ts BIGINT NOT NULL, project_id BIGINT NOT NULL, environment VARCHAR,
     "release" VARCHAR, "user" VARCHAR, status VARCHAR NOT NULL, quantity INTEGER NOT NULL)`,
];

export type Database = {
  instance: DuckDBInstance;
  /**
   * Runs `work` on a pooled connection; at most `size` run at once, at most `maxWaiting` wait their turn (beyond
   * that it rejects with BackendBusy at once). A `signal` that aborts while waiting drops the work unrun.
   */
  withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Like withConnection, for writes to the metadata tables: one at a time (write-lane.ts says why). */
  write<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** A connection outside the pool, for a long transaction; the caller closes it. */
  dedicatedConnection(): Promise<DuckDBConnection>;
  close(): void;
};

export type OpenResult = { ok: true; database: Database } | { ok: false; reason: string };

export async function openDatabase(
  dataDir: string,
  options: { connections?: number; maxWaiting?: number } = {},
): Promise<OpenResult> {
  const path = dataDir === ':memory:' ? ':memory:' : join(dataDir, DATABASE_FILE);
  let instance: DuckDBInstance;
  try {
    if (dataDir !== ':memory:') await mkdir(dataDir, { recursive: true });
    instance = await DuckDBInstance.create(':memory:');
    const setup = await instance.connect();
    const file = path === ':memory:' ? ':memory:' : path.replaceAll("'", "''");
    await setup.run(`ATTACH '${file}' AS ${CATALOG} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
    setup.closeSync();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const locked = /lock/i.test(message);
    return {
      ok: false,
      reason: locked
        ? `the store ${path} is in use by another incident-cards process (a running server holds it; stop it first): ${message}`
        : `cannot open the store ${path}: ${message}`,
    };
  }
  const size = options.connections ?? 2;
  const idle: DuckDBConnection[] = [];
  const connect = async () => {
    const connection = await instance.connect();
    await connection.run(`USE ${CATALOG}`);
    return connection;
  };
  for (let i = 0; i < size; i++) idle.push(await connect());
  const first = idle[0]!;
  for (const statement of [...SCHEMA, ...LIFECYCLE_SCHEMA]) await first.run(statement);

  const maxWaiting = options.maxWaiting ?? MAX_WAITING;
  const waiting: ((connection: DuckDBConnection) => void)[] = [];
  const acquire = (signal?: AbortSignal) =>
    new Promise<DuckDBConnection>((resolve, reject) => {
      if (signal?.aborted) return reject(abandoned(signal));
      const connection = idle.pop();
      if (connection) return resolve(connection);
      if (waiting.length >= maxWaiting)
        return reject(new BackendBusy(`${waiting.length} statements already wait for a DuckDB connection`));
      const onAbort = () => {
        const index = waiting.indexOf(take);
        if (index >= 0) waiting.splice(index, 1);
        reject(abandoned(signal!));
      };
      const take = (given: DuckDBConnection) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(given);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(take);
    });
  const release = (connection: DuckDBConnection) => {
    const next = waiting.shift();
    if (next) next(connection);
    else idle.push(connection);
  };
  const withConnection = async <T>(
    work: (connection: DuckDBConnection) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> => {
    const connection = await acquire(signal);
    try {
      return await work(connection);
    } finally {
      release(connection);
    }
  };
  const lane = createWriteLane();

  return {
    ok: true,
    database: {
      instance,
      dedicatedConnection: connect,
      withConnection,
      write: (work) => lane(() => withConnection(work)),
      close() {
        for (const connection of idle) connection.closeSync();
        instance.closeSync();
      },
    },
  };
}

function abandoned(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new Error('abandoned while waiting for a connection');
}

// Writes events and sessions in large RowBinary INSERTs (50k rows each, two at a time) and upserts by id: rows
// whose id is already stored in the batch's projects and time span are skipped, so writing the same rows twice
// stores them once and no query ever counts a row twice.
import type { EventRow, SessionRow } from '../../backend.ts';
import { encodeEvent, encodeSession, type RowEncoder, rowBinaryBody } from './row-binary.ts';
import { encodeIds } from './tsv.ts';
import type { ClickHouseHttp, Settings } from './http.ts';
import { escapedLiterals, type Literals } from './literals.ts';
import { EVENT_COLUMNS, SESSION_COLUMNS } from './schema.ts';

/** Rows per INSERT request. */
export const CHUNK_ROWS = 50_000;
const PARALLEL_INSERTS = 2;
const WRITE_TIMEOUT_MS = 120_000;

type Row = { id: string; timestamp: number; projectId: number };

export type Target<T extends Row> = {
  table: 'events' | 'sessions';
  columns: readonly (readonly [string, string])[];
  encode: RowEncoder<T>;
};

export const EVENTS: Target<EventRow> = { table: 'events', columns: EVENT_COLUMNS, encode: encodeEvent };
export const SESSIONS: Target<SessionRow> = {
  table: 'sessions',
  columns: SESSION_COLUMNS,
  encode: encodeSession,
};

/**
 * Returns how many rows were new. Callers serialize writes: two concurrent writes of the same new id could
 * otherwise both find it absent.
 */
export async function writeNew<T extends Row>(
  http: ClickHouseHttp,
  tableName: string,
  target: Target<T>,
  rows: readonly T[],
  settings: Settings,
  literals: () => Literals = escapedLiterals,
): Promise<number> {
  const unique = new Map<string, T>();
  for (const row of rows) if (!unique.has(row.id)) unique.set(row.id, row);
  const all = [...unique.values()];
  const columns = target.columns.map(([name]) => `\`${name}\``).join(', ');
  // Chunks hold distinct ids (deduplicated above), so they may be checked and inserted side by side: each
  // INSERT is parsed by one server thread, two keep two busy.
  const chunks: T[][] = [];
  for (let start = 0; start < all.length; start += CHUNK_ROWS)
    chunks.push(all.slice(start, start + CHUNK_ROWS));
  // Time-ordered loads (the usual import) only ever add rows later than anything stored: one look at the
  // latest stored time spares those chunks the id check.
  const latest = await latestTimestamp(http, tableName, all, literals());
  let written = 0;
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < chunks.length) {
      const chunk = chunks[next++]!;
      const existing =
        earliest(chunk) > latest ? new Set<string>() : await existingIds(http, tableName, chunk, literals());
      const fresh = existing.size === 0 ? chunk : chunk.filter((row) => !existing.has(row.id));
      if (fresh.length === 0) continue;
      await http.query(`INSERT INTO ${tableName} (${columns}) FORMAT RowBinary`, {
        data: rowBinaryBody(fresh, target.encode),
        settings,
        signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
      });
      written += fresh.length;
    }
  };
  // A failed chunk stops the others from starting more, and the write fails only once nothing it sent is still
  // running: the next write (a client's retry of these rows) must not check ids while a chunk may yet commit.
  const outcomes = await Promise.allSettled(
    Array.from({ length: PARALLEL_INSERTS }, () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  return written;
}

function earliest(rows: readonly Row[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const row of rows) if (row.timestamp < min) min = row.timestamp;
  return min;
}

/** The latest stored time on or after the rows' first day (only those partitions are read); −∞ if none. */
async function latestTimestamp(
  http: ClickHouseHttp,
  tableName: string,
  rows: readonly Row[],
  literals: Literals,
): Promise<number> {
  const from = earliest(rows);
  const text = await http.query(
    `SELECT count(), max(\`timestamp\`) FROM ${tableName} WHERE \`date\` >= ${literals.day(from)} FORMAT TabSeparated`,
    { signal: AbortSignal.timeout(WRITE_TIMEOUT_MS), idempotent: true, params: literals.params },
  );
  const [count, max] = text.trim().split('\t').map(Number);
  return count === 0 ? Number.NEGATIVE_INFINITY : (max ?? Number.POSITIVE_INFINITY);
}

/** Ids of the chunk already stored, looked up only within the chunk's projects and time span (the sort key). */
async function existingIds(
  http: ClickHouseHttp,
  tableName: string,
  chunk: readonly Row[],
  literals: Literals,
): Promise<Set<string>> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const projects = new Set<number>();
  for (const row of chunk) {
    if (row.timestamp < min) min = row.timestamp;
    if (row.timestamp > max) max = row.timestamp;
    projects.add(row.projectId);
  }
  const span =
    `FROM ${tableName} WHERE project_id IN (${[...projects].map((id) => literals.integer(id)).join(', ')})` +
    ` AND \`timestamp\` >= ${literals.integer(min)} AND \`timestamp\` <= ${literals.integer(max)}` +
    ` AND \`date\` >= ${literals.day(min)} AND \`date\` <= ${literals.day(max)}`;
  const options = {
    signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
    idempotent: true,
    params: literals.params,
  };
  // Fresh data (the usual import) lands in a span that holds nothing yet: one cheap count settles it.
  if (Number((await http.query(`SELECT count() ${span}`, options)).trim()) === 0) return new Set();
  // The ids travel as an external table, not as literals: 100k of them would exceed the parser's
  // max_query_size, a setting a Distributed query does not pass on to its shards.
  const text = await http.query(`SELECT id ${span} AND id IN incoming_ids FORMAT JSONCompact`, {
    ...options,
    external: { name: 'incoming_ids', structure: 'id String', rows: encodeIds(chunk) },
  });
  const { data } = JSON.parse(text) as { data: [string][] };
  return new Set(data.map(([id]) => id));
}

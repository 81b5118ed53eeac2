// Writes events and sessions in large TabSeparated INSERTs (one request per ~100k rows) and upserts by id: rows
// whose id is already stored in the batch's projects and time span are skipped, so writing the same rows twice
// stores them once and no query ever counts a row twice.
import type { EventRow, SessionRow } from '../../backend.ts';
import { dayOf, sqlInteger, sqlString } from './escape.ts';
import type { ClickHouseHttp, Settings } from './http.ts';
import { EVENT_COLUMNS, SESSION_COLUMNS } from './schema.ts';

export const CHUNK_ROWS = 100_000;
const WRITE_TIMEOUT_MS = 120_000;

type Row = { id: string; timestamp: number; projectId: number };

export type Target<T extends Row> = {
  table: 'events' | 'sessions';
  columns: readonly (readonly [string, string])[];
  encode: (row: T, date: string) => string;
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
): Promise<number> {
  const unique = new Map<string, T>();
  for (const row of rows) if (!unique.has(row.id)) unique.set(row.id, row);
  const all = [...unique.values()];
  let written = 0;
  for (let start = 0; start < all.length; start += CHUNK_ROWS) {
    const chunk = all.slice(start, start + CHUNK_ROWS);
    const existing = await existingIds(http, tableName, chunk);
    const fresh = existing.size === 0 ? chunk : chunk.filter((row) => !existing.has(row.id));
    if (fresh.length === 0) continue;
    const columns = target.columns.map(([name]) => `\`${name}\``).join(', ');
    await http.query(`INSERT INTO ${tableName} (${columns}) FORMAT TabSeparated`, {
      data: encodeRows(fresh, target.encode),
      settings,
      signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
    });
    written += fresh.length;
  }
  return written;
}

/** Ids of the chunk already stored, looked up only within the chunk's projects and time span (the sort key). */
async function existingIds(
  http: ClickHouseHttp,
  tableName: string,
  chunk: readonly Row[],
): Promise<Set<string>> {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const projects = new Set<number>();
  for (const row of chunk) {
    if (row.timestamp < min) min = row.timestamp;
    if (row.timestamp > max) max = row.timestamp;
    projects.add(row.projectId);
  }
  // The ids travel as an external table, not as literals: 100k of them would exceed the parser's
  // max_query_size, a setting a Distributed query does not pass on to its shards.
  const sql =
    `SELECT id FROM ${tableName} WHERE project_id IN (${[...projects].map(sqlInteger).join(', ')})` +
    ` AND \`timestamp\` >= ${sqlInteger(min)} AND \`timestamp\` <= ${sqlInteger(max)}` +
    ` AND \`date\` >= toDate(${sqlString(dayOf(min))}) AND \`date\` <= toDate(${sqlString(dayOf(max))})` +
    ' AND id IN incoming_ids FORMAT JSONCompact';
  const text = await http.query(sql, {
    external: { name: 'incoming_ids', structure: 'id String', rows: encodeIds(chunk) },
    signal: AbortSignal.timeout(WRITE_TIMEOUT_MS),
    idempotent: true,
  });
  const { data } = JSON.parse(text) as { data: [string][] };
  return new Set(data.map(([id]) => id));
}

function encodeIds(rows: readonly Row[]): string {
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) lines[i] = text(rows[i]!.id);
  return `${lines.join('\n')}\n`;
}

function encodeRows<T extends Row>(rows: readonly T[], encode: (row: T, date: string) => string): string {
  const days = new Map<number, string>();
  const lines = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const dayNumber = Math.floor(row.timestamp / 86_400_000);
    let date = days.get(dayNumber);
    if (date === undefined) {
      date = dayOf(row.timestamp);
      days.set(dayNumber, date);
    }
    lines[i] = encode(row, date);
  }
  return `${lines.join('\n')}\n`;
}

function encodeEvent(row: EventRow, date: string): string {
  const keys = Object.keys(row.tags);
  return [
    text(row.id),
    integer(row.timestamp),
    date,
    integer(row.projectId),
    text(row.eventType),
    nullableText(row.environment),
    nullableText(row.level),
    nullableText(row.message),
    nullableText(row.user),
    nullableText(row.release),
    nullableText(row.transaction),
    row.duration === null ? '\\N' : float(row.duration),
    nullableText(row.status),
    array(keys),
    array(keys.map((key) => row.tags[key]!)),
  ].join('\t');
}

function encodeSession(row: SessionRow, date: string): string {
  return [
    text(row.id),
    integer(row.timestamp),
    date,
    integer(row.projectId),
    nullableText(row.environment),
    nullableText(row.release),
    nullableText(row.user),
    text(row.status),
    integer(row.quantity),
  ].join('\t');
}

// TabSeparated escaping: the field ends at a raw tab or newline, so those (and the escape character itself)
// must be written as escape sequences.
const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_SPECIALS = /[\\\t\n\r\0]/g;
const TSV_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};

function text(value: string): string {
  return TSV_SPECIAL.test(value) ? value.replace(TSV_SPECIALS, (c) => TSV_ESCAPES[c]!) : value;
}

function nullableText(value: string | null): string {
  return value === null ? '\\N' : text(value);
}

/** An array field is read as an array literal: quoted elements with the SQL string escapes. */
function array(values: readonly string[]): string {
  return values.length === 0 ? '[]' : `[${values.map(sqlString).join(',')}]`;
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`expected an integer, got ${value}`);
  return String(value);
}

function float(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`expected a finite number, got ${value}`);
  return String(value);
}

// Rows as ClickHouse TabSeparated text, in the column order of schema.ts. Written for speed — ingestion must
// keep up with ≥ 200,000 events/s: each row is one template string written straight into a byte buffer
// (joining 100k row strings instead spends most of its time flattening and collecting them).
import type { EventRow, SessionRow } from '../../backend.ts';
import { dayOf, sqlString } from './escape.ts';

/** Bytes per yielded slice: the INSERT body streams out while later slices are still being encoded. */
const SLICE_BYTES = 1 << 20;

export type RowEncoder<T> = (row: T, date: string) => string;

/** The TabSeparated body of an INSERT, produced slice by slice so ClickHouse parses while we encode. */
export async function* tsvBody<T extends { timestamp: number }>(
  rows: readonly T[],
  encode: RowEncoder<T>,
): AsyncGenerator<Buffer> {
  const days = new Map<number, string>();
  let buffer = Buffer.allocUnsafe(SLICE_BYTES);
  let position = 0;
  for (const row of rows) {
    const dayNumber = Math.floor(row.timestamp / 86_400_000);
    let date = days.get(dayNumber);
    if (date === undefined) {
      date = dayOf(row.timestamp);
      days.set(dayNumber, date);
    }
    const line = encode(row, date);
    // UTF-8 needs at most 3 bytes per UTF-16 unit.
    if (position + line.length * 3 > buffer.length) {
      if (position > 0) yield buffer.subarray(0, position);
      buffer = Buffer.allocUnsafe(Math.max(SLICE_BYTES, line.length * 3));
      position = 0;
    }
    position += buffer.write(line, position);
  }
  if (position > 0) yield buffer.subarray(0, position);
}

export function encodeEvent(row: EventRow, date: string): string {
  // Array(String) fields are read as array literals, so their elements are SQL string literals.
  let keys = '';
  let values = '';
  for (const key in row.tags) {
    if (keys !== '') {
      keys += ',';
      values += ',';
    }
    keys += literal(key);
    values += literal(row.tags[key]!);
  }
  return (
    `${text(row.id)}\t${integer(row.timestamp)}\t${date}\t${integer(row.projectId)}\t${text(row.eventType)}` +
    `\t${nullableText(row.environment)}\t${nullableText(row.level)}\t${nullableText(row.message)}` +
    `\t${nullableText(row.user)}\t${nullableText(row.release)}\t${nullableText(row.transaction)}` +
    `\t${row.duration === null ? '\\N' : float(row.duration)}\t${nullableText(row.status)}\t[${keys}]\t[${values}]\n`
  );
}

export function encodeSession(row: SessionRow, date: string): string {
  return (
    `${text(row.id)}\t${integer(row.timestamp)}\t${date}\t${integer(row.projectId)}` +
    `\t${nullableText(row.environment)}\t${nullableText(row.release)}\t${nullableText(row.user)}` +
    `\t${text(row.status)}\t${integer(row.quantity)}\n`
  );
}

/** One TabSeparated line per id (the upsert check's external table). */
export function encodeIds(rows: readonly { id: string }[]): string {
  let body = '';
  for (const row of rows) body += `${text(row.id)}\n`;
  return body;
}

// TabSeparated escaping: a field ends at a raw tab or newline, so those (and the escape character itself)
// are written as escape sequences.
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

// Tag keys and values repeat a lot: their SQL literals are remembered (bounded).
const literals = new Map<string, string>();

function literal(value: string): string {
  let quoted = literals.get(value);
  if (quoted === undefined) {
    quoted = sqlString(value);
    if (literals.size >= 50_000) literals.clear();
    literals.set(value, quoted);
  }
  return quoted;
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`expected an integer, got ${value}`);
  return String(value);
}

function float(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`expected a finite number, got ${value}`);
  return String(value);
}

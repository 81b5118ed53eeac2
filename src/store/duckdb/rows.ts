// Event and session rows as DuckDB column values, in the tables' column order (store/duckdb/database.ts): shared by
// the bulk writer (duckdb.ts) and the ingestion writer (store/duckdb/ingest-writer.ts).
import { BIGINT, DOUBLE, type DuckDBType, INTEGER, VARCHAR } from '@duckdb/node-api';
import type { EventRow, SessionRow } from '../../query/backend.ts';

export type Cell = string | number | bigint | null;

export const EVENT_TYPES: DuckDBType[] = [
  VARCHAR,
  BIGINT,
  BIGINT,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  DOUBLE,
  VARCHAR,
  VARCHAR,
];

export const SESSION_TYPES: DuckDBType[] = [
  VARCHAR,
  BIGINT,
  BIGINT,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  VARCHAR,
  INTEGER,
];

export function eventCells(row: EventRow): Cell[] {
  return [
    row.id,
    BigInt(row.timestamp),
    BigInt(row.projectId),
    row.eventType,
    row.environment,
    row.level,
    row.message,
    row.user,
    row.release,
    row.transaction,
    row.duration,
    row.status,
    Object.keys(row.tags).length > 0 ? JSON.stringify(row.tags) : null,
  ];
}

export function sessionCells(row: SessionRow): Cell[] {
  return [
    row.id,
    BigInt(row.timestamp),
    BigInt(row.projectId),
    row.environment,
    row.release,
    row.user,
    row.status,
    row.quantity,
  ];
}

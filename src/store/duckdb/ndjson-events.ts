// Loads an NDJSON events file with DuckDB's own JSON reader (many times faster than appending row by row) and
// upserts it inside the import's transaction, so loading runs while JS validates the same file; the import then
// commits or rolls back.
import type { DuckDBConnection } from '@duckdb/node-api';
import { upsertStaged } from './merge-staging.ts';

const COLUMNS = `{id: 'VARCHAR', timestamp: 'VARCHAR', projectId: 'BIGINT', environment: 'VARCHAR', level: 'VARCHAR',
  message: 'VARCHAR', user: 'VARCHAR', release: 'VARCHAR', transaction: 'VARCHAR', duration: 'DOUBLE',
  status: 'VARCHAR', tags: 'VARCHAR'}`;

/**
 * Upserts the file's events inside the caller's open transaction; returns how many ids it adds. `digest` is the
 * file's (normalize.ts): a line without `id` is `<digest>:<ordinal>`, as the JS path names it.
 */
export async function upsertNdjsonEvents(
  connection: DuckDBConnection,
  file: string,
  digest: string,
): Promise<number> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE staging_ndjson AS ${selectNdjsonEvents(file, digest)}`);
  const added = await upsertStaged(connection, 'events', 'staging_ndjson');
  await connection.run('DROP TABLE staging_ndjson');
  return added;
}

/**
 * The file's events as rows of the events table, in file order. `digest` is the file's (normalize.ts): a line
 * without `id` is `<digest>:<ordinal>`, as the JS path names it. `extra` adds columns (it may use `ordinal`).
 */
export function selectNdjsonEvents(file: string, digest: string, extra = ''): string {
  // Never hand a user's path to a glob reader: `a?.ndjson` would read other files past validation.
  if (hasGlobCharacters(file))
    throw new Error(`a file name with glob characters cannot be read by DuckDB: ${file}`);
  const path = `'${file.replaceAll("'", "''")}'`;
  // read_json skips blank lines and keeps the file's order, so row_number() is the record's ordinal.
  return `SELECT
      coalesce(id, '${digest.replace(/[^0-9a-f]/g, '')}:' || ordinal) AS id,
      epoch_ms(timestamp::TIMESTAMPTZ) AS ts,
      projectId AS project_id,
      CASE WHEN "transaction" IS NOT NULL AND duration IS NOT NULL THEN 'transaction' ELSE 'error' END AS event_type,
      environment, level, message, "user", "release", "transaction", duration, status,
      CASE WHEN tags IS NULL OR tags = '{}' THEN NULL ELSE tags END AS tags${extra}
    FROM (SELECT *, row_number() OVER () AS ordinal
      FROM read_json(${path}, format = 'newline_delimited', columns = ${COLUMNS}))`;
}

/** Characters DuckDB's file readers treat as a glob pattern (and `{` for brace lists in newer versions). */
export function hasGlobCharacters(path: string): boolean {
  return /[*?[\]{}]/.test(path);
}

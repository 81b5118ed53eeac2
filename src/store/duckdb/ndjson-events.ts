// Loads an NDJSON events file straight into a staging table with DuckDB's own JSON reader (many times faster
// than appending row by row), so validation in JS and loading in DuckDB run side by side.
import type { Database } from './database.ts';
import { mergeStaging } from './merge-staging.ts';

const COLUMNS = `{id: 'VARCHAR', timestamp: 'VARCHAR', projectId: 'BIGINT', environment: 'VARCHAR', level: 'VARCHAR',
  message: 'VARCHAR', user: 'VARCHAR', release: 'VARCHAR', transaction: 'VARCHAR', duration: 'DOUBLE',
  status: 'VARCHAR', tags: 'JSON'}`;

export type StagedEvents = {
  /** Upserts the staged rows into `events`; returns how many ids were new. */
  commit(): Promise<number>;
  discard(): Promise<void>;
};

export async function stageNdjsonEvents(
  database: Database,
  file: string,
  stage: number,
): Promise<StagedEvents> {
  const table = `staging_ndjson_${stage}`;
  const path = `'${file.replaceAll("'", "''")}'`;
  // The id mirrors normalize.ts in spirit: an explicit id, else the event's content (field by field here).
  await database.withConnection((connection) =>
    connection.run(`CREATE OR REPLACE TABLE ${table} AS
      SELECT
        coalesce(id, md5(concat_ws(chr(31), timestamp, projectId::VARCHAR, coalesce(environment, chr(0)),
          coalesce(level, chr(0)), coalesce(message, chr(0)), coalesce("user", chr(0)), coalesce("release", chr(0)),
          coalesce("transaction", chr(0)), coalesce(duration::VARCHAR, chr(0)), coalesce(status, chr(0)),
          coalesce(tags::VARCHAR, chr(0))))) AS id,
        epoch_ms(timestamp::TIMESTAMPTZ) AS ts,
        projectId AS project_id,
        CASE WHEN "transaction" IS NOT NULL AND duration IS NOT NULL THEN 'transaction' ELSE 'error' END AS event_type,
        environment, level, message, "user", "release", "transaction", duration, status,
        CASE WHEN tags IS NULL OR tags::VARCHAR = '{}' THEN NULL ELSE tags::VARCHAR END AS tags
      FROM read_json(${path}, format = 'newline_delimited', columns = ${COLUMNS})`),
  );
  const drop = () => database.withConnection((connection) => connection.run(`DROP TABLE IF EXISTS ${table}`));
  return {
    async commit() {
      const inserted = await database.withConnection((connection) =>
        mergeStaging(connection, 'events', table),
      );
      await drop();
      return inserted;
    },
    discard: async () => {
      await drop();
    },
  };
}

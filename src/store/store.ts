// The store: the embedded DuckDB file (metadata, and events when QUERY_BACKEND=duckdb) plus the query backend.
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { QueryBackend } from '../query/backend.ts';
import { createDuckDbBackend } from './duckdb/backend.ts';
import { type Database, openDatabase } from './duckdb/database.ts';
import { loadMetadata, saveConversationReference } from './duckdb/metadata.ts';
import type { IncidentRepository } from '../repository.ts';
import { createSnapshotRepository } from './snapshot.ts';
import { readActivity } from '../lifecycle/incident-rows.ts';

export type Store = {
  database: Database;
  /** DATA_DIR: the DuckDB file and the key log (src/keys/key-log.ts) live here. */
  dataDir: string;
  backend: QueryBackend;
  repository: IncidentRepository;
  close(): Promise<void>;
};

export type BackendFactory = (config: Config, database: Database, logger: Logger) => Promise<QueryBackend>;

export type StoreResult = { ok: true; store: Store } | { ok: false; reason: string };

export async function openStore(
  config: Config,
  logger: Logger,
  options: { backend?: BackendFactory } = {},
): Promise<StoreResult> {
  const opened = await openDatabase(config.dataDir);
  if (!opened.ok) return opened;
  const { database } = opened;
  let backend: QueryBackend;
  try {
    backend = options.backend
      ? await options.backend(config, database, logger)
      : await defaultBackend(config, database, logger);
  } catch (error) {
    database.close();
    return {
      ok: false,
      reason: `cannot open the ${config.queryBackend} backend: ${(error as Error).message}`,
    };
  }
  const repository = await createSnapshotRepository({
    load: () => loadMetadata(database),
    saveConversationReference: (record) => saveConversationReference(database, record),
    activity: (incidentId) => database.withConnection((connection) => readActivity(connection, incidentId)),
  });
  return {
    ok: true,
    store: {
      database,
      dataDir: config.dataDir,
      backend,
      repository,
      async close() {
        await backend.close();
        database.close();
      },
    },
  };
}

async function defaultBackend(config: Config, database: Database, logger: Logger): Promise<QueryBackend> {
  if (config.queryBackend === 'duckdb') return createDuckDbBackend(database);
  // Loaded on demand: the embedded default never pays for the HTTP client.
  const { createClickHouseBackend } = await import('../query/backends/clickhouse.ts');
  return createClickHouseBackend({
    ...config.clickhouse,
    timeoutMs: config.queryTimeoutMs,
    logger: logger.child({ component: 'clickhouse' }),
  });
}

// The ingestion routes as one unit the server mounts: Sentry SDK endpoints, NDJSON bulk endpoints, the keys they
// check and the group-commit queue they share. `close()` waits for every accepted row to be committed.
import type { Adapter } from '../adapter.ts';
import type { App } from '../app.ts';
import { createKeyDirectory } from '../keys/key-directory.ts';
import type { Store } from '../store/store.ts';
import { bulkRoutes } from './bulk-routes.ts';
import { INGEST_LIMITS } from './limits.ts';
import { createIngestMetrics } from './metrics.ts';
import { createProjectDirectory } from './project-directory.ts';
import { sentryRoutes } from './sentry-routes.ts';
import { createWriteQueue, type RowWriter } from './write-queue.ts';
import { createIngestWriter } from '../store/duckdb/ingest-writer.ts';

export type IngestionOptions = {
  maxQueuedRows?: number;
  keyRecheckMs?: number;
  /** Where committed rows go; by default the embedded store's ingestion writer, or the ClickHouse backend. */
  writer?: RowWriter;
};

export type Ingestion = Adapter & {
  /** Resolves once every row accepted so far is committed (a graceful shutdown step). */
  flush(): Promise<void>;
};

export function createIngestion(app: App, store: Store, options: IngestionOptions = {}): Ingestion {
  const embedded =
    app.backend.name === 'duckdb' && !options.writer ? createIngestWriter(store.database) : null;
  const queue = createWriteQueue(options.writer ?? embedded ?? app.backend, {
    maxQueuedRows: options.maxQueuedRows ?? INGEST_LIMITS.maxQueuedRows,
  });
  const deps = {
    queue,
    metrics: createIngestMetrics(app.metrics.registry),
    logger: app.logger.child({ component: 'ingest' }),
    keys: createKeyDirectory(app.config.dataDir, { recheckMs: options.keyRecheckMs }),
    projects: createProjectDirectory(store.database),
    now: Date.now,
    sessionUpdates: app.backend.name === 'clickhouse' ? ('final' as const) : ('replace' as const),
  };
  return {
    name: 'ingestion',
    routes: [...sentryRoutes(deps), ...bulkRoutes(deps)],
    flush: () => queue.drain(),
    async close() {
      await queue.drain();
      embedded?.close();
    },
  };
}

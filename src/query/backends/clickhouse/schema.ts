// Creates the database and tables on first use, idempotently (CREATE … IF NOT EXISTS). Single server: MergeTree
// tables `events` and `sessions`. Cluster: shard-local `events_local`/`sessions_local` on every server of the
// cluster plus `Distributed` tables `events`/`sessions` on the query node, sharded by project.
import type { Logger } from '../../../log.ts';
import type { Tables } from './compile.ts';
import { createOnEveryServer, run, shardUrls } from './cluster.ts';
import { sqlIdentifier } from './escape.ts';
import { type ServerFeatures, serverFeatures } from './features.ts';
import type { ClickHouseHttp, Connect } from './http.ts';

export type SchemaOptions = {
  database: string;
  cluster?: string;
  /** Days a row is kept after its timestamp's date; 0 keeps rows forever. */
  retentionDays: number;
  /** HTTP URLs of every server of the cluster; by default derived from system.clusters (see shardUrl). */
  shardUrls?: readonly string[];
  logger?: Logger;
};

export type Schema = {
  version: string;
  /** Quoted names reads and writes go through (the Distributed tables in cluster mode). */
  tables: Tables;
  distributed: boolean;
  /** Servers holding the MergeTree tables and those tables' plain names: where retention applies. */
  storage: { urls: string[]; events: string; sessions: string };
  /** Whether the server expires rows itself (table TTL, ClickHouse ≥ 19.6); otherwise retention.ts drops days. */
  ttl: boolean;
  /** What the server supports (features.ts), from its version. */
  features: ServerFeatures;
};

export type { Connect } from './http.ts';

/** Column order is also the TabSeparated order ingest.ts writes. */
export const EVENT_COLUMNS = [
  ['id', 'String'],
  ['timestamp', 'Int64'],
  ['date', 'Date'],
  ['project_id', 'UInt64'],
  ['event_type', 'String'],
  ['environment', 'Nullable(String)'],
  ['level', 'Nullable(String)'],
  ['message', 'Nullable(String)'],
  ['user', 'Nullable(String)'],
  ['release', 'Nullable(String)'],
  ['transaction', 'Nullable(String)'],
  ['duration', 'Nullable(Float64)'],
  ['status', 'Nullable(String)'],
  ['tag_keys', 'Array(String)'],
  ['tag_values', 'Array(String)'],
] as const;

export const SESSION_COLUMNS = [
  ['id', 'String'],
  ['timestamp', 'Int64'],
  ['date', 'Date'],
  ['project_id', 'UInt64'],
  ['environment', 'Nullable(String)'],
  ['release', 'Nullable(String)'],
  ['user', 'Nullable(String)'],
  ['status', 'String'],
  ['quantity', 'UInt32'],
] as const;

type Columns = typeof EVENT_COLUMNS | typeof SESSION_COLUMNS;

export async function createSchema(
  http: ClickHouseHttp,
  options: SchemaOptions,
  connect: Connect,
): Promise<Schema> {
  const db = sqlIdentifier(options.database);
  const version = (await run(http, 'SELECT version()')).trim();
  const features = serverFeatures(version);
  const ttl = features.ttl;
  const engine = mergeTreeEngine(ttl ? options.retentionDays : 0);
  const extra = aliasColumns(features);
  const tables = {
    events: `${db}.${sqlIdentifier('events')}`,
    sessions: `${db}.${sqlIdentifier('sessions')}`,
  };

  if (!options.cluster) {
    await run(http, `CREATE DATABASE IF NOT EXISTS ${db}`);
    await run(http, createTable(tables.events, EVENT_COLUMNS, engine, extra));
    await run(http, createTable(tables.sessions, SESSION_COLUMNS, engine, extra));
    return {
      version,
      tables,
      distributed: false,
      ttl,
      features,
      storage: { urls: [http.url], events: 'events', sessions: 'sessions' },
    };
  }

  const cluster = options.cluster;
  const local = {
    events: `${db}.${sqlIdentifier('events_local')}`,
    sessions: `${db}.${sqlIdentifier('sessions_local')}`,
  };
  const urls = options.shardUrls ? [...options.shardUrls] : await shardUrls(http, cluster);
  await createOnEveryServer(
    http,
    cluster,
    urls,
    connect,
    [
      `CREATE DATABASE IF NOT EXISTS ${db}`,
      createTable(local.events, EVENT_COLUMNS, engine, extra),
      createTable(local.sessions, SESSION_COLUMNS, engine, extra),
    ],
    options.logger,
  );
  await run(http, `CREATE DATABASE IF NOT EXISTS ${db}`);
  await run(
    http,
    createTable(
      tables.events,
      EVENT_COLUMNS,
      distributedEngine(cluster, options.database, 'events_local'),
      extra,
    ),
  );
  await run(
    http,
    createTable(
      tables.sessions,
      SESSION_COLUMNS,
      distributedEngine(cluster, options.database, 'sessions_local'),
      extra,
    ),
  );
  return {
    version,
    tables,
    distributed: true,
    ttl,
    features,
    storage: { urls, events: 'events_local', sessions: 'sessions_local' },
  };
}

function createTable(name: string, columns: Columns, engine: string, extra: readonly string[]): string {
  const list = [...columns.map(([column, type]) => `${sqlIdentifier(column)} ${type}`), ...extra].join(', ');
  return `CREATE TABLE IF NOT EXISTS ${name} (${list}) ENGINE = ${engine}`;
}

/**
 * Computed, never stored or written: `time`, the millisecond `timestamp` as a DateTime64 for people and
 * dashboards reading the tables. The bot keeps storing and comparing Int64 milliseconds on every release (the
 * same RowBinary rows and one compiled SQL for 18.16 and current servers), so nothing it sends reads `time`.
 */
function aliasColumns(features: ServerFeatures): string[] {
  return features.dateTime64
    ? [`\`time\` DateTime64(3, 'UTC') ALIAS fromUnixTimestamp64Milli(\`timestamp\`, 'UTC')`]
    : [];
}

/**
 * A card reads a few minutes of a few projects: 1,024-row granules (not the default 8,192) keep what a narrow
 * window drags in small, for an index of one mark per 1,024 rows.
 */
function mergeTreeEngine(ttlDays: number): string {
  const ttl = ttlDays > 0 ? ` TTL \`date\` + INTERVAL ${Math.floor(ttlDays)} DAY` : '';
  return `MergeTree() PARTITION BY \`date\` ORDER BY (project_id, \`timestamp\`)${ttl} SETTINGS index_granularity = 1024`;
}

/** Sharded by project: one project's rows live on one shard, so its windows read one server's data. */
function distributedEngine(cluster: string, database: string, table: string): string {
  return `Distributed(${sqlIdentifier(cluster)}, ${sqlIdentifier(database)}, ${sqlIdentifier(table)}, cityHash64(project_id))`;
}

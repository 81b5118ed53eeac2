// Cluster mode's reach beyond the query node: which servers a cluster has (system.clusters) and running the
// shard-local DDL on each of them.
import type { Logger } from '../../../log.ts';
import { sqlIdentifier, sqlString } from './escape.ts';
import type { ClickHouseHttp, Connect } from './http.ts';

const DDL_TIMEOUT_MS = 30_000;

/** A DDL or metadata statement: these may take longer than a card's query. */
export function run(http: ClickHouseHttp, sql: string): Promise<string> {
  return http.query(sql, { signal: AbortSignal.timeout(DDL_TIMEOUT_MS) });
}

/**
 * ON CLUSTER needs the server's distributed DDL queue (ZooKeeper/Keeper), which a plain 18.16 install lacks
 * ("DDL background thread is not initialized"); then the statements go to each server over HTTP instead.
 */
export async function createOnEveryServer(
  http: ClickHouseHttp,
  cluster: string,
  urls: readonly string[],
  connect: Connect,
  statements: readonly string[],
  logger?: Logger,
): Promise<void> {
  try {
    for (const statement of statements) {
      await run(
        http,
        statement.replace(
          /^(CREATE (?:DATABASE|TABLE) IF NOT EXISTS \S+)/,
          `$1 ON CLUSTER ${sqlIdentifier(cluster)}`,
        ),
      );
    }
    return;
  } catch (error) {
    logger?.info(
      { cluster, servers: urls, reason: error instanceof Error ? error.message : String(error) },
      'ON CLUSTER unavailable; creating shard-local tables on each server over HTTP',
    );
  }
  for (const url of urls) {
    const server = connect(url);
    try {
      for (const statement of statements) await run(server, statement);
    } finally {
      await server.close();
    }
  }
}

type ClusterRow = { host_name: string; port: number; is_local: number };

/** The HTTP URL of every server (all replicas of all shards) of a cluster, as system.clusters lists them. */
export async function shardUrls(http: ClickHouseHttp, cluster: string): Promise<string[]> {
  const text = await run(
    http,
    `SELECT host_name, port, is_local FROM system.clusters WHERE cluster = ${sqlString(cluster)} FORMAT JSONEachRow`,
  );
  const rows = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ClusterRow);
  if (rows.length === 0)
    throw new Error(`cluster "${cluster}" is not defined in remote_servers of ${http.url}`);
  const base = new URL(http.url);
  const localTcp = rows.find((row) => Number(row.is_local) === 1)?.port;
  return rows.map((row) =>
    shardUrl(base, row.host_name, Number(row.port), localTcp === undefined ? undefined : Number(localTcp)),
  );
}

/**
 * system.clusters only knows TCP ports. A server's HTTP port is assumed to sit at the same distance from its
 * TCP port as the query node's (8123 vs 9000 by default; 8124 vs 9001 for the local test pair); pass
 * `shardUrls` when servers are laid out otherwise.
 */
export function shardUrl(base: URL, host: string, tcpPort: number, localTcpPort: number | undefined): string {
  const httpPort = Number(base.port || (base.protocol === 'https:' ? 443 : 80));
  const offset = localTcpPort === undefined ? 8123 - 9000 : httpPort - localTcpPort;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `${base.protocol}//${hostPart}:${tcpPort + offset}${base.pathname}`;
}

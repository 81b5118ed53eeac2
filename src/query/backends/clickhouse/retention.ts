// Retention on servers without table TTL (ClickHouse < 19.6, e.g. Debian's 18.16): drops whole day partitions
// older than the retention on every server that stores rows. Newer servers expire rows through the table's TTL.
import { dayOf, sqlIdentifier, sqlString } from './escape.ts';
import type { Connect, Schema } from './schema.ts';

const DAY_MS = 86_400_000;

/** Returns how many partitions were dropped. */
export async function dropExpiredDays(
  schema: Schema,
  database: string,
  retentionDays: number,
  connect: Connect,
  now = Date.now(),
): Promise<number> {
  if (schema.ttl || retentionDays <= 0) return 0;
  // Same boundary as `TTL date + INTERVAL n DAY`: a day expires once it is more than n days old.
  const cutoff = dayOf(now - retentionDays * DAY_MS);
  const tables = [schema.storage.events, schema.storage.sessions];
  let dropped = 0;
  for (const url of schema.storage.urls) {
    const server = connect(url);
    try {
      const text = await server.query(
        `SELECT DISTINCT table, partition_id FROM system.parts WHERE active AND database = ${sqlString(database)}
         AND table IN (${tables.map(sqlString).join(', ')}) AND max_date < toDate(${sqlString(cutoff)})
         FORMAT JSONEachRow`,
        { signal: AbortSignal.timeout(30_000), idempotent: true },
      );
      for (const line of text.split('\n').filter(Boolean)) {
        const { table, partition_id } = JSON.parse(line) as { table: string; partition_id: string };
        await server.query(
          `ALTER TABLE ${sqlIdentifier(database)}.${sqlIdentifier(table)} DROP PARTITION ID ${sqlString(partition_id)}`,
          { signal: AbortSignal.timeout(30_000) },
        );
        dropped++;
      }
    } finally {
      await server.close();
    }
  }
  return dropped;
}

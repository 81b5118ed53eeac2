// Retention on servers without table TTL (ClickHouse < 19.6, e.g. Debian's 18.16): drops whole day partitions
// older than the retention on every server that stores rows. Newer servers expire rows through the table's TTL.
import { dayOf, sqlString } from './escape.ts';
import { onEachPartition } from './partitions.ts';
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
  return onEachPartition(
    schema,
    database,
    { where: `max_date < toDate(${sqlString(cutoff)})` },
    (table, partitionId) => `ALTER TABLE ${table} DROP PARTITION ID ${partitionId}`,
    connect,
    30_000,
  );
}

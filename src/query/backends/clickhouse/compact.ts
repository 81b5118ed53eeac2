// After a bulk load (import, demo): merges each day partition the load wrote into one part, on every server that
// stores rows. Background merges leave several parts per day (a 10M-event load: about six), and a card's read
// opens every part of its day; one part per day made a 10-card message about a quarter faster (bench p50 68 →
// 50 ms at 10M events).
import { sqlString } from './escape.ts';
import { onEachPartition } from './partitions.ts';
import type { Connect, Schema } from './schema.ts';

/** A day partition of ~700k rows merges in well under a second; the whole of a large load may take minutes. */
const OPTIMIZE_TIMEOUT_MS = 600_000;

/** Days as 'YYYY-MM-DD', inclusive. Returns how many partitions were merged. */
export function compactDays(
  schema: Schema,
  database: string,
  days: { from: string; to: string },
  connect: Connect,
): Promise<number> {
  return onEachPartition(
    schema,
    database,
    {
      where: `min_date >= toDate(${sqlString(days.from)}) AND max_date <= toDate(${sqlString(days.to)})`,
      having: 'count() > 1',
    },
    (table, partitionId) => `OPTIMIZE TABLE ${table} PARTITION ID ${partitionId} FINAL`,
    connect,
    OPTIMIZE_TIMEOUT_MS,
  );
}

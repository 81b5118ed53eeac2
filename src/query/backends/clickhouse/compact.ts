// After a bulk load (import, demo): merges each day partition the load wrote into one part, on every server that
// stores rows. Background merges leave several parts per day (a 10M-event load: about six), and a card's read
// opens every part of its day; one part per day made a 10-card message about a quarter faster (bench p50 68 →
// 52 ms at 10M events).
import { sqlIdentifier, sqlString } from './escape.ts';
import type { Connect, Schema } from './schema.ts';

/** A day partition of ~700k rows merges in well under a second; the whole of a large load may take minutes. */
const OPTIMIZE_TIMEOUT_MS = 600_000;

/** Days as 'YYYY-MM-DD', inclusive. Returns how many partitions were merged. */
export async function compactDays(
  schema: Schema,
  database: string,
  days: { from: string; to: string },
  connect: Connect,
): Promise<number> {
  const tables = [schema.storage.events, schema.storage.sessions];
  let merged = 0;
  for (const url of schema.storage.urls) {
    const server = connect(url);
    try {
      const text = await server.query(
        `SELECT table, partition_id FROM system.parts WHERE active AND database = ${sqlString(database)}
         AND table IN (${tables.map(sqlString).join(', ')})
         AND min_date >= toDate(${sqlString(days.from)}) AND max_date <= toDate(${sqlString(days.to)})
         GROUP BY table, partition_id HAVING count() > 1 FORMAT JSONEachRow`,
        { signal: AbortSignal.timeout(30_000), idempotent: true },
      );
      for (const line of text.split('\n').filter(Boolean)) {
        const { table, partition_id } = JSON.parse(line) as { table: string; partition_id: string };
        await server.query(
          `OPTIMIZE TABLE ${sqlIdentifier(database)}.${sqlIdentifier(table)} PARTITION ID ${sqlString(partition_id)} FINAL`,
          { signal: AbortSignal.timeout(OPTIMIZE_TIMEOUT_MS) },
        );
        merged++;
      }
    } finally {
      await server.close();
    }
  }
  return merged;
}

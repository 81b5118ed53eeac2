// Day-partition maintenance (retention, compaction): a statement per selected partition of the event and session
// tables, on every server that stores rows (each shard in cluster mode).
import { sqlIdentifier, sqlString } from './escape.ts';
import type { Connect, Schema } from './schema.ts';

export type PartitionSelection = {
  /** A condition on system.parts columns (min_date, max_date, …), per part. */
  where: string;
  /** A condition on the partition's group of active parts (count(), …). */
  having?: string;
};

/** Runs `statement` for each selected partition; returns how many ran. */
export async function onEachPartition(
  schema: Schema,
  database: string,
  selection: PartitionSelection,
  statement: (table: string, partitionId: string) => string,
  connect: Connect,
  timeoutMs: number,
): Promise<number> {
  const tables = [schema.storage.events, schema.storage.sessions];
  let count = 0;
  for (const url of schema.storage.urls) {
    const server = connect(url);
    try {
      const text = await server.query(
        `SELECT table, partition_id FROM system.parts WHERE active AND database = ${sqlString(database)}
         AND table IN (${tables.map(sqlString).join(', ')}) AND ${selection.where}
         GROUP BY table, partition_id${selection.having ? ` HAVING ${selection.having}` : ''} FORMAT JSONEachRow`,
        { signal: AbortSignal.timeout(30_000), idempotent: true },
      );
      for (const line of text.split('\n').filter(Boolean)) {
        const { table, partition_id } = JSON.parse(line) as { table: string; partition_id: string };
        await server.query(
          statement(`${sqlIdentifier(database)}.${sqlIdentifier(table)}`, sqlString(partition_id)),
          {
            signal: AbortSignal.timeout(timeoutMs),
          },
        );
        count++;
      }
    } finally {
      await server.close();
    }
  }
  return count;
}

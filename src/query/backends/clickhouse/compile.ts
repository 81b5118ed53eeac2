// Compiles a batch of metric queries into ONE ClickHouse statement: a UNION ALL of one SELECT per query (or per
// group of queries that share a scan, see shared-scans.ts), each row tagged with its query's index. Only SQL that
// ClickHouse 18.16 (Debian) and current releases both accept; every value goes through a Literals (literals.ts):
// escaped on 18.16, a bound query parameter where the server has them. Semantics mirror the DuckDB backend
// (src/store/duckdb/sql.ts) exactly.
import {
  type Aggregate,
  type MetricQuery,
  type MetricValue,
  type SeriesQuery,
  valueOverNoRows,
} from '../../model.ts';
import { sharedScans } from '../../shared-scans.ts';
import { sqlInteger } from './escape.ts';
import { compileFilter, type Dataset } from './filter.ts';
import { escapedLiterals, type Literals, type Params } from './literals.ts';

/** Quoted, database-qualified table names the statement reads. */
export type Tables = { events: string; sessions: string };

/** 18.16 answers NULL, not 0, for uniqExact over no non-NULL values; current releases answer 0. */
const UNIQUE_USERS = 'ifNull(uniqExact(`user`), 0)';

/** Sentry counts a transaction as failed unless its status is one of these; no status counts as ok. */
const NOT_FAILED = "('ok', 'cancelled', 'unknown')";

/** The columns any aggregate reads, per table: what a shared scan passes up to its GROUP BY. */
const AGGREGATED_COLUMNS: Record<Dataset, string> = {
  events: '`user`, `duration`, `status`',
  sessions: '`user`, `status`, `quantity`',
};

export type Batch = {
  /** Answers `qi<TAB>v` lines (see decode.ts). */
  sql: string;
  /**
   * Queries read by a shared scan answer only if their window holds a row; absent, their value is the
   * aggregate's value over no rows.
   */
  absent: Map<number, MetricValue>;
  /** Query parameters the statement binds (empty with escaped literals). */
  params: Params;
};

/** The statement for a batch. */
export function compileBatch(
  queries: readonly MetricQuery[],
  tables: Tables,
  literals: Literals = escapedLiterals(),
): Batch {
  if (queries.length === 0) throw new Error('compileBatch needs at least one query');
  const absent = new Map<number, MetricValue>();
  const selects = sharedScans(queries).map((indexes) => {
    if (indexes.length === 1) return compileOne(queries[indexes[0]!]!, indexes[0]!, tables, literals);
    for (const index of indexes) absent.set(index, valueOverNoRows(queries[index]!.aggregate));
    return compileShared(queries, indexes, tables, literals);
  });
  return {
    sql: `${selects.join('\nUNION ALL\n')}\nFORMAT TabSeparated`,
    absent,
    params: literals.params,
  };
}

/** Below ClickHouse's default max_query_size (256 KiB), which a Distributed query's shards apply on their own. */
export const MAX_STATEMENT_BYTES = 200_000;

export type Statement = Batch & {
  count: number;
  /** The batch position of each of the statement's queries, in the statement's own order. */
  indexes: number[];
};

/**
 * The batch as one statement, or — only when that statement would be too long for a shard to parse — as a few
 * statements over consecutive slices of the batch. `literals` makes a fresh Literals per statement.
 */
export function compileStatements(
  queries: readonly MetricQuery[],
  tables: Tables,
  literals: () => Literals = escapedLiterals,
  from = 0,
): Statement[] {
  const batch = compileBatch(queries, tables, literals());
  if (queries.length === 1 || Buffer.byteLength(batch.sql) <= MAX_STATEMENT_BYTES) {
    return [{ count: queries.length, indexes: queries.map((_, index) => from + index), ...batch }];
  }
  const half = Math.ceil(queries.length / 2);
  return [
    ...compileStatements(queries.slice(0, half), tables, literals, from),
    ...compileStatements(queries.slice(half), tables, literals, from + half),
  ];
}

/**
 * The batch as one statement per scan (a query alone, or a cluster of nearby windows sharing one read): for
 * servers where a UNION ALL branch costs more than a statement of its own (features.ts `statementPerScan`).
 */
export function compileScans(
  queries: readonly MetricQuery[],
  tables: Tables,
  literals: () => Literals = escapedLiterals,
): Statement[] {
  return sharedScans(queries).map((indexes) => ({
    count: indexes.length,
    indexes,
    ...compileBatch(
      indexes.map((index) => queries[index]!),
      tables,
      literals(),
    ),
  }));
}

/** Everything but the window: projects, event type, environment and the rule's search. */
function shapeConditions(query: MetricQuery | SeriesQuery, dataset: Dataset, literals: Literals): string[] {
  const where: string[] = [];
  if (query.projectIds.length === 0) where.push('0');
  else where.push(`project_id IN (${query.projectIds.map((id) => literals.integer(id)).join(', ')})`);
  if (dataset === 'events') {
    where.push(`event_type = ${literals.string(query.dataset === 'transactions' ? 'transaction' : 'error')}`);
  }
  if (query.environment !== null)
    where.push(`coalesce(\`environment\` = ${literals.string(query.environment)}, 0)`);
  if (query.filter) where.push(compileFilter(query.filter, dataset, literals));
  return where;
}

/**
 * Half-open window: an event exactly at the start counts, one exactly at the end belongs to the next window.
 * The `date` bounds are redundant with the timestamp ones; they let 18.16 skip whole day partitions.
 */
function windowConditions(start: number, end: number, literals: Literals): string[] {
  return [
    `\`timestamp\` >= ${literals.integer(start)}`,
    `\`timestamp\` < ${literals.integer(end)}`,
    `\`date\` >= ${literals.day(start)}`,
    `\`date\` <= ${literals.day(Math.max(start, end - 1))}`,
  ];
}

function datasetOf(query: Pick<MetricQuery, 'dataset'>): Dataset {
  return query.dataset === 'sessions' ? 'sessions' : 'events';
}

/**
 * One read of the cluster's span: each row joins (arrayJoin) the queries whose window holds it, and the
 * aggregate is grouped by query. The rule's search runs once per row, not once per window.
 */
function compileShared(
  queries: readonly MetricQuery[],
  indexes: readonly number[],
  tables: Tables,
  literals: Literals,
): string {
  const first = queries[indexes[0]!]!;
  const dataset = datasetOf(first);
  const low = Math.min(...indexes.map((index) => queries[index]!.start));
  const high = Math.max(...indexes.map((index) => queries[index]!.end));
  const tags = indexes.map((index) => {
    const { start, end } = queries[index]!;
    return (
      `if(\`timestamp\` >= ${literals.integer(start)} AND \`timestamp\` < ${literals.integer(end)}, ` +
      `[toUInt32(${sqlInteger(index)})], emptyArrayUInt32())`
    );
  });
  const where = [...windowConditions(low, high, literals), ...shapeConditions(first, dataset, literals)];
  const value = aggregateSql(first.aggregate, indexes[0]!, literals);
  const table = dataset === 'sessions' ? tables.sessions : tables.events;
  return (
    `SELECT qi, CAST(${value} AS Nullable(Float64)) AS v FROM (SELECT ${AGGREGATED_COLUMNS[dataset]}, ` +
    `arrayJoin(arrayConcat(${tags.join(', ')})) AS qi FROM ${table} WHERE ${where.join(' AND ')}) GROUP BY qi`
  );
}

/**
 * One series as one statement: the aggregate grouped by interval, `qi<TAB>interval<TAB>v` lines for the intervals
 * that hold rows (decode.ts fills the rest). `qi` is the series' index in the backend batch.
 */
export function compileSeries(
  query: SeriesQuery,
  qi: number,
  tables: Tables,
  literals: Literals = escapedLiterals(),
): { sql: string; params: Params } {
  const dataset = datasetOf(query);
  const where = [
    ...windowConditions(query.start, query.end, literals),
    ...shapeConditions(query, dataset, literals),
  ];
  const value = aggregateSql(query.aggregate, qi, literals);
  const table = dataset === 'sessions' ? tables.sessions : tables.events;
  const interval = `intDiv(\`timestamp\` - ${literals.integer(query.start)}, ${literals.integer(query.intervalMs)})`;
  return {
    sql:
      `SELECT ${sqlInteger(qi)} AS qi, ${interval} AS b, CAST(${value} AS Nullable(Float64)) AS v ` +
      `FROM ${table} WHERE ${where.join(' AND ')} GROUP BY b ORDER BY b FORMAT TabSeparated`,
    params: literals.params,
  };
}

function compileOne(query: MetricQuery, index: number, tables: Tables, literals: Literals): string {
  const dataset = datasetOf(query);
  const where = [
    ...windowConditions(query.start, query.end, literals),
    ...shapeConditions(query, dataset, literals),
  ];
  const value = aggregateSql(query.aggregate, index, literals);
  const table = dataset === 'sessions' ? tables.sessions : tables.events;
  return `SELECT ${index} AS qi, CAST(${value} AS Nullable(Float64)) AS v FROM ${table} WHERE ${where.join(' AND ')}`;
}

/** Every aggregate but the counts is NULL over no rows (DuckDB's answer too), never 0 or nan. */
function aggregateSql(aggregate: Aggregate, index: number, literals: Literals): string {
  switch (aggregate.fn) {
    case 'count':
      return 'count()';
    case 'count_unique':
      return UNIQUE_USERS;
    case 'avg':
      return 'if(count(`duration`) = 0, NULL, avg(`duration`))';
    case 'percentile':
      return percentileSql(aggregate.p, index, literals);
    case 'failure_rate':
      return `if(count() = 0, NULL, countIf(ifNull(\`status\`, 'ok') NOT IN ${NOT_FAILED}) / count())`;
    case 'apdex': {
      const t = literals.number(aggregate.thresholdMs);
      const t4 = literals.number(aggregate.thresholdMs * 4);
      return (
        `if(count() = 0, NULL, (countIf(coalesce(\`duration\` <= ${t}, 0))` +
        ` + countIf(coalesce(\`duration\` > ${t} AND \`duration\` <= ${t4}, 0)) / 2) / count())`
      );
    }
    case 'crash_free_rate':
      // Crash-rate alerts report the crash-*free* rate in percent.
      return aggregate.of === 'sessions'
        ? "if(sum(quantity) = 0, NULL, 100 * (1 - sumIf(quantity, `status` = 'crashed') / sum(quantity)))"
        : `if(${UNIQUE_USERS} = 0, NULL, 100 * (1 - ifNull(uniqExactIf(\`user\`, \`status\` = 'crashed'), 0) / ${UNIQUE_USERS}))`;
  }
}

/**
 * DuckDB's quantile_cont: h = (n − 1)·p, then lo·(1 − d) + hi·d with d = h − ⌊h⌋, between the sorted
 * values at ⌊h⌋ and ⌈h⌉ — in exactly DuckDB's operation order, so both backends round to the same double.
 * ClickHouse's quantileExact does not interpolate, hence the sorted array (groupArray skips NULL durations, as
 * quantile_cont does). `greatest(…, 0)` keeps the unused branch's indexes valid when there are no values.
 */
function percentileSql(p: number, index: number, literals: Literals): string {
  const s = `_sorted${index}`;
  const h = `_rank${index}`;
  const d = `_fraction${index}`;
  const rank = `(greatest(toFloat64(length(${s})) - 1, 0) * ${literals.number(p)} AS ${h})`;
  const lo = `${s}[toUInt64(floor(${h})) + 1]`;
  const hi = `${s}[toUInt64(ceil(${h})) + 1]`;
  return (
    `if(length(arraySort(groupArray(\`duration\`)) AS ${s}) = 0, NULL, ` +
    `${lo} * (1 - (${rank} - floor(${h}) AS ${d})) + ${hi} * ${d})`
  );
}

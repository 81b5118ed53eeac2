// Compiles a batch of metric queries into ONE ClickHouse statement: a UNION ALL of one SELECT per query (or per
// group of queries that share a scan, see shared-scans.ts), each row tagged with its query's index. Only SQL that
// ClickHouse 18.16 (Debian) and current releases both accept; every value goes through a Literals (literals.ts):
// escaped on 18.16, a bound query parameter where the server has them. Semantics mirror the DuckDB backend
// (src/store/duckdb/sql.ts) exactly.
import type { Aggregate, MetricQuery, SeriesQuery } from '../../model.ts';
import { sharedScans } from '../../shared-scans.ts';
import { sqlInteger } from './escape.ts';
import { compileFilter, type Dataset } from './filter.ts';
import { escapedLiterals, type Literals, type Params } from './literals.ts';

/** Quoted, database-qualified table names the statement reads. */
export type Tables = { events: string; sessions: string };

/** Sentry counts a transaction as failed unless its status is one of these; no status counts as ok. */
export const NOT_FAILED = "('ok', 'cancelled', 'unknown')";

export type Batch = {
  /** Answers `qi<TAB>v` lines (see decode.ts). */
  sql: string;
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
  const selects = sharedScans(queries).map((indexes) =>
    indexes.length === 1
      ? compileOne(queries[indexes[0]!]!, indexes[0]!, tables, literals)
      : compileShared(queries, indexes, tables, literals),
  );
  return { sql: `${selects.join('\nUNION ALL\n')}\nFORMAT TabSeparated`, params: literals.params };
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
 * What a shared scan reads — the cluster's span, projects, environment and, when all share it, event type — and
 * what narrows it to one query's rows besides its window: its event type (when they differ) and its search.
 */
export function scanConditions(
  cluster: readonly MetricQuery[],
  literals: Literals,
): { dataset: Dataset; where: string[]; rowsOf(query: MetricQuery): string[] } {
  const first = cluster[0]!;
  const dataset = datasetOf(first);
  const low = Math.min(...cluster.map((query) => query.start));
  const high = Math.max(...cluster.map((query) => query.end));
  const where = windowConditions(low, high, literals);
  if (first.projectIds.length === 0) where.push('0');
  else where.push(`project_id IN (${first.projectIds.map((id) => literals.integer(id)).join(', ')})`);
  if (first.environment !== null)
    where.push(`coalesce(\`environment\` = ${literals.string(first.environment)}, 0)`);
  const oneType = new Set(cluster.map((query) => query.dataset)).size === 1;
  const eventType = (query: MetricQuery) =>
    `event_type = ${literals.string(query.dataset === 'transactions' ? 'transaction' : 'error')}`;
  if (dataset === 'events' && oneType) where.push(eventType(first));
  return {
    dataset,
    where,
    rowsOf: (query) => [
      ...(dataset === 'events' && !oneType ? [eventType(query)] : []),
      ...(query.filter ? [compileFilter(query.filter, dataset, literals)] : []),
    ],
  };
}

/**
 * One read of the cluster's span for every query of the cluster: each query is its aggregate's -If form over
 * the rows of its own window, event type and search, so the shards aggregate and only the states travel; the
 * server computes a search shared by several queries once per block (same expression, same column). One row of
 * values comes out, ARRAY JOINed into `qi<TAB>v` rows beside the other branches.
 */
function compileShared(
  queries: readonly MetricQuery[],
  indexes: readonly number[],
  tables: Tables,
  literals: Literals,
): string {
  const cluster = indexes.map((index) => queries[index]!);
  const { dataset, where, rowsOf } = scanConditions(cluster, literals);
  const values = indexes.map((index) => {
    const query = queries[index]!;
    const condition = [
      `\`timestamp\` >= ${literals.integer(query.start)}`,
      `\`timestamp\` < ${literals.integer(query.end)}`,
      ...rowsOf(query),
    ];
    const rows = `(${condition.join(' AND ')})`;
    const scope: Scope = (fn, args, extra) =>
      `${fn}If(${args ? `${args}, ` : ''}${extra ? `${rows} AND ${extra}` : rows})`;
    return `CAST(${aggregateSql(query.aggregate, index, literals, scope)} AS Nullable(Float64))`;
  });
  const table = dataset === 'sessions' ? tables.sessions : tables.events;
  return (
    `SELECT qi, v FROM (SELECT [${indexes.map((index) => `toUInt32(${sqlInteger(index)})`).join(', ')}] AS qis, ` +
    `[${values.join(', ')}] AS vs FROM ${table} WHERE ${where.join(' AND ')}) ARRAY JOIN qis AS qi, vs AS v`
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

/** An aggregate function over the rows in scope (`fn(args)`), narrowed further by `extra` when given. */
type Scope = (fn: string, args: string, extra?: string) => string;

/** The statement's rows are the query's rows. */
const WHOLE: Scope = (fn, args, extra) =>
  extra ? `${fn}If(${args ? `${args}, ` : ''}${extra})` : `${fn}(${args})`;

/** Every aggregate but the counts is NULL over no rows (DuckDB's answer too), never 0 or nan. */
function aggregateSql(aggregate: Aggregate, index: number, literals: Literals, scope: Scope = WHOLE): string {
  // 18.16 answers NULL, not 0, for uniqExact over no non-NULL values; current releases answer 0.
  const users = (extra?: string) => `ifNull(${scope('uniqExact', '`user`', extra)}, 0)`;
  const rows = scope('count', '');
  switch (aggregate.fn) {
    case 'count':
      return rows;
    case 'count_unique':
      return users();
    case 'avg':
      return `if(${scope('count', '`duration`')} = 0, NULL, ${scope('avg', '`duration`')})`;
    case 'percentile':
      return percentileSql(aggregate.p, index, literals, scope);
    case 'failure_rate':
      return `if(${rows} = 0, NULL, ${scope('count', '', `ifNull(\`status\`, 'ok') NOT IN ${NOT_FAILED}`)} / ${rows})`;
    case 'apdex': {
      const t = literals.number(aggregate.thresholdMs);
      const t4 = literals.number(aggregate.thresholdMs * 4);
      return (
        `if(${rows} = 0, NULL, (${scope('count', '', `coalesce(\`duration\` <= ${t}, 0)`)}` +
        ` + ${scope('count', '', `coalesce(\`duration\` > ${t} AND \`duration\` <= ${t4}, 0)`)} / 2) / ${rows})`
      );
    }
    case 'crash_free_rate': {
      // Crash-rate alerts report the crash-*free* rate in percent.
      const crashed = "`status` = 'crashed'";
      if (aggregate.of === 'sessions') {
        const total = scope('sum', 'quantity');
        return `if(${total} = 0, NULL, 100 * (1 - ${scope('sum', 'quantity', crashed)} / ${total}))`;
      }
      return `if(${users()} = 0, NULL, 100 * (1 - ${users(crashed)} / ${users()}))`;
    }
  }
}

/**
 * DuckDB's quantile_cont (R-7): h = (n − 1)·p, then lo·(1 − d) + hi·d with d = h − ⌊h⌋, between the sorted
 * values at ⌊h⌋ and ⌈h⌉ — in exactly DuckDB's operation order, so both backends round to the same double.
 * ClickHouse's quantileExact does not interpolate, hence the sorted array (groupArray skips NULL durations, as
 * quantile_cont does). `greatest(…, 0)` keeps the unused branch's indexes valid when there are no values.
 */
function percentileSql(p: number, index: number, literals: Literals, scope: Scope): string {
  const s = `_sorted${index}`;
  const h = `_rank${index}`;
  const d = `_fraction${index}`;
  const rank = `(greatest(toFloat64(length(${s})) - 1, 0) * ${literals.number(p)} AS ${h})`;
  const lo = `${s}[toUInt64(floor(${h})) + 1]`;
  const hi = `${s}[toUInt64(ceil(${h})) + 1]`;
  return (
    `if(length(arraySort(${scope('groupArray', '`duration`')}) AS ${s}) = 0, NULL, ` +
    `${lo} * (1 - (${rank} - floor(${h}) AS ${d})) + ${hi} * ${d})`
  );
}

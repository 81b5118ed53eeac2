// Compiles metric queries into DuckDB SQL. Every user value becomes a `$n` parameter: no value is ever
// concatenated into the statement.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Aggregate, Field, Filter, MetricQuery, SeriesQuery } from '../../query/model.ts';
import { sharedScans } from '../../query/shared-scans.ts';

export type Statement = { sql: string; params: DuckDBValue[] };

/** Identifiers are fixed by code, never by input: a column name maps to a quoted column. */
const COLUMNS: Record<string, string> = {
  environment: 'environment',
  level: 'level',
  message: 'message',
  user: '"user"',
  release: '"release"',
  transaction: '"transaction"',
  duration: 'duration',
  status: 'status',
  'event.type': 'event_type',
};

/** Numbered placeholders: fragments are built out of textual order, so `?` would bind the wrong values. */
class Params {
  readonly values: DuckDBValue[] = [];
  add(value: DuckDBValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * One statement for the whole batch: a UNION ALL with the query's index beside each value. Queries that may
 * share a scan (shared-scans.ts) become one pass over their span, their windows a small table joined on time.
 */
export function compileBatch(queries: readonly MetricQuery[]): Statement {
  const params = new Params();
  const parts = sharedScans(queries).map((indexes) =>
    indexes.length === 1
      ? `SELECT ${indexes[0]} AS qi, ${compileOne(queries[indexes[0]!]!, params)} AS v`
      : compileShared(queries, indexes, params),
  );
  return { sql: parts.join('\nUNION ALL\n'), params: params.values };
}

/**
 * One statement for a batch's series: a UNION ALL of one `GROUP BY interval` per series, each row
 * `(qi, interval, value)` with `qi` the series' index in `indexes` order. Only intervals with rows answer.
 */
export function compileSeriesBatch(queries: readonly SeriesQuery[]): Statement {
  const params = new Params();
  const parts = queries.map((query, qi) => {
    const start = params.add(BigInt(query.start));
    const where = [
      `ts >= ${start}`,
      `ts < ${params.add(BigInt(query.end))}`,
      ...shapeConditions(query, params),
    ];
    return `SELECT ${qi} AS qi, (ts - ${start}) // ${params.add(BigInt(query.intervalMs))} AS b,
      ${aggregateSql(query.aggregate, params, 'count(*)')} AS v FROM ${tableOf(query)} WHERE ${where.join(' AND ')} GROUP BY b`;
  });
  return { sql: parts.join('\nUNION ALL\n'), params: params.values };
}

function tableOf(query: Pick<MetricQuery, 'dataset'>): string {
  return query.dataset === 'sessions' ? 'sessions' : 'events';
}

/** Everything but the window: projects, event type, environment and the rule's search. */
function shapeConditions(query: MetricQuery | SeriesQuery, params: Params): string[] {
  const where: string[] = [];
  if (query.projectIds.length === 0) where.push('FALSE');
  else where.push(`project_id IN (${query.projectIds.map((id) => params.add(BigInt(id))).join(', ')})`);
  if (query.dataset !== 'sessions') {
    where.push(`event_type = ${params.add(query.dataset === 'transactions' ? 'transaction' : 'error')}`);
  }
  if (query.environment !== null) where.push(`environment = ${params.add(query.environment)}`);
  if (query.filter) where.push(compileFilter(query.filter, params));
  return where;
}

function compileOne(query: MetricQuery, params: Params): string {
  // Half-open window: an event exactly at the start counts, one exactly at the end belongs to the next window.
  const where = [`ts >= ${params.add(BigInt(query.start))}`, `ts < ${params.add(BigInt(query.end))}`];
  where.push(...shapeConditions(query, params));
  return `(SELECT ${aggregateSql(query.aggregate, params, 'count(*)')} FROM ${tableOf(query)} WHERE ${where.join(' AND ')})`;
}

function compileShared(queries: readonly MetricQuery[], indexes: number[], params: Params): string {
  const first = queries[indexes[0]!]!;
  const windows = indexes
    .map((index) => {
      const query = queries[index]!;
      return `(${index}, ${params.add(BigInt(query.start))}::BIGINT, ${params.add(BigInt(query.end))}::BIGINT)`;
    })
    .join(', ');
  const low = Math.min(...indexes.map((index) => queries[index]!.start));
  const high = Math.max(...indexes.map((index) => queries[index]!.end));
  const where = [
    `ts >= ${params.add(BigInt(low))}`,
    `ts < ${params.add(BigInt(high))}`,
    ...shapeConditions(first, params),
  ];
  // LEFT JOIN keeps windows without rows (a count of 0, an average of nothing); count(r.id) ignores the padding.
  return `SELECT w.qi, ${aggregateSql(first.aggregate, params, 'count(r.id)')} AS v
    FROM (VALUES ${windows}) w(qi, window_start, window_end)
    LEFT JOIN (SELECT * FROM ${tableOf(first)} WHERE ${where.join(' AND ')}) r
      ON r.ts >= w.window_start AND r.ts < w.window_end
    GROUP BY w.qi`;
}

function aggregateSql(aggregate: Aggregate, params: Params, rows: string): string {
  switch (aggregate.fn) {
    case 'count':
      return `${rows}::DOUBLE`;
    case 'count_unique':
      return 'count(DISTINCT "user")::DOUBLE';
    case 'avg':
      return 'avg(duration)';
    case 'percentile':
      return `quantile_cont(duration, ${params.add(aggregate.p)})`;
    case 'failure_rate':
      // Sentry: a transaction fails unless its status is ok, cancelled or unknown; no status counts as ok.
      return `CASE WHEN ${rows} = 0 THEN NULL ELSE
        ${rows} FILTER (WHERE coalesce(status, 'ok') NOT IN ('ok', 'cancelled', 'unknown'))::DOUBLE / ${rows} END`;
    case 'apdex': {
      const t = params.add(aggregate.thresholdMs);
      const t4 = params.add(aggregate.thresholdMs * 4);
      return `CASE WHEN ${rows} = 0 THEN NULL ELSE
        (${rows} FILTER (WHERE duration <= ${t}) + ${rows} FILTER (WHERE duration > ${t} AND duration <= ${t4}) / 2.0)
        / ${rows} END`;
    }
    case 'crash_free_rate':
      // Crash-rate alerts report the crash-*free* rate in percent.
      return aggregate.of === 'sessions'
        ? `CASE WHEN coalesce(sum(quantity), 0) = 0 THEN NULL ELSE
            100 * (1 - coalesce(sum(quantity) FILTER (WHERE status = 'crashed'), 0)::DOUBLE / sum(quantity)) END`
        : `CASE WHEN count(DISTINCT "user") = 0 THEN NULL ELSE
            100 * (1 - count(DISTINCT "user") FILTER (WHERE status = 'crashed')::DOUBLE / count(DISTINCT "user")) END`;
  }
}

function fieldSql(field: Field, params: Params): string {
  if (field.kind === 'tag') return `json_extract_string(tags, ${params.add(`$."${field.name}"`)})`;
  const column = COLUMNS[field.name];
  if (!column) throw new Error(`unknown column ${field.name}`);
  return column;
}

function compileFilter(filter: Filter, params: Params): string {
  switch (filter.type) {
    case 'and':
    case 'or':
      return `(${filter.children.map((child) => compileFilter(child, params)).join(` ${filter.type.toUpperCase()} `)})`;
    default: {
      const term = compileTerm(filter, params);
      // Sentry semantics: a negated term also matches events that lack the field entirely.
      return filter.negated ? `(NOT coalesce(${term}, FALSE))` : `coalesce(${term}, FALSE)`;
    }
  }
}

function compileTerm(filter: Exclude<Filter, { type: 'and' | 'or' }>, params: Params): string {
  switch (filter.type) {
    case 'equals':
      return `(${fieldSql(filter.field, params)} = ${params.add(filter.value)})`;
    case 'in':
      return `(${fieldSql(filter.field, params)} IN (${filter.values.map((value) => params.add(value)).join(', ')}))`;
    case 'wildcard':
      return `(${fieldSql(filter.field, params)} LIKE ${params.add(likePattern(filter.parts))} ESCAPE '\\')`;
    case 'compare': {
      // Tags are strings: compare the ones that read as numbers, as ClickHouse does (toFloat64OrNull).
      const field = fieldSql(filter.field, params);
      const number = filter.field.kind === 'tag' ? `TRY_CAST(${field} AS DOUBLE)` : field;
      return `(${number} ${filter.op} ${params.add(filter.value)})`;
    }
    case 'has': {
      const field = fieldSql(filter.field, params);
      return `(${field} IS NOT NULL AND ${field}::VARCHAR <> '')`;
    }
    case 'text':
      return `(contains(lower(message), ${params.add(filter.value.toLowerCase())}))`;
  }
}

/** Literal parts joined by `%`; LIKE's own wildcards inside a part are escaped. */
export function likePattern(parts: readonly string[]): string {
  return parts.map((part) => part.replace(/[\\%_]/g, (c) => `\\${c}`)).join('%');
}

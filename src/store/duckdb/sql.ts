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
 * share a scan (shared-scans.ts) become one pass over their span.
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
      ${aggregateSql(query.aggregate, params, WHOLE)} AS v FROM ${tableOf(query)} WHERE ${where.join(' AND ')} GROUP BY b`;
  });
  return { sql: parts.join('\nUNION ALL\n'), params: params.values };
}

function tableOf(query: Pick<MetricQuery, 'dataset'>): string {
  return query.dataset === 'sessions' ? 'sessions' : 'events';
}

/** Everything but the window: projects, event type, environment and the rule's search. */
function shapeConditions(query: MetricQuery | SeriesQuery, params: Params): string[] {
  const where = scanConditions(query, params, true);
  if (query.filter) where.push(compileFilter(query.filter, params));
  return where;
}

/** The projects, the event type (when the scan's queries share it) and the environment: what a scan reads. */
function scanConditions(query: MetricQuery | SeriesQuery, params: Params, withEventType: boolean): string[] {
  const where: string[] = [];
  if (query.projectIds.length === 0) where.push('FALSE');
  else where.push(`project_id IN (${query.projectIds.map((id) => params.add(BigInt(id))).join(', ')})`);
  if (withEventType && query.dataset !== 'sessions') {
    where.push(`event_type = ${params.add(query.dataset === 'transactions' ? 'transaction' : 'error')}`);
  }
  if (query.environment !== null) where.push(`environment = ${params.add(query.environment)}`);
  return where;
}

function compileOne(query: MetricQuery, params: Params): string {
  // Half-open window: an event exactly at the start counts, one exactly at the end belongs to the next window.
  const where = [`ts >= ${params.add(BigInt(query.start))}`, `ts < ${params.add(BigInt(query.end))}`];
  where.push(...shapeConditions(query, params));
  return `(SELECT ${aggregateSql(query.aggregate, params, WHOLE)} FROM ${tableOf(query)} WHERE ${where.join(' AND ')})`;
}

/**
 * One pass over the cluster's span for every query of the cluster: each query is its aggregate FILTERed to its
 * own window, event type and search, the searches computed once per row below. One row of values comes out,
 * unnested into `(qi, v)` rows beside the other parts.
 */
function compileShared(queries: readonly MetricQuery[], indexes: number[], params: Params): string {
  const first = queries[indexes[0]!]!;
  const table = tableOf(first);
  const low = Math.min(...indexes.map((index) => queries[index]!.start));
  const high = Math.max(...indexes.map((index) => queries[index]!.end));
  const types = new Set(indexes.map((index) => queries[index]!.dataset));
  const eventType = (query: MetricQuery) => (query.dataset === 'transactions' ? 'transaction' : 'error');
  const where = [
    `ts >= ${params.add(BigInt(low))}`,
    `ts < ${params.add(BigInt(high))}`,
    ...scanConditions(first, params, types.size === 1),
  ];

  // Each distinct search, window and event type is computed once per row below, as a column the aggregates read.
  const columns = new Map<string, { name: string; sql: string }>();
  const column = (key: string, sql: () => string): string => {
    let known = columns.get(key);
    if (!known) {
      known = { name: `c${columns.size}`, sql: sql() };
      columns.set(key, known);
    }
    return known.name;
  };
  const values = indexes.map((index) => {
    const query = queries[index]!;
    const condition = [
      column(`w${query.start}/${query.end}`, () => {
        return `(ts >= ${params.add(BigInt(query.start))} AND ts < ${params.add(BigInt(query.end))})`;
      }),
    ];
    if (table === 'events' && types.size > 1)
      condition.push(column(`t${query.dataset}`, () => `(event_type = ${params.add(eventType(query))})`));
    const filter = query.filter;
    if (filter) condition.push(column(`f${JSON.stringify(filter)}`, () => compileFilter(filter, params)));
    const rows = condition.join(' AND ');
    const scope: Scope = {
      of: (expr, extra) => `${expr} FILTER (WHERE ${rows}${extra ? ` AND ${extra}` : ''})`,
      // count(DISTINCT) costs DuckDB a hash table per aggregate, milliseconds each in a statement of hundreds;
      // list_unique counts the same non-NULL distinct values.
      users: (extra) =>
        `coalesce(list_unique(list("user") FILTER (WHERE ${rows}${extra ? ` AND ${extra}` : ''})), 0)`,
    };
    return `(${aggregateSql(query.aggregate, params, scope)})::DOUBLE`;
  });
  const read = table === 'events' ? '"user", duration, status' : '"user", status, quantity';
  const computed = [...columns.values()].map(({ name, sql }) => `${sql} AS ${name}`);
  return `SELECT unnest([${indexes.join(', ')}]) AS qi, unnest(v) AS v FROM (SELECT [${values.join(', ')}] AS v
    FROM (SELECT ${[read, ...computed].join(', ')} FROM ${table} WHERE ${where.join(' AND ')}))`;
}

/**
 * Aggregates over the rows in scope, narrowed further by `extra` when given: `of` any aggregate expression,
 * `users` the count of distinct users.
 */
type Scope = { of(expr: string, extra?: string): string; users(extra?: string): string };

/** The statement's rows are the query's rows. */
const WHOLE: Scope = {
  of: (expr, extra) => (extra ? `${expr} FILTER (WHERE ${extra})` : expr),
  users: (extra) => WHOLE.of('count(DISTINCT "user")', extra),
};

function aggregateSql(aggregate: Aggregate, params: Params, scope: Scope): string {
  const rows = scope.of('count(*)');
  switch (aggregate.fn) {
    case 'count':
      return `${rows}::DOUBLE`;
    case 'count_unique':
      return `${scope.users()}::DOUBLE`;
    case 'avg':
      return scope.of('avg(duration)');
    case 'percentile':
      return scope.of(`quantile_cont(duration, ${params.add(aggregate.p)})`);
    case 'failure_rate':
      // Sentry: a transaction fails unless its status is ok, cancelled or unknown; no status counts as ok.
      return `CASE WHEN ${rows} = 0 THEN NULL ELSE
        ${scope.of('count(*)', "coalesce(status, 'ok') NOT IN ('ok', 'cancelled', 'unknown')")}::DOUBLE / ${rows} END`;
    case 'apdex': {
      const t = params.add(aggregate.thresholdMs);
      const t4 = params.add(aggregate.thresholdMs * 4);
      return `CASE WHEN ${rows} = 0 THEN NULL ELSE
        (${scope.of('count(*)', `duration <= ${t}`)} + ${scope.of('count(*)', `duration > ${t} AND duration <= ${t4}`)} / 2.0)
        / ${rows} END`;
    }
    case 'crash_free_rate': {
      // Crash-rate alerts report the crash-*free* rate in percent.
      const crashed = "status = 'crashed'";
      if (aggregate.of === 'sessions') {
        const total = scope.of('sum(quantity)');
        return `CASE WHEN coalesce(${total}, 0) = 0 THEN NULL ELSE
            100 * (1 - coalesce(${scope.of('sum(quantity)', crashed)}, 0)::DOUBLE / ${total}) END`;
      }
      const users = scope.users();
      return `CASE WHEN ${users} = 0 THEN NULL ELSE
            100 * (1 - ${scope.users(crashed)}::DOUBLE / ${users}) END`;
    }
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

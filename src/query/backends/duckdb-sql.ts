// Compiles metric queries into DuckDB SQL. Every user value becomes a `$n` parameter: no value is ever
// concatenated into the statement.
import type { DuckDBValue } from '@duckdb/node-api';
import type { Aggregate, Field, Filter, MetricQuery } from '../model.ts';

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

/** One statement for the whole batch: a UNION ALL with the query's index beside each value. */
export function compileBatch(queries: readonly MetricQuery[]): Statement {
  const params = new Params();
  const parts = queries.map((query, index) => `SELECT ${index} AS qi, ${compileOne(query, params)} AS v`);
  return { sql: parts.join('\nUNION ALL\n'), params: params.values };
}

function compileOne(query: MetricQuery, params: Params): string {
  const table = query.dataset === 'sessions' ? 'sessions' : 'events';
  const where: string[] = [];
  if (query.projectIds.length === 0) where.push('FALSE');
  else where.push(`project_id IN (${query.projectIds.map((id) => params.add(BigInt(id))).join(', ')})`);
  // Half-open window: an event exactly at the start counts, one exactly at the end belongs to the next window.
  where.push(`ts >= ${params.add(BigInt(query.start))}`, `ts < ${params.add(BigInt(query.end))}`);
  if (query.dataset !== 'sessions') {
    where.push(`event_type = ${params.add(query.dataset === 'transactions' ? 'transaction' : 'error')}`);
  }
  if (query.environment !== null) where.push(`environment = ${params.add(query.environment)}`);
  if (query.filter) where.push(compileFilter(query.filter, params));
  return `(SELECT ${aggregateSql(query.aggregate, params)} FROM ${table} WHERE ${where.join(' AND ')})`;
}

function aggregateSql(aggregate: Aggregate, params: Params): string {
  switch (aggregate.fn) {
    case 'count':
      return 'count(*)::DOUBLE';
    case 'count_unique':
      return 'count(DISTINCT "user")::DOUBLE';
    case 'avg':
      return 'avg(duration)';
    case 'percentile':
      return `quantile_cont(duration, ${params.add(aggregate.p)})`;
    case 'failure_rate':
      // Sentry: a transaction fails unless its status is ok, cancelled or unknown; no status counts as ok.
      return `CASE WHEN count(*) = 0 THEN NULL ELSE
        count(*) FILTER (WHERE coalesce(status, 'ok') NOT IN ('ok', 'cancelled', 'unknown'))::DOUBLE / count(*) END`;
    case 'apdex': {
      const t = params.add(aggregate.thresholdMs);
      const t4 = params.add(aggregate.thresholdMs * 4);
      return `CASE WHEN count(*) = 0 THEN NULL ELSE
        (count(*) FILTER (WHERE duration <= ${t}) + count(*) FILTER (WHERE duration > ${t} AND duration <= ${t4}) / 2.0)
        / count(*) END`;
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
    case 'compare':
      return `(${fieldSql(filter.field, params)} ${filter.op} ${params.add(filter.value)})`;
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

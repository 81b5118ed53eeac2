// Compiles a batch of metric queries into ONE ClickHouse statement: a UNION ALL of one SELECT per query, each
// tagged with its index. Only SQL that ClickHouse 18.16 (Debian) and current releases both accept; every value
// goes through escape.ts. Semantics mirror the DuckDB backend (duckdb-sql.ts) exactly.
import type { Aggregate, Field, Filter, MetricQuery } from '../../model.ts';
import { sqlDay, sqlInteger, sqlNumber, sqlString } from './escape.ts';

/** Quoted, database-qualified table names the statement reads. */
export type Tables = { events: string; sessions: string };

type Dataset = 'events' | 'sessions';
type FieldSql = { sql: string; numeric: boolean };

const EVENT_COLUMNS: Record<string, FieldSql> = {
  environment: { sql: '`environment`', numeric: false },
  level: { sql: '`level`', numeric: false },
  message: { sql: '`message`', numeric: false },
  user: { sql: '`user`', numeric: false },
  release: { sql: '`release`', numeric: false },
  transaction: { sql: '`transaction`', numeric: false },
  duration: { sql: '`duration`', numeric: true },
  status: { sql: '`status`', numeric: false },
  'event.type': { sql: '`event_type`', numeric: false },
};
const SESSION_COLUMNS: Record<string, FieldSql> = {
  environment: { sql: '`environment`', numeric: false },
  release: { sql: '`release`', numeric: false },
  user: { sql: '`user`', numeric: false },
  status: { sql: '`status`', numeric: false },
};
// A field the table lacks reads as missing, like an absent tag: negated terms match, the others do not.
const MISSING: FieldSql = { sql: 'CAST(NULL AS Nullable(String))', numeric: false };

/** 18.16 answers NULL, not 0, for uniqExact over no non-NULL values; current releases answer 0. */
const UNIQUE_USERS = 'ifNull(uniqExact(`user`), 0)';

/** Sentry counts a transaction as failed unless its status is one of these; no status counts as ok. */
const NOT_FAILED = "('ok', 'cancelled', 'unknown')";

/** The statement for a batch; its answer is `qi<TAB>v` lines (see decode.ts). */
export function compileBatch(queries: readonly MetricQuery[], tables: Tables): string {
  if (queries.length === 0) throw new Error('compileBatch needs at least one query');
  const selects = queries.map((query, index) => compileOne(query, index, tables));
  return `${selects.join('\nUNION ALL\n')}\nFORMAT TabSeparated`;
}

function compileOne(query: MetricQuery, index: number, tables: Tables): string {
  const dataset: Dataset = query.dataset === 'sessions' ? 'sessions' : 'events';
  const where: string[] = [];
  if (query.projectIds.length === 0) where.push('0');
  else where.push(`project_id IN (${query.projectIds.map(sqlInteger).join(', ')})`);
  // Half-open window: an event exactly at the start counts, one exactly at the end belongs to the next window.
  // The `date` bounds are redundant with the timestamp ones; they let 18.16 skip whole day partitions.
  where.push(
    `\`timestamp\` >= ${sqlInteger(query.start)}`,
    `\`timestamp\` < ${sqlInteger(query.end)}`,
    `\`date\` >= ${sqlDay(query.start)}`,
    `\`date\` <= ${sqlDay(Math.max(query.start, query.end - 1))}`,
  );
  if (dataset === 'events') {
    where.push(`event_type = ${sqlString(query.dataset === 'transactions' ? 'transaction' : 'error')}`);
  }
  if (query.environment !== null)
    where.push(`coalesce(\`environment\` = ${sqlString(query.environment)}, 0)`);
  if (query.filter) where.push(compileFilter(query.filter, dataset));
  const value = aggregateSql(query.aggregate, index);
  const table = dataset === 'sessions' ? tables.sessions : tables.events;
  return `SELECT ${index} AS qi, CAST(${value} AS Nullable(Float64)) AS v FROM ${table} WHERE ${where.join(' AND ')}`;
}

/** Every aggregate but the counts is NULL over no rows (DuckDB's answer too), never 0 or nan. */
function aggregateSql(aggregate: Aggregate, index: number): string {
  switch (aggregate.fn) {
    case 'count':
      return 'count()';
    case 'count_unique':
      return UNIQUE_USERS;
    case 'avg':
      return 'if(count(`duration`) = 0, NULL, avg(`duration`))';
    case 'percentile':
      return percentileSql(aggregate.p, index);
    case 'failure_rate':
      return `if(count() = 0, NULL, countIf(ifNull(\`status\`, 'ok') NOT IN ${NOT_FAILED}) / count())`;
    case 'apdex': {
      const t = sqlNumber(aggregate.thresholdMs);
      const t4 = sqlNumber(aggregate.thresholdMs * 4);
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
function percentileSql(p: number, index: number): string {
  const s = `_sorted${index}`;
  const h = `_rank${index}`;
  const d = `_fraction${index}`;
  const rank = `(greatest(toFloat64(length(${s})) - 1, 0) * ${sqlNumber(p)} AS ${h})`;
  const lo = `${s}[toUInt64(floor(${h})) + 1]`;
  const hi = `${s}[toUInt64(ceil(${h})) + 1]`;
  return (
    `if(length(arraySort(groupArray(\`duration\`)) AS ${s}) = 0, NULL, ` +
    `${lo} * (1 - (${rank} - floor(${h}) AS ${d})) + ${hi} * ${d})`
  );
}

function fieldSql(field: Field, dataset: Dataset): FieldSql {
  if (field.kind === 'tag') {
    if (dataset === 'sessions') return MISSING;
    const key = sqlString(field.name);
    // A missing tag is NULL, not '', so `has:` and negation treat it as absent.
    return { sql: `if(has(tag_keys, ${key}), tag_values[indexOf(tag_keys, ${key})], NULL)`, numeric: false };
  }
  return (dataset === 'sessions' ? SESSION_COLUMNS : EVENT_COLUMNS)[field.name] ?? MISSING;
}

/**
 * Every leaf is coalesced to 0/1: 18.16's AND/OR return NULL when any argument is NULL (no three-valued logic),
 * and a negated term must match rows that lack the field (Sentry: `!transaction:/health*` keeps events without one).
 */
export function compileFilter(filter: Filter, dataset: Dataset): string {
  switch (filter.type) {
    case 'and':
    case 'or': {
      if (filter.children.length === 0) return filter.type === 'and' ? '1' : '0';
      const joiner = filter.type === 'and' ? ' AND ' : ' OR ';
      return `(${filter.children.map((child) => compileFilter(child, dataset)).join(joiner)})`;
    }
    default: {
      const term = termSql(filter, dataset);
      return filter.negated ? `(NOT coalesce(${term}, 0))` : `coalesce(${term}, 0)`;
    }
  }
}

function termSql(filter: Exclude<Filter, { type: 'and' | 'or' }>, dataset: Dataset): string {
  switch (filter.type) {
    case 'equals':
      return equalsSql(fieldSql(filter.field, dataset), filter.value);
    case 'in': {
      const field = fieldSql(filter.field, dataset);
      if (filter.values.length === 0) return '0';
      if (field.numeric) return `(${filter.values.map((value) => equalsSql(field, value)).join(' OR ')})`;
      return `(${field.sql} IN (${filter.values.map(sqlString).join(', ')}))`;
    }
    case 'wildcard': {
      const field = fieldSql(filter.field, dataset);
      const text = field.numeric ? `toString(${field.sql})` : field.sql;
      return `(${text} LIKE ${sqlString(likePattern(filter.parts))})`;
    }
    case 'compare': {
      const field = fieldSql(filter.field, dataset);
      const number = field.numeric ? field.sql : `toFloat64OrNull(${field.sql})`;
      return `(${number} ${filter.op} ${sqlNumber(filter.value)})`;
    }
    case 'has': {
      const field = fieldSql(filter.field, dataset);
      return field.numeric
        ? `(${field.sql} IS NOT NULL)`
        : `(${field.sql} IS NOT NULL AND ${field.sql} != '')`;
    }
    case 'text': {
      const message = dataset === 'sessions' ? MISSING.sql : '`message`';
      // Lower-cased on both sides like DuckDB's contains(lower(message), lower(value)).
      return `(position(lowerUTF8(${message}), ${sqlString(filter.value.toLowerCase())}) > 0)`;
    }
  }
}

function equalsSql(field: FieldSql, value: string): string {
  if (!field.numeric) return `(${field.sql} = ${sqlString(value)})`;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(number) ? `(${field.sql} = ${sqlNumber(number)})` : '0';
}

/**
 * Literal parts joined by `%`; LIKE's own wildcards and its escape character are escaped inside a part.
 * (ClickHouse's LIKE always treats `\` as the escape character; the string literal escapes it once more.)
 */
export function likePattern(parts: readonly string[]): string {
  return parts.map((part) => part.replace(/[\\%_]/g, (c) => `\\${c}`)).join('%');
}

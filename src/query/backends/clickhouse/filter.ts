// Compiles a rule's search (the backend-neutral Filter) into a ClickHouse condition with Sentry's semantics,
// exactly as the DuckDB backend does. Values go through a Literals (literals.ts) only.
import type { Field, Filter } from '../../model.ts';
import type { Literals } from './literals.ts';

export type Dataset = 'events' | 'sessions';
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

function fieldSql(field: Field, dataset: Dataset, literals: Literals): FieldSql {
  if (field.kind === 'tag') {
    if (dataset === 'sessions') return MISSING;
    const key = literals.string(field.name);
    // A missing tag is NULL, not '', so `has:` and negation treat it as absent.
    return { sql: `if(has(tag_keys, ${key}), tag_values[indexOf(tag_keys, ${key})], NULL)`, numeric: false };
  }
  return (dataset === 'sessions' ? SESSION_COLUMNS : EVENT_COLUMNS)[field.name] ?? MISSING;
}

/**
 * Every leaf is coalesced to 0/1: 18.16's AND/OR return NULL when any argument is NULL (no three-valued logic),
 * and a negated term must match rows that lack the field (Sentry: `!transaction:/health*` keeps events without one).
 */
export function compileFilter(filter: Filter, dataset: Dataset, literals: Literals): string {
  switch (filter.type) {
    case 'and':
    case 'or': {
      if (filter.children.length === 0) return filter.type === 'and' ? '1' : '0';
      const joiner = filter.type === 'and' ? ' AND ' : ' OR ';
      return `(${filter.children.map((child) => compileFilter(child, dataset, literals)).join(joiner)})`;
    }
    default: {
      const term = termSql(filter, dataset, literals);
      return filter.negated ? `(NOT coalesce(${term}, 0))` : `coalesce(${term}, 0)`;
    }
  }
}

function termSql(
  filter: Exclude<Filter, { type: 'and' | 'or' }>,
  dataset: Dataset,
  literals: Literals,
): string {
  switch (filter.type) {
    case 'equals':
      return equalsSql(fieldSql(filter.field, dataset, literals), filter.value, literals);
    case 'in': {
      const field = fieldSql(filter.field, dataset, literals);
      if (filter.values.length === 0) return '0';
      if (field.numeric)
        return `(${filter.values.map((value) => equalsSql(field, value, literals)).join(' OR ')})`;
      return `(${field.sql} IN (${filter.values.map((value) => literals.string(value)).join(', ')}))`;
    }
    case 'wildcard': {
      const field = fieldSql(filter.field, dataset, literals);
      const text = field.numeric ? `toString(${field.sql})` : field.sql;
      return `(${text} LIKE ${literals.string(likePattern(filter.parts))})`;
    }
    case 'compare': {
      const field = fieldSql(filter.field, dataset, literals);
      const number = field.numeric ? field.sql : `toFloat64OrNull(${field.sql})`;
      return `(${number} ${filter.op} ${literals.number(filter.value)})`;
    }
    case 'has': {
      const field = fieldSql(filter.field, dataset, literals);
      return field.numeric
        ? `(${field.sql} IS NOT NULL)`
        : `(${field.sql} IS NOT NULL AND ${field.sql} != '')`;
    }
    case 'text': {
      const message = dataset === 'sessions' ? MISSING.sql : '`message`';
      // Lower-cased on both sides like DuckDB's contains(lower(message), lower(value)).
      return `(position(lowerUTF8(${message}), ${literals.string(filter.value.toLowerCase())}) > 0)`;
    }
  }
}

function equalsSql(field: FieldSql, value: string, literals: Literals): string {
  if (!field.numeric) return `(${field.sql} = ${literals.string(value)})`;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(number) ? `(${field.sql} = ${literals.number(number)})` : '0';
}

/**
 * Literal parts joined by `%`; LIKE's own wildcards and its escape character are escaped inside a part.
 * (ClickHouse's LIKE always treats `\` as the escape character; the string literal escapes it once more.)
 */
export function likePattern(parts: readonly string[]): string {
  return parts.map((part) => part.replace(/[\\%_]/g, (c) => `\\${c}`)).join('%');
}

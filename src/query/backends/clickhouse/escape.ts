// The one audited place where values become ClickHouse SQL text. ClickHouse 18.16 has no server-side query
// parameters, so every value that reaches a statement passes through these functions; nothing else may splice a
// value into SQL. test/query/backends/clickhouse-escape.test.ts fuzzes them against a live server.

/**
 * ClickHouse reads `\\`, `\'` and `\xHH` inside single quotes on every release since 18.16. Quote and backslash
 * must be escaped for the literal to end where we say; control characters are escaped so a statement stays one
 * readable line in logs and no byte (NUL included) is left for a parser to interpret.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is this regex's job.
const STRING_SPECIALS = /[\\'\u0000-\u001f\u007f]/g;

function escapeChar(char: string): string {
  if (char === '\\') return '\\\\';
  if (char === "'") return "\\'";
  return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/** A string literal: `it's` → `'it\'s'`. Lone UTF-16 surrogates reach the server as U+FFFD (UTF-8 cannot carry them). */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`expected a string, got ${typeof value}`);
  return `'${value.replace(STRING_SPECIALS, escapeChar)}'`;
}

const MIN_NORMAL = 2.2250738585072014e-308; // 2^-1022

/**
 * A Float64 numeric literal; negative values are parenthesized so `x - -1` cannot become `x --1`. 18.16's parser
 * rejects subnormal literals (its strtod reports underflow), so those are written as an exact product instead.
 */
export function sqlNumber(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new TypeError(`expected a finite number, got ${value}`);
  if (value !== 0 && Math.abs(value) < MIN_NORMAL)
    return `(${String(value / MIN_NORMAL)} * ${String(MIN_NORMAL)})`;
  const text = String(value === 0 ? 0 : value);
  return value < 0 ? `(${text})` : text;
}

/** An integer literal (ids, epoch milliseconds). */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`expected a safe integer, got ${value}`);
  return sqlNumber(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Database, table, cluster and column names are plain identifiers, never free text. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`"${name}" is not a plain identifier`);
  return `\`${name}\``;
}

const DAY_MS = 86_400_000;
/** ClickHouse's Date covers 1970-01-01 … 2105; times outside are clamped into it for partitioning only. */
const MAX_DAY = 49_672; // 2105-12-31

/** The UTC day of an epoch-millisecond time as days since 1970-01-01: what a Date column stores. */
export function dayNumber(ms: number): number {
  return Math.min(MAX_DAY, Math.max(0, Math.floor(ms / DAY_MS)));
}

/** The UTC day of an epoch-millisecond time, as a Date column value: 'YYYY-MM-DD'. */
export function dayOf(ms: number): string {
  return new Date(dayNumber(ms) * DAY_MS).toISOString().slice(0, 10);
}

/** A Date literal for the UTC day of an epoch-millisecond time. */
export function sqlDay(ms: number): string {
  return `toDate(${sqlString(dayOf(ms))})`;
}

// An alerting tick's cluster of windows as one GROUP BY over fixed time buckets: each column is a measure (a count,
// a sum, the durations or users of a bucket) of one search and event type, and each query's value is combined in
// JS from the buckets its window covers. ClickHouse 18.16 spends ~2.6 ms analysing one query's -If aggregates —
// not reading its rows — so a tick of 10,000 rules cost 20 s as -If columns; a tick asks the same few measures
// over many windows, and bucketed, a statement's size follows its searches instead of its rules.
import type { Aggregate, MetricQuery, MetricValue } from '../../model.ts';
import { sharedScans } from '../../shared-scans.ts';
import { NOT_FAILED, scanConditions, type Tables } from './compile.ts';
import { ClickHouseError } from './http.ts';
import type { Literals, Params } from './literals.ts';

/**
 * Below this many queries a cluster is read as -If columns (compile.ts): a card's few windows stay one UNION ALL
 * statement (one round trip), and a GROUP BY pays off only once many windows share its measures.
 */
const MIN_QUERIES = 16;
/** A day of minutes: windows aligned to a coarser step than their span allows are not a tick's. */
const MAX_BUCKETS = 1_440;

export type BucketScan = {
  sql: string;
  params: Params;
  /** The batch positions of the scan's queries. */
  indexes: number[];
  /** The statement's answer (JSONCompact) as one value per index, in `indexes` order. */
  decode(text: string): MetricValue[];
};

/** The batch's clusters that read as bucket scans, and the positions of every other query. */
export function bucketScans(
  queries: readonly MetricQuery[],
  tables: Tables,
  literals: () => Literals,
): { scans: BucketScan[]; rest: number[] } {
  const scans: BucketScan[] = [];
  const rest: number[] = [];
  for (const cluster of sharedScans(queries)) {
    const step = cluster.length >= MIN_QUERIES ? bucketStep(cluster.map((index) => queries[index]!)) : null;
    if (step === null) rest.push(...cluster);
    else scans.push(compileBucketScan(queries, cluster, step, tables, literals()));
  }
  return { scans, rest };
}

/** The coarsest step every window boundary is a multiple of, when the span has at most MAX_BUCKETS of them. */
function bucketStep(queries: readonly MetricQuery[]): number | null {
  let step = 0;
  for (const query of queries) step = gcd(gcd(step, query.start), query.end);
  if (step <= 0) return null;
  const low = Math.min(...queries.map((query) => query.start));
  const high = Math.max(...queries.map((query) => query.end));
  return (high - low) / step <= MAX_BUCKETS ? step : null;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return Math.abs(a);
}

type MeasureKind = 'sum' | 'values' | 'distinct';
type Measure = { kind: MeasureKind; sql: string };

/** A query's value from the sums, values and distinct users of the buckets in its window. */
type Combine = (window: BucketWindow) => MetricValue;
type BucketWindow = {
  sum(measure: number): number;
  values(measure: number): number[];
  distinct(measure: number): number;
};

function compileBucketScan(
  queries: readonly MetricQuery[],
  indexes: number[],
  step: number,
  tables: Tables,
  literals: Literals,
): BucketScan {
  const cluster = indexes.map((index) => queries[index]!);
  const { dataset, where, rowsOf } = scanConditions(cluster, literals);

  // One column per distinct measure: queries that differ only in their window share all of theirs.
  const measures: Measure[] = [];
  const columns = new Map<string, number>();
  const measure = (kind: MeasureKind, sql: string) => {
    let column = columns.get(sql);
    if (column === undefined) {
      column = measures.length;
      measures.push({ kind, sql });
      columns.set(sql, column);
    }
    return column;
  };
  const combines = cluster.map((query) =>
    planValue(query.aggregate, rowsOf(query).join(' AND '), measure, literals),
  );

  const table = dataset === 'sessions' ? tables.sessions : tables.events;
  const sql =
    `SELECT intDiv(\`timestamp\`, ${literals.integer(step)}) AS b, ${measures.map((m) => m.sql).join(', ')} ` +
    `FROM ${table} WHERE ${where.join(' AND ')} GROUP BY b FORMAT JSONCompact`;
  return {
    sql,
    params: literals.params,
    indexes,
    decode: (text) => {
      const buckets = decodeBuckets(text, measures);
      return cluster.map((query, position) =>
        combines[position]!(windowOf(buckets, measures, query.start / step, query.end / step)),
      );
    },
  };
}

/** The measures an aggregate needs, and how its value follows from them; the same arithmetic as compile.ts. */
function planValue(
  aggregate: Aggregate,
  condition: string,
  measure: (kind: MeasureKind, sql: string) => number,
  literals: Literals,
): Combine {
  const and = (extra: string) => (condition ? `${condition} AND ${extra}` : extra);
  const count = (extra?: string) => {
    const where = extra ? and(extra) : condition;
    return measure('sum', where ? `countIf(${where})` : 'count()');
  };
  const sum = (column: string, extra?: string) => {
    const where = extra ? and(extra) : condition;
    return measure('sum', where ? `sumIf(${column}, ${where})` : `sum(${column})`);
  };
  const all = (kind: 'values' | 'distinct', fn: string, column: string, extra?: string) => {
    const where = extra ? and(extra) : condition;
    return measure(kind, where ? `${fn}If(${column}, ${where})` : `${fn}(${column})`);
  };
  switch (aggregate.fn) {
    case 'count': {
      const rows = count();
      return (window) => window.sum(rows);
    }
    case 'count_unique': {
      const users = all('distinct', 'groupUniqArray', '`user`');
      return (window) => window.distinct(users);
    }
    case 'avg': {
      const durations = measure(
        'sum',
        condition ? `countIf(\`duration\`, ${condition})` : 'count(`duration`)',
      );
      const total = sum('`duration`');
      return (window) => {
        const n = window.sum(durations);
        return n === 0 ? null : window.sum(total) / n;
      };
    }
    case 'percentile': {
      const durations = all('values', 'groupArray', '`duration`');
      const p = aggregate.p;
      return (window) => interpolated(window.values(durations), p);
    }
    case 'failure_rate': {
      const rows = count();
      const failed = count(`ifNull(\`status\`, 'ok') NOT IN ${NOT_FAILED}`);
      return (window) => {
        const n = window.sum(rows);
        return n === 0 ? null : window.sum(failed) / n;
      };
    }
    case 'apdex': {
      const t = literals.number(aggregate.thresholdMs);
      const t4 = literals.number(aggregate.thresholdMs * 4);
      const rows = count();
      const satisfied = count(`coalesce(\`duration\` <= ${t}, 0)`);
      const tolerated = count(`coalesce(\`duration\` > ${t} AND \`duration\` <= ${t4}, 0)`);
      return (window) => {
        const n = window.sum(rows);
        return n === 0 ? null : (window.sum(satisfied) + window.sum(tolerated) / 2) / n;
      };
    }
    case 'crash_free_rate': {
      const crashed = "`status` = 'crashed'";
      if (aggregate.of === 'sessions') {
        const total = sum('quantity');
        const crashes = sum('quantity', crashed);
        return (window) => {
          const n = window.sum(total);
          return n === 0 ? null : 100 * (1 - window.sum(crashes) / n);
        };
      }
      const users = all('distinct', 'groupUniqArray', '`user`');
      const crashedUsers = all('distinct', 'groupUniqArray', '`user`', crashed);
      return (window) => {
        const n = window.distinct(users);
        return n === 0 ? null : 100 * (1 - window.distinct(crashedUsers) / n);
      };
    }
  }
}

/** DuckDB's quantile_cont, in the operation order compile.ts's percentileSql uses. */
function interpolated(values: number[], p: number): MetricValue {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(values.length - 1, 0) * p;
  const fraction = rank - Math.floor(rank);
  return sorted[Math.floor(rank)]! * (1 - fraction) + sorted[Math.ceil(rank)]! * fraction;
}

type Bucket = { at: number; cells: unknown[] };

function decodeBuckets(text: string, measures: readonly Measure[]): Bucket[] {
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    throw new ClickHouseError(`expected a JSONCompact answer, got: ${text.slice(0, 200)}`, 'protocol');
  }
  if (!Array.isArray(data))
    throw new ClickHouseError(`no data in the answer: ${text.slice(0, 200)}`, 'protocol');
  return data.map((row) => {
    if (!Array.isArray(row) || row.length !== measures.length + 1) {
      throw new ClickHouseError(`unexpected bucket row: ${JSON.stringify(row).slice(0, 200)}`, 'protocol');
    }
    return { at: Number(row[0]), cells: row.slice(1) };
  });
}

/** The buckets in [from, to) (bucket numbers), combined on demand per measure. */
function windowOf(
  buckets: readonly Bucket[],
  measures: readonly Measure[],
  from: number,
  to: number,
): BucketWindow {
  const inside = buckets.filter((bucket) => bucket.at >= from && bucket.at < to);
  const cells = (column: number, kind: MeasureKind) => {
    if (measures[column]!.kind !== kind) throw new Error(`measure ${column} is not a ${kind}`);
    return inside.map((bucket) => bucket.cells[column]);
  };
  return {
    // UInt64 counts arrive as strings; a Nullable sum over no values as null.
    sum: (column) =>
      cells(column, 'sum').reduce<number>((total, cell) => total + (cell === null ? 0 : Number(cell)), 0),
    values: (column) => cells(column, 'values').flatMap((cell) => cell as number[]),
    distinct: (column) => new Set(cells(column, 'distinct').flatMap((cell) => cell as string[])).size,
  };
}

// Series statements in both dialects: one GROUP BY per series, and no user value ever in the SQL text.
import { describe, expect, it } from 'vitest';
import { compileSeries } from '../../src/query/backends/clickhouse/compile.ts';
import { parameterLiterals } from '../../src/query/backends/clickhouse/literals.ts';
import { compileSeriesBatch } from '../../src/store/duckdb/sql.ts';
import type { SeriesQuery } from '../../src/query/model.ts';

const hostile = "prod'; DROP TABLE events; --";
const series = (environment: string): SeriesQuery => ({
  kind: 'series',
  dataset: 'events',
  aggregate: { fn: 'count' },
  filter: {
    type: 'equals',
    field: { kind: 'tag', name: "browser' OR 1=1" },
    value: "x' OR 1=1 --",
    negated: false,
  },
  projectIds: [1],
  environment,
  start: 0,
  end: 600_000,
  intervalMs: 60_000,
});

const TABLES = { events: 'db.events', sessions: 'db.sessions' };

describe('series SQL', () => {
  it('DuckDB: one grouped part per series, every value a parameter', () => {
    const { sql, params } = compileSeriesBatch([series(hostile), series('staging')]);
    expect(sql.match(/GROUP BY b/g)).toHaveLength(2);
    expect(sql).not.toContain('DROP TABLE');
    expect(sql).not.toContain('1=1');
    expect(params).toContain(hostile);
  });

  it('ClickHouse 18.16: one statement grouped by interval, every value escaped', () => {
    const { sql, params } = compileSeries(series(hostile), 3, TABLES);
    expect(sql).toMatch(/^SELECT 3 AS qi, intDiv\(`timestamp` - 0, 60000\) AS b/);
    expect(sql).toContain('GROUP BY b');
    expect(sql).toContain("'prod\\'; DROP TABLE events; --'");
    expect(sql).not.toContain("x' OR");
    expect(params).toEqual({});
  });

  it('ClickHouse with query parameters: every value bound beside the statement, none in its text', () => {
    const { sql, params } = compileSeries(series(hostile), 3, TABLES, parameterLiterals());
    expect(sql).toMatch(/^SELECT 3 AS qi, intDiv\(`timestamp` - \{p\d+:Int64\}, \{p\d+:Int64\}\) AS b/);
    expect(sql).not.toContain('DROP TABLE');
    expect(sql).not.toContain('1=1');
    expect(Object.values(params)).toEqual(expect.arrayContaining([hostile, "x' OR 1=1 --", 0, 60_000]));
  });
});

import { describe, expect, it } from 'vitest';
import { compileBatch, likePattern } from '../../../src/store/duckdb/sql.ts';
import type { MetricQuery } from '../../../src/query/model.ts';

const query = (start: number, environment: string | null): MetricQuery => ({
  dataset: 'events',
  aggregate: { fn: 'count' },
  filter: {
    type: 'equals',
    field: { kind: 'column', name: 'level' },
    value: "error' OR 1=1 --",
    negated: false,
  },
  projectIds: [1],
  environment,
  start,
  end: start + 600_000,
});

describe('DuckDB batch compilation', () => {
  it('shares one part between queries that differ only in their window', () => {
    const { sql } = compileBatch([query(0, 'production'), query(60_000, 'production'), query(0, 'staging')]);
    expect(sql.split('UNION ALL')).toHaveLength(2);
    expect(sql).toContain('unnest(');
  });

  it('shares one part between queries of one table, projects and environment, whatever they aggregate', () => {
    const transactions: MetricQuery = {
      ...query(120_000, 'production'),
      dataset: 'transactions',
      aggregate: { fn: 'percentile', field: 'duration', p: 0.95 },
      filter: null,
    };
    const users: MetricQuery = {
      ...query(0, 'production'),
      aggregate: { fn: 'count_unique', field: 'user' },
    };
    const { sql } = compileBatch([query(0, 'production'), transactions, users, query(0, 'staging')]);
    expect(sql.split('UNION ALL')).toHaveLength(2);
    // The one search all three share is computed once per row.
    expect(sql.match(/coalesce\(\(level = /g)).toHaveLength(2);
  });

  it('never puts a user value into the SQL text', () => {
    const { sql, params } = compileBatch([query(0, "prod'; DROP TABLE events; --")]);
    expect(sql).not.toContain('DROP TABLE');
    expect(sql).not.toContain('1=1');
    expect(params).toContain("prod'; DROP TABLE events; --");
    expect(params).toContain("error' OR 1=1 --");
  });

  it.each([
    [['', 'pay', ''], '%pay%'],
    [['/health', ''], '/health%'],
    [['100%', '_x\\'], '100\\%%\\_x\\\\'],
  ])('LIKE pattern of %j is %s', (parts, pattern) => {
    expect(likePattern(parts)).toBe(pattern);
  });
});

describe('shared scans stay narrow', () => {
  it('does not share a scan between windows hours apart', () => {
    const { sql } = compileBatch([query(0, 'production'), query(6 * 3_600_000, 'production')]);
    expect(sql.split('UNION ALL')).toHaveLength(2);
    expect(sql).not.toContain('unnest(');
  });

  it('shares one between overlapping windows', () => {
    const { sql } = compileBatch([
      query(0, 'production'),
      query(300_000, 'production'),
      query(9 * 3_600_000, 'production'),
    ]);
    expect(sql.split('UNION ALL')).toHaveLength(2);
    expect(sql).toContain('unnest(');
  });
});

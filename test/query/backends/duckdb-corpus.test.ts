// The DuckDB backend (the default store) against the same corpus and independent evaluator as ClickHouse:
// every aggregate under every filter construct, over rows that hold quotes, LIKE metacharacters, mixed case
// and unicode. One batch and one query at a time must both agree with the plain in-memory computation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { createDuckDbBackend } from '../../../src/store/duckdb/backend.ts';
import { type Database, openDatabase } from '../../../src/store/duckdb/database.ts';
import { allCases } from '../../fixtures/clickhouse/cases.ts';
import {
  expectOneBatchMatches,
  expectSameValue,
  expectedValue,
  tickMix,
} from '../../fixtures/clickhouse/reference.ts';
import { eventRows, sessionRows } from '../../fixtures/clickhouse/rows.ts';

const events = eventRows(3_000, 7);
const sessions = sessionRows(1_500, 8);
const cases = allCases();

let database: Database;
let backend: QueryBackend;

beforeAll(async () => {
  const opened = await openDatabase(':memory:');
  if (!opened.ok) throw new Error(opened.reason);
  database = opened.database;
  backend = createDuckDbBackend(database);
  expect(await backend.writeEvents(events)).toBe(events.length);
  expect(await backend.writeSessions(sessions)).toBe(sessions.length);
});
afterAll(() => database.close());

describe('DuckDB metric values equal an independent computation over the same rows', () => {
  it('covers the whole corpus, with cases that tell case-sensitive wildcards from insensitive ones', () => {
    expect(cases.length).toBeGreaterThan(400);
    // The evaluator and the corpus are only a check if some wildcard case depends on letter case.
    const caseSensitive = cases.filter((c) => c.query.filter?.type === 'wildcard');
    const differs = caseSensitive.some((c) => {
      const filter = c.query.filter as Extract<NonNullable<typeof c.query.filter>, { type: 'wildcard' }>;
      const lowered = { ...filter, parts: filter.parts.map((part) => part.toLowerCase()) };
      const raised = { ...filter, parts: filter.parts.map((part) => part.toUpperCase()) };
      return (
        expectedValue({ ...c.query, filter: lowered }, events, sessions) !==
        expectedValue({ ...c.query, filter: raised }, events, sessions)
      );
    });
    expect(differs).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c.query] as const))('%s', async (_name, query) => {
    const [actual] = await backend.runMetrics([query], AbortSignal.timeout(30_000));
    expectSameValue(actual ?? null, expectedValue(query, events, sessions), query);
  });

  it('answers all of them in one batch, each value at its own index', async () => {
    await expectOneBatchMatches(
      backend,
      cases.map((c) => c.query),
      events,
      sessions,
    );
  }, 60_000);

  it("a tick's mix (every case at three windows, two environments) read in shared scans: each value exactly as alone", async () => {
    const queries = tickMix(cases.map((c) => c.query));
    const together = await backend.runMetrics(queries, AbortSignal.timeout(60_000));
    for (const [index, query] of queries.entries()) {
      const [alone] = await backend.runMetrics([query], AbortSignal.timeout(30_000));
      expect(together[index], JSON.stringify(query)).toBe(alone);
    }
  }, 120_000);
});

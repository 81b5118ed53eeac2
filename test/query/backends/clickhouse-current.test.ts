// Compatibility with a current ClickHouse: every statement the backend emits (schema, RowBinary ingestion with its
// upsert check, every aggregate and search-syntax form, shared scans, retention and compaction) runs on ClickHouse
// 26.7 in-process (chdb, its own package under test/clickhouse-current) and gives the answers of the independent
// computation and of DuckDB — the same checks the 18.16 server passes in clickhouse.test.ts and the parity test.
import { allCards, cardValues } from '../../fixtures/card-values.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { createClickHouseBackend } from '../../../src/query/backends/clickhouse.ts';
import { compileStatements } from '../../../src/query/backends/clickhouse/compile.ts';
import { decodeBatch } from '../../../src/query/backends/clickhouse/decode.ts';
import { parameterLiterals } from '../../../src/query/backends/clickhouse/literals.ts';
import { dropExpiredDays } from '../../../src/query/backends/clickhouse/retention.ts';
import { createSchema } from '../../../src/query/backends/clickhouse/schema.ts';
import { type MetricQuery, type SeriesQuery, seriesLength } from '../../../src/query/model.ts';
import { importDataset } from '../../../src/store/import/import.ts';
import { type ChdbServer, INSTALL_HINT, loadChdb, openChdb } from '../../clickhouse-current/chdb-client.ts';
import { allCases } from '../../fixtures/clickhouse/cases.ts';
import {
  expectOneBatchMatches,
  tickWindows,
  expectSameValue,
  expectedValue,
} from '../../fixtures/clickhouse/reference.ts';
import { eventRows, sessionRows } from '../../fixtures/clickhouse/rows.ts';
import { REQUIRED } from '../../fixtures/clickhouse/servers.ts';
import { metricDataset, NOW } from '../../fixtures/metric-dataset.ts';
import { createTestApp, type TestApp } from '../../support/test-app.ts';

const chdb = loadChdb();
const database = 'incident_cards_current';
const events = eventRows(3_000, 7);
const sessions = sessionRows(1_500, 8);
const cases = allCases();
/** Extra rows go to a day no case reads, so the independent computation over `events` stays exact. */
const ASIDE = Date.UTC(2026, 10, 1, 12);

const name = 'ClickHouse 26.7 (chdb): the statements the backend sends';
if (chdb === null) {
  const reason = `ClickHouse 26.7 (chdb) is not installed; install it with: ${INSTALL_HINT}`;
  if (REQUIRED) {
    describe(name, () => {
      it('needs chdb (CLICKHOUSE_TESTS=required)', () => {
        throw new Error(reason);
      });
    });
  } else {
    console.warn(`skipping "${name}": ${reason}`);
  }
} else {
  describe(name, () => {
    let server: ChdbServer;
    let backend: QueryBackend;

    beforeAll(async () => {
      server = await openChdb(chdb);
      backend = await createClickHouseBackend({
        url: 'chdb://in-process',
        database,
        timeoutMs: 10_000,
        connect: server.connect,
      });
    });

    afterAll(async () => {
      await backend?.close();
      await server?.close();
    });

    it('is a current release', async () => {
      const version = (await server.sql('SELECT version()')).trim();
      expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(24);
    });

    it('creates both tables partitioned by day, ordered by project and time, with a table TTL', async () => {
      const tables = await server.sql(
        `SELECT name, engine, engine_full FROM system.tables WHERE database = '${database}' ORDER BY name`,
      );
      expect(tables).toMatch(/^events\tMergeTree\t/m);
      expect(tables).toMatch(/^sessions\tMergeTree\t/m);
      expect(tables).toMatch(/PARTITION BY date/);
      expect(tables).toMatch(/ORDER BY \(project_id, timestamp\)/);
      expect(tables).toMatch(/TTL date \+ toIntervalDay\(90\)/);
    });

    it('detects what 26.7 offers: TTL, query parameters, DateTime64', async () => {
      const schema = await createSchema(
        server.connect('chdb://in-process'),
        { database, retentionDays: 90 },
        server.connect,
      );
      expect(schema.features).toMatchObject({
        ttl: true,
        parameters: true,
        dateTime64: true,
        statementPerScan: true,
      });
      const time = await server.sql(
        `SELECT type, default_kind FROM system.columns WHERE database = '${database}' AND table = 'events' AND name = 'time'`,
      );
      expect(time.trim()).toBe("DateTime64(3, \\'UTC\\')\tALIAS");
    });

    it('writes RowBinary rows and upserts by id through the external-table check', async () => {
      expect(await backend.writeEvents(events)).toBe(events.length);
      expect(await backend.writeSessions(sessions)).toBe(sessions.length);
      expect(await backend.writeEvents(events.slice(0, 100))).toBe(0);
      const row = { ...events[20]!, id: 'dup-in-batch', timestamp: ASIDE };
      expect(await backend.writeEvents([...events.slice(0, 15), row, { ...row }])).toBe(1);
      expect(await backend.countEvents()).toBe(events.length + 1);
      // The upsert's id lookup binds its span as parameters; the ids themselves travel as an external table.
      const lookup = server.sent().findLast((statement) => statement.sql.startsWith('SELECT id FROM'));
      expect(lookup?.sql).toMatch(/project_id IN \(\{p\d+:Int64\}/);
      expect(Object.keys(lookup?.params ?? {}).length).toBeGreaterThanOrEqual(5);
      // The DateTime64 alias is the millisecond timestamp, exactly.
      expect(
        (
          await server.sql(
            `SELECT countIf(toUnixTimestamp64Milli(time) != timestamp), count() FROM ${database}.events`,
          )
        ).trim(),
      ).toBe(`0\t${events.length + 1}`);
    });

    const nasty = "quote ' backslash \\ tab \t newline \n nul \u0000 決済 🚀 '); DROP TABLE x; --";

    it('round-trips every character of strings and tags', async () => {
      const row = {
        ...events[0]!,
        id: `nasty-${nasty}`,
        timestamp: ASIDE,
        message: nasty,
        tags: { [nasty]: nasty },
      };
      expect(await backend.writeEvents([row])).toBe(1);
      const stored = await server.sqlBound(
        `SELECT message, tag_keys[1], tag_values[1] FROM ${database}.events WHERE id = {id:String} FORMAT JSONCompact`,
        { id: row.id },
      );
      expect(JSON.parse(stored).data).toEqual([[nasty, nasty, nasty]]);
    });

    it('binds every value of a metric statement as a query parameter, each character exactly', async () => {
      const message = { kind: 'column', name: 'message' } as const;
      const tagged = { kind: 'tag', name: nasty } as const;
      const query: MetricQuery = {
        dataset: events[0]!.eventType === 'transaction' ? 'transactions' : 'events',
        aggregate: { fn: 'count' },
        filter: {
          type: 'and',
          children: [
            { type: 'equals', field: message, value: nasty, negated: false },
            { type: 'equals', field: tagged, value: nasty, negated: false },
            { type: 'text', value: nasty.toUpperCase(), negated: false },
          ],
        },
        projectIds: [events[0]!.projectId],
        environment: events[0]!.environment,
        start: ASIDE,
        end: ASIDE + 1,
      };
      expect(await backend.runMetrics([query], AbortSignal.timeout(10_000))).toEqual([1]);
      const statement = server
        .sent()
        .findLast((sent) => sent.sql.includes('UNION ALL') || sent.sql.includes(' AS qi,'));
      expect(statement?.sql).not.toContain('DROP TABLE');
      expect(statement?.sql).toMatch(/\{p\d+:String\}/);
      expect(Object.values(statement?.params ?? {})).toContain(nasty);
    });

    describe('every aggregate and filter form equals an independent computation', () => {
      it('one query at a time', async () => {
        for (const c of cases) {
          const [actual] = await backend.runMetrics([c.query], AbortSignal.timeout(10_000));
          expectSameValue(actual ?? null, expectedValue(c.query, events, sessions), c.query);
        }
      }, 120_000);

      it('all of them in one batch, each value at its own index', async () => {
        await expectOneBatchMatches(
          backend,
          cases.map((c) => c.query),
          events,
          sessions,
        );
      }, 60_000);

      it("a tick's minute-aligned windows, read as GROUP BYs over minute buckets", async () => {
        const queries = tickWindows(cases.map((c) => c.query));
        const sent = server.sent().length;
        await expectOneBatchMatches(backend, queries, events, sessions);
        expect(
          server
            .sent()
            .slice(sent)
            .filter((s) => s.sql.includes('GROUP BY b FORMAT JSONCompact')).length,
        ).toBeGreaterThan(3);
      }, 60_000);
    });

    it('the one-UNION-ALL form (what 18.16 gets) gives the same values here as one statement per scan', async () => {
      // Two environments: two scans, so the form is a UNION ALL of them.
      const queries = cases.slice(0, 24).map((c, index) => ({
        ...c.query,
        environment: index % 2 === 0 ? null : (c.query.environment ?? 'production'),
      }));
      const tables = { events: `\`${database}\`.\`events\``, sessions: `\`${database}\`.\`sessions\`` };
      const [statement, ...rest] = compileStatements(queries, tables, parameterLiterals);
      expect(rest).toHaveLength(0);
      expect(statement!.sql).toContain('UNION ALL');
      const text = await server
        .connect('chdb://in-process')
        .query(statement!.sql, { params: statement!.params });
      expect(decodeBatch(text, queries.length)).toEqual(
        await backend.runMetrics(queries, AbortSignal.timeout(20_000)),
      );
    }, 60_000);

    it('shared scans: nearby windows of one rule, empty ones answering the value over no rows', async () => {
      const firstEvent = Math.min(...events.map((event) => event.timestamp));
      const byAggregate = new Map(cases.map((c) => [c.query.aggregate.fn + c.query.dataset, c.query]));
      const queries = [...byAggregate.values()].flatMap((query): MetricQuery[] => {
        const length = query.end - query.start;
        const moved = (start: number) => ({ ...query, start, end: start + length });
        const nowhere = firstEvent - 400 * length;
        return [
          query,
          moved(query.start + Math.floor(length / 3)),
          moved(nowhere),
          moved(nowhere + length / 2),
        ];
      });
      const values = await backend.runMetrics(queries, AbortSignal.timeout(20_000));
      for (const [index, query] of queries.entries()) {
        expectSameValue(values[index] ?? null, expectedValue(query, events, sessions), query);
      }
      const emptyUnique = queries.findIndex((q, i) => i % 4 === 2 && q.aggregate.fn === 'count_unique');
      // uniqExact over nothing: NULL on 18.16, 0 on current releases; the backend answers 0 on both.
      if (emptyUnique >= 0) expect(values[emptyUnique]).toBe(0);
    }, 60_000);

    it('chart series: every aggregate and filter form per interval equals the independent computation', async () => {
      // Every case as a series of 7 intervals over its window (the last one cut short), all in one batch
      // beside the cases' own values: the series statements, bound as query parameters, run on 26.7.
      const series = cases.map(
        (c): SeriesQuery => ({
          ...c.query,
          kind: 'series',
          intervalMs: Math.ceil((c.query.end - c.query.start) / 7) + 1,
        }),
      );
      const answers = await backend.runMetrics(
        [...series, ...cases.map((c) => c.query)],
        AbortSignal.timeout(60_000),
      );
      for (const [index, query] of series.entries()) {
        const values = answers[index] as (number | null)[];
        expect(values).toHaveLength(seriesLength(query));
        for (const [k, value] of values.entries()) {
          const start = query.start + k * query.intervalMs;
          const interval: MetricQuery = {
            ...cases[index]!.query,
            start,
            end: Math.min(query.end, start + query.intervalMs),
          };
          expectSameValue(value, expectedValue(interval, events, sessions), interval);
        }
      }
      expect(series.filter((query) => seriesLength(query) === 7).length).toBeGreaterThan(cases.length / 2);
      for (const [index, c] of cases.entries()) {
        expectSameValue(
          answers[series.length + index] as number | null,
          expectedValue(c.query, events, sessions),
          c.query,
        );
      }
    }, 120_000);

    it('compaction merges the day partitions a load wrote', async () => {
      // Within the table's 90-day TTL, so the merge keeps the rows.
      const day = Date.UTC(2026, 10, 10);
      for (const n of [1, 2, 3]) {
        await backend.writeEvents(
          events
            .slice(0, 4)
            .map((event, i) => ({ ...event, id: `compact-${n}-${i}`, timestamp: day + n * 1_000 + i })),
        );
      }
      expect(await backend.compact()).toBeGreaterThanOrEqual(1);
      const parts = await server.sql(
        `SELECT count() FROM system.parts WHERE active AND database = '${database}' AND table = 'events'
         AND partition_id = '20261110'`,
      );
      expect(parts.trim()).toBe('1');
    });

    it('partition-dropping retention (the path for servers without TTL) also runs here', async () => {
      const schema = await createSchema(
        server.connect('chdb://in-process'),
        { database, retentionDays: 0 },
        server.connect,
      );
      const before = await server.sql(`SELECT count() FROM ${database}.events WHERE date >= '2026-11-19'`);
      const now = Date.UTC(2026, 10, 20, 12);
      const dropped = await dropExpiredDays({ ...schema, ttl: false }, database, 1, server.connect, now);
      expect(dropped).toBeGreaterThanOrEqual(2);
      expect(
        (await server.sql(`SELECT count() FROM ${database}.events WHERE date < '2026-11-19'`)).trim(),
      ).toBe('0');
      expect(await server.sql(`SELECT count() FROM ${database}.events WHERE date >= '2026-11-19'`)).toBe(
        before,
      );
    });

    describe('cards: ClickHouse 26.7 = DuckDB for every incident of the aggregate dataset', () => {
      const apps: TestApp[] = [];
      afterAll(async () => {
        for (const app of apps) await app.close();
      });

      it('every aggregate kind', async () => {
        const results = [];
        for (const current of [false, true]) {
          const app = await createTestApp({
            now: () => NOW,
            ...(current && {
              backend: () =>
                createClickHouseBackend({
                  url: 'chdb://in-process',
                  database: `${database}_cards`,
                  timeoutMs: 10_000,
                  connect: server.connect,
                }),
            }),
          });
          apps.push(app);
          const imported = await importDataset(app.store, metricDataset());
          if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
          results.push(cardValues(await allCards(app, ['acme', 'other', 'brief'])));
        }
        const [duckdb, current] = results;
        expect(duckdb!.length).toBeGreaterThanOrEqual(12);
        expect(duckdb!.every((card) => card.error === null)).toBe(true);
        expect(current).toEqual(duckdb);
      }, 120_000);
    });
  });
}

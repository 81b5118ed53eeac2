// The ClickHouse backend against one real server: schema, upserting ingestion, every aggregate and filter
// construct against an independent computation, one HTTP round trip per batch, and isolation of a bad query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { createClickHouseBackend } from '../../../src/query/backends/clickhouse.ts';
import { MAX_STATEMENT_BYTES } from '../../../src/query/backends/clickhouse/compile.ts';
import { createBulkRunner } from '../../../src/query/bulk-runner.ts';
import type { MetricQuery } from '../../../src/query/model.ts';
import { allCases } from '../../fixtures/clickhouse/cases.ts';
import { type TestProxy, startProxy } from '../../fixtures/clickhouse/proxy.ts';
import {
  expectOneBatchMatches,
  expectSameValue,
  expectedValue,
  tickMix,
  tickWindows,
} from '../../fixtures/clickhouse/reference.ts';
import { eventRows, sessionRows } from '../../fixtures/clickhouse/rows.ts';
import {
  CLICKHOUSE_URL,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';

const database = uniqueDatabase('single');
const events = eventRows(3_000, 7);
const sessions = sessionRows(1_500, 8);
const cases = allCases();

await describeWithClickHouse('ClickHouse backend (one server)', [CLICKHOUSE_URL], () => {
  let backend: QueryBackend;
  let proxy: TestProxy;

  beforeAll(async () => {
    proxy = await startProxy(CLICKHOUSE_URL);
    backend = await createClickHouseBackend({ url: proxy.url, database, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await backend?.close();
    await proxy?.close();
    await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
  });

  describe('schema', () => {
    it('creates the database and both tables, partitioned by day and ordered by project and time', async () => {
      const tables = await sql(
        CLICKHOUSE_URL,
        `SELECT name, engine, engine_full FROM system.tables WHERE database = '${database}' ORDER BY name FORMAT TabSeparated`,
      );
      expect(tables).toMatch(/^events\tMergeTree\t/m);
      expect(tables).toMatch(/^sessions\tMergeTree\t/m);
      expect(tables).toMatch(/PARTITION BY date/);
      expect(tables).toMatch(/ORDER BY \(project_id, timestamp\)/);
    });

    it('is idempotent: a second backend on the same database starts cleanly and sees the same tables', async () => {
      const again = await createClickHouseBackend({ url: CLICKHOUSE_URL, database, timeoutMs: 5_000 });
      await expect(again.check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
      await again.close();
    });
  });

  describe('ingestion', () => {
    it('writes events and sessions and reports how many were new', async () => {
      expect(await backend.writeEvents(events)).toBe(events.length);
      expect(await backend.writeSessions(sessions)).toBe(sessions.length);
      expect(await backend.countEvents()).toBe(events.length);
    });

    it('upserts by id: writing the same rows again stores nothing twice', async () => {
      expect(await backend.writeEvents(events)).toBe(0);
      expect(await backend.writeSessions(sessions)).toBe(0);
      expect(await backend.countEvents()).toBe(events.length);
    });

    describe('in a scratch database', () => {
      let scratch: QueryBackend;
      beforeAll(async () => {
        scratch = await createClickHouseBackend({
          url: CLICKHOUSE_URL,
          database: `${database}_scratch`,
          timeoutMs: 5_000,
        });
      });
      afterAll(async () => {
        await scratch?.close();
        await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}_scratch`).catch(() => undefined);
      });

      it('stores only the new rows of a partly known batch, and duplicate ids inside one batch once', async () => {
        expect(await scratch.writeEvents(events.slice(0, 10))).toBe(10);
        const row = { ...events[20]!, id: 'dup-in-batch' };
        expect(await scratch.writeEvents([...events.slice(0, 15), row, { ...row }])).toBe(6);
        expect(await scratch.countEvents()).toBe(16);
      });

      it('skips the id check for rows later than everything stored, and still checks older ones', async () => {
        const watched = await createClickHouseBackend({
          url: proxy.url,
          database: `${database}_scratch`,
          timeoutMs: 5_000,
        });
        try {
          const latest = Math.max(...events.map((event) => event.timestamp));
          const later = events.slice(0, 5).map((event, i) => ({
            ...event,
            id: `later-${i}`,
            timestamp: latest + 86_400_000 + i,
          }));
          const idChecks = () =>
            proxy.log.filter((entry) => entry.body.startsWith('SELECT count() FROM')).length;
          await watched.writeEvents(events.slice(0, 3));
          const before = idChecks();
          expect(await watched.writeEvents(later)).toBe(5);
          expect(idChecks()).toBe(before);
          expect(await watched.writeEvents([...later, { ...events[3]!, id: 'older-and-new' }])).toBe(1);
          expect(idChecks()).toBe(before + 1);
        } finally {
          await watched.close();
        }
      });

      it('compacts the day partitions a load wrote into one part each; a failed compaction loses nothing', async () => {
        const table = `${database}_scratch.events`;
        const activeParts = async () =>
          (
            await sql(
              CLICKHOUSE_URL,
              `SELECT partition_id, count() FROM system.parts WHERE active AND database = '${database}_scratch'
               AND table = 'events' GROUP BY partition_id ORDER BY partition_id FORMAT JSONCompact`,
            ).then((text) => JSON.parse(text).data as [string, string][])
          ).map(([, count]) => Number(count));
        const day = Date.UTC(2026, 0, 10);
        const batch = (n: number) =>
          events
            .slice(0, 4)
            .map((event, i) => ({ ...event, id: `compact-${n}-${i}`, timestamp: day + n * 1_000 + i }));
        await scratch.compact(); // forget what earlier tests wrote
        await sql(CLICKHOUSE_URL, `SYSTEM STOP MERGES ${table}`);
        try {
          for (const n of [1, 2, 3]) await scratch.writeEvents(batch(n));
          expect(Math.max(...(await activeParts()))).toBeGreaterThan(1);
          // Merges stopped: OPTIMIZE is refused, the load keeps its rows and the call still resolves.
          expect(await scratch.compact()).toBe(0);
        } finally {
          await sql(CLICKHOUSE_URL, `SYSTEM START MERGES ${table}`);
        }
        await scratch.writeEvents(batch(4));
        expect(await scratch.compact()).toBeGreaterThanOrEqual(1);
        expect(Math.max(...(await activeParts()))).toBe(1);
        const stored = await sql(
          CLICKHOUSE_URL,
          `SELECT count() FROM ${table} WHERE id LIKE 'compact-%' FORMAT TabSeparated`,
        );
        expect(stored.trim()).toBe('16');
        expect(await scratch.compact()).toBe(0); // nothing loaded since
      });

      it('round-trips every character of strings and tags', async () => {
        const nasty =
          "quote ' backslash \\ tab \t newline \n cr \r nul \u0000 bell \u0007 \\N unicode 決済 🚀 '); DROP TABLE x; --";
        const row = {
          ...events[0]!,
          id: `nasty-${nasty}`,
          message: nasty,
          user: nasty,
          tags: { [nasty.slice(0, 20)]: nasty, plain: '' },
        };
        expect(await scratch.writeEvents([row])).toBe(1);
        expect(await scratch.writeEvents([row])).toBe(0);
        const hex = (text: string) => Buffer.from(text).toString('hex').toUpperCase();
        const stored = await sql(
          CLICKHOUSE_URL,
          `SELECT hex(id), hex(message), hex(user), hex(tag_keys[1]), hex(tag_values[1]), length(tag_values[2])
           FROM ${database}_scratch.events WHERE id = unhex('${hex(row.id)}') FORMAT TabSeparated`,
        );
        expect(stored.trim().split('\t')).toEqual([
          hex(row.id),
          hex(nasty),
          hex(nasty),
          hex(nasty.slice(0, 20)),
          hex(nasty),
          '0',
        ]);
      });

      it('round-trips strings around the binary length-prefix boundaries (127/128 bytes, multi-byte, long)', async () => {
        const strings = {
          id: 'boundary-row',
          message: `${'決済🚀'.repeat(3_000)}end`, // > 16 KiB: a three-byte length
          user: 'u'.repeat(127), // the longest one-byte length
          release: 'é'.repeat(64), // 64 characters but 128 bytes
          transaction: 't'.repeat(128),
        };
        const row = { ...events[0]!, ...strings, tags: { ['k'.repeat(200)]: 'ü'.repeat(100) } };
        expect(await scratch.writeEvents([row, { ...events[1]!, id: 'after-boundary-row' }])).toBe(2);
        const stored = await sql(
          CLICKHOUSE_URL,
          `SELECT message, user, release, transaction, tag_keys[1], tag_values[1]
           FROM ${database}_scratch.events WHERE id = 'boundary-row' FORMAT JSONCompact`,
        );
        expect(JSON.parse(stored).data).toEqual([
          [
            strings.message,
            strings.user,
            strings.release,
            strings.transaction,
            'k'.repeat(200),
            'ü'.repeat(100),
          ],
        ]);
        const after = await sql(
          CLICKHOUSE_URL,
          `SELECT count() FROM ${database}_scratch.events WHERE id = 'after-boundary-row' FORMAT TabSeparated`,
        );
        expect(after.trim()).toBe('1');
      });
    });
  });

  describe('metric values equal an independent computation over the same rows', () => {
    it.each(cases.map((c) => [c.name, c.query] as const))('%s', async (_name, query) => {
      const [actual] = await backend.runMetrics([query], AbortSignal.timeout(5_000));
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
  });

  describe('batching', () => {
    it('reads the nearby windows of one table, projects and environment once, and each query (empty windows too) keeps its own value', async () => {
      const firstEvent = Math.min(...events.map((event) => event.timestamp));
      const byAggregate = new Map(cases.map((c) => [c.query.aggregate.fn + c.query.dataset, c.query]));
      const queries = [...byAggregate.values()].flatMap((query): MetricQuery[] => {
        const length = query.end - query.start;
        const moved = (start: number) => ({ ...query, start, end: start + length });
        const nowhere = firstEvent - 400 * length; // nothing stored there
        return [
          query,
          moved(query.start + Math.floor(length / 3)),
          moved(nowhere),
          moved(nowhere + length / 2),
        ];
      });
      const logged = proxy.log.length;
      const values = await backend.runMetrics(queries, AbortSignal.timeout(10_000));
      const statement = decodeURIComponent(
        proxy.log
          .slice(logged)
          .map((entry) => entry.body)
          .join(''),
      );
      // One read per (table, projects, environment) for the windows near the data, one for those far from it,
      // whatever the aggregate and event type.
      const scans = new Set(
        queries.map((q) => JSON.stringify([q.dataset === 'sessions', q.projectIds, q.environment])),
      );
      expect(statement.match(/ARRAY JOIN qis AS qi|GROUP BY b FORMAT JSONCompact/g)).toHaveLength(
        2 * scans.size,
      );
      expect(statement.match(/FROM \S+ WHERE/g)).toHaveLength(2 * scans.size);
      expect(values.slice(2, 4)).not.toContain(undefined);
      for (const [index, query] of queries.entries()) {
        expectSameValue(values[index] ?? null, expectedValue(query, events, sessions), query);
      }
      const emptyCount = queries.findIndex(
        (query, index) => index % 4 === 2 && query.aggregate.fn === 'count',
      );
      expect(values[emptyCount]).toBe(0);
    });

    it("a tick's mix (cases at three windows, two environments) read in shared scans: each value as alone", async () => {
      const queries = tickMix(cases.slice(0, 120).map((c) => c.query));
      const together = await backend.runMetrics(queries, AbortSignal.timeout(30_000));
      for (const [index, query] of queries.entries()) {
        const [alone] = await backend.runMetrics([query], AbortSignal.timeout(10_000));
        expectSameValue(together[index] ?? null, alone ?? null, query);
      }
    }, 120_000);

    it("a tick's windows, aligned to the minute, read as one GROUP BY per scan: each value as the reference's", async () => {
      const queries = tickWindows(cases.map((c) => c.query));
      const logged = proxy.log.length;
      await expectOneBatchMatches(backend, queries, events, sessions);
      const statements = proxy.log.slice(logged).map((entry) => entry.body);
      expect(statements.filter((sql) => /GROUP BY b FORMAT JSONCompact/.test(sql)).length).toBeGreaterThan(3);
    }, 60_000);

    it('sends a batch of 10 queries in ONE HTTP round trip with a per-query time limit', async () => {
      const before = proxy.requests;
      const batch = cases.slice(0, 10).map((c) => c.query);
      await backend.runMetrics(batch, AbortSignal.timeout(5_000));
      expect(proxy.requests - before).toBe(1);
      expect(proxy.log.at(-1)?.url).toMatch(/max_execution_time=5/);
      expect(proxy.log.at(-1)?.url).toMatch(/wait_end_of_query=1/);
      const statement = proxy.log.at(-1)?.body ?? '';
      expect(statement.match(/FORMAT TabSeparated/g)).toHaveLength(1);
      for (let qi = 0; qi < 10; qi++)
        expect(statement).toMatch(new RegExp(`SELECT ${qi} AS qi|toUInt32\\(${qi}\\)`));
    });

    it('through the bulk runner, a failing query in a batch does not fail its neighbours', async () => {
      proxy.mode = { kind: 'fail-marked', marker: 'poisoned-environment' };
      try {
        const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: 5_000 });
        const good = cases.slice(0, 3).map((c) => c.query);
        const poisoned: MetricQuery = { ...good[0]!, environment: 'poisoned-environment' };
        const unsafe: MetricQuery = { ...good[1]!, projectIds: [2 ** 60] };
        const before = proxy.requests;
        const results = await runner.run([good[0]!, poisoned, good[1]!, unsafe, good[2]!]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true]);
        expect(results[1]).toMatchObject({
          ok: false,
          reason: 'backend',
          detail: expect.stringMatching(/Memory limit/),
        });
        expect(results[3]).toMatchObject({
          ok: false,
          reason: 'backend',
          detail: expect.stringMatching(/safe integer/),
        });
        // The batch failed before it was sent (a project id no SQL literal may carry); then the four
        // compilable queries went one by one.
        expect(proxy.requests - before).toBe(4);
      } finally {
        proxy.mode = { kind: 'pass' };
      }
    });

    it('splits only a batch too long for one statement (shards parse at most 256 KiB), and keeps the order', async () => {
      const before = proxy.requests;
      const values = await backend.runMetrics(
        cases.map((c) => c.query),
        AbortSignal.timeout(60_000),
      );
      const sent = proxy.log.slice(before);
      expect(sent.length).toBeGreaterThan(1);
      expect(sent.length).toBeLessThan(cases.length / 10);
      for (const { body } of sent) expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_STATEMENT_BYTES);
      for (const [index, c] of cases.entries()) {
        expectSameValue(values[index] ?? null, expectedValue(c.query, events, sessions), c.query);
      }
    }, 60_000);

    it('answers an empty batch without a round trip', async () => {
      const before = proxy.requests;
      expect(await backend.runMetrics([], AbortSignal.timeout(1_000))).toEqual([]);
      expect(proxy.requests).toBe(before);
    });
  });
});

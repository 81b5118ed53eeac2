// Cluster mode on the two local servers (cluster `incident_cards_test`): shard-local tables on both servers, a
// Distributed table on the query node, imports through it, and values equal to one server's and to the reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { createClickHouseBackend } from '../../../src/query/backends/clickhouse.ts';
import { shardUrl } from '../../../src/query/backends/clickhouse/cluster.ts';
import { allCases } from '../../fixtures/clickhouse/cases.ts';
import {
  expectOneBatchMatches,
  expectSameValue,
  expectedValue,
  tickWindows,
} from '../../fixtures/clickhouse/reference.ts';
import { eventRows, sessionRows } from '../../fixtures/clickhouse/rows.ts';
import {
  CLICKHOUSE_URL,
  CLICKHOUSE_URL_2,
  CLUSTER,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';

const database = uniqueDatabase('cluster');
// 20,000 ids make the upsert check's statement longer than the server's default 256 KiB query limit.
const events = eventRows(20_000, 31);
const sessions = sessionRows(3_000, 32);
const cases = allCases();

describe('the HTTP URL of a shard listed in system.clusters (which knows only TCP ports)', () => {
  it.each([
    ['http://127.0.0.1:8123', '127.0.0.1', 9001, 9000, 'http://127.0.0.1:8124/'],
    ['http://ch-query:8123/', 'ch-shard-2', 9000, 9000, 'http://ch-shard-2:8123/'],
    ['https://ch.example:8443/proxy/', 'ch-3', 9440, 9440, 'https://ch-3:8443/proxy/'],
    ['http://[::1]:8123', '::1', 9001, undefined, 'http://[::1]:8124/'],
  ] as const)('query node %s, shard %s:%i (local TCP %s) → %s', (base, host, tcp, localTcp, expected) => {
    expect(shardUrl(new URL(base), host, tcp, localTcp)).toBe(expected);
  });
});

await describeWithClickHouse(
  'ClickHouse backend on a two-shard cluster',
  [CLICKHOUSE_URL, CLICKHOUSE_URL_2],
  () => {
    let cluster: QueryBackend;
    let single: QueryBackend;

    beforeAll(async () => {
      cluster = await createClickHouseBackend({
        url: CLICKHOUSE_URL,
        database,
        cluster: CLUSTER,
        timeoutMs: 10_000,
      });
      single = await createClickHouseBackend({
        url: CLICKHOUSE_URL_2,
        database: `${database}_single`,
        timeoutMs: 10_000,
      });
    });

    afterAll(async () => {
      await cluster?.close();
      await single?.close();
      for (const url of [CLICKHOUSE_URL, CLICKHOUSE_URL_2]) {
        await sql(url, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
        await sql(url, `DROP DATABASE IF EXISTS ${database}_single`).catch(() => undefined);
      }
    });

    it('creates shard-local tables on both servers and Distributed tables on the query node', async () => {
      const engines = async (url: string) =>
        (
          await sql(
            url,
            `SELECT name, engine FROM system.tables WHERE database = '${database}' ORDER BY name FORMAT TabSeparated`,
          )
        )
          .trim()
          .split('\n');
      expect(await engines(CLICKHOUSE_URL)).toEqual([
        'events\tDistributed',
        'events_local\tMergeTree',
        'sessions\tDistributed',
        'sessions_local\tMergeTree',
      ]);
      expect(await engines(CLICKHOUSE_URL_2)).toEqual([
        'events_local\tMergeTree',
        'sessions_local\tMergeTree',
      ]);
    });

    it('imports through the Distributed table, spreading projects over both shards, and upserts by id', async () => {
      expect(await cluster.writeEvents(events)).toBe(events.length);
      expect(await cluster.writeSessions(sessions)).toBe(sessions.length);
      expect(await cluster.writeEvents(events)).toBe(0);
      expect(await cluster.writeSessions(sessions)).toBe(0);
      expect(await cluster.countEvents()).toBe(events.length);
      const local = async (url: string) =>
        Number(await sql(url, `SELECT count() FROM ${database}.events_local FORMAT TabSeparated`));
      const [first, second] = [await local(CLICKHOUSE_URL), await local(CLICKHOUSE_URL_2)];
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(0);
      expect(first + second).toBe(events.length);
      // Sharded by project: no project has rows on both servers.
      const projects = async (url: string) =>
        (
          await sql(
            url,
            `SELECT DISTINCT project_id FROM ${database}.events_local ORDER BY project_id FORMAT TabSeparated`,
          )
        )
          .trim()
          .split('\n');
      const onFirst = await projects(CLICKHOUSE_URL);
      for (const project of await projects(CLICKHOUSE_URL_2)) expect(onFirst).not.toContain(project);
    });

    it('compacts the loaded days on every shard, and the answers do not change', async () => {
      // More loads into the same days (a project no case asks about): several parts per day partition.
      for (const slice of [0, 1, 2]) {
        const more = events
          .slice(slice * 500, slice * 500 + 500)
          .map((event) => ({ ...event, id: `more-${event.id}`, projectId: 999_999 }));
        await cluster.writeEvents(more);
      }
      const mostParts = async (url: string) =>
        Number(
          await sql(
            url,
            `SELECT max(parts) FROM (SELECT count() AS parts FROM system.parts WHERE active
             AND database = '${database}' AND table IN ('events_local', 'sessions_local')
             GROUP BY table, partition_id) FORMAT TabSeparated`,
          ),
        );
      expect(Math.max(await mostParts(CLICKHOUSE_URL), await mostParts(CLICKHOUSE_URL_2))).toBeGreaterThan(1);
      const queries = cases.slice(0, 40).map((c) => c.query);
      const before = await cluster.runMetrics(queries, AbortSignal.timeout(60_000));
      expect(await cluster.compact()).toBeGreaterThan(0);
      expect(await mostParts(CLICKHOUSE_URL)).toBe(1);
      expect(await mostParts(CLICKHOUSE_URL_2)).toBe(1);
      expect(await cluster.runMetrics(queries, AbortSignal.timeout(60_000))).toEqual(before);
    }, 60_000);

    it('answers every case with the same values as one server and as the reference', async () => {
      expect(await single.writeEvents(events)).toBe(events.length);
      expect(await single.writeSessions(sessions)).toBe(sessions.length);
      const queries = cases.map((c) => c.query);
      const [fromCluster, fromSingle] = await Promise.all([
        cluster.runMetrics(queries, AbortSignal.timeout(100_000)),
        single.runMetrics(queries, AbortSignal.timeout(100_000)),
      ]);
      for (const [index, c] of cases.entries()) {
        const expected = expectedValue(c.query, events, sessions);
        expectSameValue(fromCluster[index] ?? null, expected, c.query);
        expectSameValue(fromSingle[index] ?? null, expected, c.query);
        expectSameValue(fromCluster[index] ?? null, fromSingle[index] ?? null, c.query);
      }
      // Each of hundreds of cases fans out to both shards: generous on a busy CI machine.
    }, 120_000);

    it("reads a tick's minute-aligned windows as GROUP BYs merged across the shards: each value as the reference's", async () => {
      // Runs after the test above stored the rows.
      await expectOneBatchMatches(cluster, tickWindows(cases.map((c) => c.query)), events, sessions);
    }, 120_000);
  },
);

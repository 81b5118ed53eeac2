// Retention: a table TTL where the server has one (≥ 19.6), whole expired day partitions dropped where it does not
// (Debian's 18.16).
import { afterAll, describe, expect, it } from 'vitest';
import type { EventRow } from '../../../src/query/backend.ts';
import { createClickHouseHttp } from '../../../src/query/backends/clickhouse/http.ts';
import { EVENTS, writeNew } from '../../../src/query/backends/clickhouse/ingest.ts';
import { dropExpiredDays } from '../../../src/query/backends/clickhouse/retention.ts';
import { serverFeatures } from '../../../src/query/backends/clickhouse/features.ts';
import { createSchema } from '../../../src/query/backends/clickhouse/schema.ts';
import {
  CLICKHOUSE_URL,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';

const DAY = 86_400_000;

describe('table TTL support (ClickHouse 19.6 and later)', () => {
  it.each([
    ['18.16.1', false],
    ['19.5.3.8', false],
    ['19.6.2.11', true],
    ['20.3.1', true],
    ['24.8.4.13', true],
  ])('%s → %s', (version, expected) => {
    expect(serverFeatures(version).ttl).toBe(expected);
  });
});

await describeWithClickHouse('ClickHouse retention', [CLICKHOUSE_URL], () => {
  const database = uniqueDatabase('retention');
  const connect = (url: string) => createClickHouseHttp({ url, defaultTimeoutMs: 10_000 });
  const http = connect(CLICKHOUSE_URL);

  afterAll(async () => {
    await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    await http.close();
  });

  it('keeps the last 30 days and drops older days, by TTL or by partition', async () => {
    const schema = await createSchema(http, { database, retentionDays: 30 }, connect);
    const now = Date.UTC(2026, 10, 25, 12);
    const row = (id: string, daysAgo: number): EventRow => ({
      id,
      timestamp: now - daysAgo * DAY,
      projectId: 1,
      eventType: 'error',
      environment: null,
      level: null,
      message: null,
      user: null,
      release: null,
      transaction: null,
      duration: null,
      status: null,
      tags: {},
    });
    await writeNew(http, schema.tables.events, EVENTS, [row('old', 100), row('edge', 29), row('new', 0)], {});
    const ddl = await sql(
      CLICKHOUSE_URL,
      `SELECT engine_full FROM system.tables WHERE database = '${database}' AND name = 'events'`,
    );
    if (schema.ttl) {
      expect(ddl).toMatch(/TTL date \+ (toIntervalDay\(30\)|INTERVAL 30 DAY)/);
      return;
    }
    expect(ddl).not.toMatch(/TTL/);
    expect(await dropExpiredDays(schema, database, 30, connect, now)).toBe(1);
    const left = await sql(
      CLICKHOUSE_URL,
      `SELECT id FROM ${database}.events ORDER BY timestamp FORMAT TabSeparated`,
    );
    expect(left.trim().split('\n')).toEqual(['edge', 'new']);
    expect(await dropExpiredDays(schema, database, 30, connect, now)).toBe(0);
  });
});

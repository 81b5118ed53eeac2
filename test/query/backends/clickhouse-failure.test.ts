// Failure behaviour: ClickHouse down (its process killed mid-test), slow, or answering garbage. Metrics become
// "unavailable" results, check() rejects with the reason, nothing crashes, and the SAME backend recovers when
// the server comes back. Uses the `spare` server, which no other test file touches.
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../../src/query/backend.ts';
import { createClickHouseBackend } from '../../../src/query/backends/clickhouse.ts';
import { createBulkRunner } from '../../../src/query/bulk-runner.ts';
import type { MetricQuery } from '../../../src/query/model.ts';
import { type TestProxy, startProxy } from '../../fixtures/clickhouse/proxy.ts';
import { eventRows, WINDOW_END, WINDOW_START } from '../../fixtures/clickhouse/rows.ts';
import {
  CLICKHOUSE_URL,
  describeWithClickHouse,
  killServer,
  REQUIRED,
  SPARE_URL,
  serverInstalled,
  sql,
  startServers,
  stopServers,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';

const database = uniqueDatabase('failure');
const events = eventRows(500, 41);
const count: MetricQuery = {
  dataset: 'events',
  aggregate: { fn: 'count' },
  filter: null,
  projectIds: [11, 12, 13],
  environment: null,
  start: WINDOW_START,
  end: WINDOW_END,
};
const expectedCount = events.filter(
  (row) => row.eventType === 'error' && row.timestamp >= WINDOW_START && row.timestamp < WINDOW_END,
).length;

await describeWithClickHouse('ClickHouse failures', [CLICKHOUSE_URL], () => {
  // Needs the server binary to start its own server; CLICKHOUSE_TESTS=required insists on it.
  describe.runIf(serverInstalled() || REQUIRED)('the server process dies and comes back', () => {
    let backend: QueryBackend;
    let lateBackend: QueryBackend;

    beforeAll(async () => {
      await startServers('spare');
      backend = await createClickHouseBackend({ url: SPARE_URL, database, timeoutMs: 2_000 });
      expect(await backend.writeEvents(events)).toBe(events.length);
    }, 60_000);

    afterAll(async () => {
      await backend?.close();
      await lateBackend?.close();
      await stopServers('spare');
    }, 60_000);

    it('answers, then reports the metric unavailable and readiness failing while down, then recovers', async () => {
      const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: 2_000 });
      expect(await runner.run([count])).toEqual([{ ok: true, value: expectedCount }]);

      await killServer('spare');
      const [down] = await runner.run([count]);
      expect(down).toMatchObject({
        ok: false,
        reason: 'backend',
        detail: expect.stringMatching(/unreachable/),
      });
      await expect(backend.check(AbortSignal.timeout(2_000))).rejects.toThrow(
        /ClickHouse at .* is unreachable/,
      );
      await expect(backend.countEvents()).rejects.toThrow(/unreachable/);

      // A backend created while the server is down still starts; its schema waits for the server.
      lateBackend = await createClickHouseBackend({
        url: SPARE_URL,
        database: `${database}_late`,
        timeoutMs: 2_000,
      });
      await expect(lateBackend.check(AbortSignal.timeout(2_000))).rejects.toThrow(/unreachable/);

      await startServers('spare');
      await expect(backend.check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
      expect(await runner.run([count])).toEqual([{ ok: true, value: expectedCount }]);
      await expect(lateBackend.check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
      expect(await lateBackend.writeEvents(events)).toBe(events.length);
      expect(await lateBackend.runMetrics([count], AbortSignal.timeout(5_000))).toEqual([expectedCount]);
    }, 60_000);
  });

  describe('a slow or broken answer', () => {
    let proxy: TestProxy;
    let backend: QueryBackend;

    beforeAll(async () => {
      proxy = await startProxy(CLICKHOUSE_URL);
      backend = await createClickHouseBackend({
        url: proxy.url,
        database: `${database}_proxy`,
        timeoutMs: 1_000,
      });
      await backend.writeEvents(events);
    });

    afterAll(async () => {
      await backend?.close();
      await proxy?.close();
      await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}_proxy`).catch(() => undefined);
    });

    it('a slow server: the runner times out, the request is abandoned, and the next answer is right again', async () => {
      proxy.mode = { kind: 'delay', ms: 1_500 };
      const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: 200 });
      const started = performance.now();
      expect(await runner.run([count])).toEqual([
        { ok: false, reason: 'timeout', detail: expect.any(String) },
      ]);
      expect(performance.now() - started).toBeLessThan(1_000);
      await expect.poll(() => proxy.abandoned, { timeout: 2_000 }).toBeGreaterThan(0);
      await expect(backend.check(AbortSignal.timeout(200))).rejects.toThrow(/abandoned/);
      proxy.mode = { kind: 'pass' };
      expect(await runner.run([count])).toEqual([{ ok: true, value: expectedCount }]);
    });

    it('an answer that is not ClickHouse: rejected, not guessed at', async () => {
      proxy.mode = { kind: 'garbage' };
      try {
        await expect(backend.runMetrics([count, count], AbortSignal.timeout(1_000))).rejects.toThrow(
          /result rows?.*<html>502/,
        );
        await expect(backend.check(AbortSignal.timeout(1_000))).rejects.toThrow(/answered "<html>502/);
        await expect(backend.countEvents()).rejects.toThrow(/unexpected answer/);
      } finally {
        proxy.mode = { kind: 'pass' };
      }
    });
  });

  describe('something that does not speak HTTP', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((socket) => {
        socket.on('error', () => undefined);
        socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
        setTimeout(() => socket.destroy(), 100);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('startup, check and queries fail with a reason; nothing throws out of band', async () => {
      const backend = await createClickHouseBackend({ url, database: 'never_created', timeoutMs: 1_000 });
      await expect(backend.check(AbortSignal.timeout(1_000))).rejects.toThrow(/not HTTP|unreachable/);
      await expect(backend.runMetrics([count], AbortSignal.timeout(1_000))).rejects.toThrow(
        /not HTTP|unreachable/,
      );
      await backend.close();
    });
  });
});

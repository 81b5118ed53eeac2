// ClickHouse killed (SIGKILL, like a crash) while work is in flight, then restarted. A metric batch the server is
// running answers degraded at once and, after the restart, right again from the same runner; an insert cut off
// mid-stream is never reported stored (the ingestion route answers 503 with Retry-After), and sending the same rows
// again stores each of them exactly once. "In flight" is not left to luck: the server is killed only once it lists
// the statement in system.processes, and an attempt whose work finished first is repeated with more work.
// Uses the `crash` server (HTTP 8126), which no other test file touches.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow, QueryBackend } from '../../src/query/backend.ts';
import { createClickHouseBackend } from '../../src/query/backends/clickhouse.ts';
import { createBulkRunner } from '../../src/query/bulk-runner.ts';
import type { MetricQuery, MetricResult } from '../../src/query/model.ts';
import { eventRows, WINDOW_END, WINDOW_START } from '../fixtures/clickhouse/rows.ts';
import {
  CLICKHOUSE_URL,
  CRASH_URL,
  describeWithClickHouse,
  killServer,
  REQUIRED,
  serverInstalled,
  sql,
  startServers,
  stopServers,
  uniqueDatabase,
} from '../fixtures/clickhouse/servers.ts';
import { type IngestHarness, startIngestHarness } from '../ingest/ingest-harness.ts';

const SERVER = 'crash';
const database = uniqueDatabase('mid_batch');
const RUNNER_TIMEOUT_MS = 30_000;
/**
 * From the SIGKILL (the server takes about a second to die), well under the runner's limit: a dropped connection
 * is an answer, not a wait.
 */
const PROMPT_MS = 10_000;
const ATTEMPTS = 3;
/** eventRows spreads rows over [start − 2 min, end + 2 min): these windows hold every row. */
const ALL_FROM = WINDOW_START - 2 * 60_000;
const ALL_TO = WINDOW_END + 2 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the server lists a statement whose text matches `pattern` (a LIKE pattern) as running. */
async function running(pattern: string): Promise<boolean> {
  try {
    const response = await request(`${CRASH_URL}/`, {
      method: 'POST',
      body: `SELECT count() FROM system.processes WHERE query LIKE '${pattern}' AND query NOT LIKE '%system.processes%'`,
      signal: AbortSignal.timeout(2_000),
    });
    return Number((await response.body.text()).trim()) > 0;
  } catch {
    return false;
  }
}

type Kill = { killed: false } | { killed: true; at: number };

/** SIGKILLs the server as soon as it lists the statement running, unless `work` settles first. */
async function killWhileRunning(work: Promise<unknown>, pattern: string): Promise<Kill> {
  let settled = false;
  work.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const deadline = Date.now() + 30_000;
  while (!settled) {
    if (await running(pattern)) {
      if (settled) break;
      const at = performance.now();
      await killServer(SERVER);
      return { killed: true, at };
    }
    if (Date.now() > deadline) throw new Error(`"${pattern}" never showed in system.processes`);
    await sleep(5);
  }
  return { killed: false };
}

/** Metric values over every row of the fixture window. */
function countQuery(dataset: 'events' | 'transactions', projectIds: number[], from: number, to: number) {
  return {
    dataset,
    aggregate: { fn: 'count' },
    filter: null,
    projectIds,
    environment: null,
    start: from,
    end: to,
  } satisfies MetricQuery;
}

/**
 * 64 distinct questions (the runner's default batch, one statement sharing one scan): errors of one user, or of
 * everyone but one user. `user` is not in the sort key, so each reads every loaded row.
 */
const USERS = Array.from({ length: 40 }, (_, i) => `user-${i}`);
const BATCH: MetricQuery[] = [
  ...USERS.map((user) => byUser(user, false)),
  ...USERS.slice(0, 24).map((user) => byUser(user, true)),
];
function byUser(user: string, negated: boolean): MetricQuery {
  return {
    dataset: 'events',
    aggregate: { fn: 'count' },
    filter: { type: 'equals', field: { kind: 'column', name: 'user' }, value: user, negated },
    projectIds: [11, 12, 13],
    environment: null,
    start: ALL_FROM,
    end: ALL_TO,
  };
}

/** What BATCH must answer, counted here from the rows themselves. */
function expectedCounts(rows: readonly EventRow[], into: number[]): void {
  const errors = rows.filter((row) => row.eventType === 'error');
  BATCH.forEach((query, index) => {
    const filter = query.filter as { value: string; negated: boolean };
    const matching = errors.filter((row) => (row.user === filter.value) !== filter.negated).length;
    into[index] = (into[index] ?? 0) + matching;
  });
}

/** Stored rows and distinct ids, read directly (not through the backend under test). */
async function storedRows(db: string): Promise<{ rows: number; ids: number }> {
  const [rows, ids] = (await sql(CRASH_URL, `SELECT count(), uniqExact(id) FROM ${db}.events`))
    .trim()
    .split('\t')
    .map(Number);
  return { rows: rows!, ids: ids! };
}

await describeWithClickHouse('ClickHouse killed and restarted mid-batch', [CLICKHOUSE_URL], () => {
  // Needs the server binary to start (and kill) its own server; CLICKHOUSE_TESTS=required insists on it.
  describe.runIf(serverInstalled() || REQUIRED)('work in flight when the server dies', () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    const databases: string[] = [];
    const closing: (() => Promise<void>)[] = [];

    async function openBackend(db: string): Promise<QueryBackend> {
      databases.push(db);
      const backend = await createClickHouseBackend({
        url: CRASH_URL,
        database: db,
        timeoutMs: RUNNER_TIMEOUT_MS,
      });
      closing.push(() => backend.close());
      return backend;
    }

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      await startServers(SERVER);
    }, 60_000);

    afterAll(async () => {
      process.off('unhandledRejection', onUnhandled);
      for (const close of closing) await close().catch(() => undefined);
      await startServers(SERVER).catch(() => undefined);
      for (const db of databases)
        await sql(CRASH_URL, `DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
      await stopServers(SERVER);
    }, 60_000);

    it('a metric batch running on the server answers degraded at once, then right again from the same runner', async () => {
      const backend = await openBackend(database);
      const expected: number[] = [];
      let seed = 1;
      let loadedRows = 0;
      /** Loads in slices of 100k rows (memory stays small), counting what BATCH must answer as it goes. */
      const load = async (rows: number) => {
        for (let loaded = 0; loaded < rows; loaded += 100_000) {
          const slice = eventRows(100_000, seed++);
          loadedRows += slice.length;
          expectedCounts(slice, expected);
          expect(await backend.writeEvents(slice)).toBe(slice.length);
        }
      };
      await load(400_000);
      const runner = createBulkRunner({ backend, cacheMs: 0, timeoutMs: RUNNER_TIMEOUT_MS });
      const right = () => expected.map((value) => ({ ok: true, value }));
      expect(await runner.run(BATCH)).toEqual(right());

      for (let attempt = 1; ; attempt++) {
        const batch = runner.run(BATCH);
        const kill = await killWhileRunning(batch, `SELECT%FROM%${database}%`);
        const results: MetricResult[] = await batch;
        const answeredMs = kill.killed ? performance.now() - kill.at : 0;
        if (!kill.killed || results.every((result) => result.ok)) {
          // The batch finished before the kill landed: nothing was in flight. Again, with twice the rows.
          expect(results).toEqual(right());
          expect(attempt, 'the batch outran the kill every time').toBeLessThan(ATTEMPTS);
          await startServers(SERVER);
          await load(loadedRows);
          continue;
        }
        expect(results).toEqual(
          BATCH.map(() => ({ ok: false, reason: 'backend', detail: expect.stringMatching(/unreachable/) })),
        );
        expect(answeredMs).toBeLessThan(PROMPT_MS);
        break;
      }

      await startServers(SERVER);
      await expect(backend.check(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
      expect(await runner.run(BATCH)).toEqual(right());
      expect(unhandled).toEqual([]);
    }, 60_000);

    it('an insert cut off mid-stream rejects; writing the same rows again stores each id exactly once', async () => {
      for (let attempt = 1; ; attempt++) {
        const db = `${database}_write${attempt}`;
        const backend = await openBackend(db);
        // Four 50k-row INSERTs, two at a time; each attempt its own ids.
        const rows = eventRows(200_000 * attempt, 100 + attempt);
        const writing = backend.writeEvents(rows);
        const kill = await killWhileRunning(writing, `INSERT INTO%${db}%`);
        const outcome = await writing.then(
          (written) => ({ stored: written }),
          (error: unknown) => ({ error: (error as Error).message }),
        );
        await startServers(SERVER);
        if (kill.killed && 'error' in outcome) {
          expect(outcome.error).toMatch(/unreachable/);
          // Some INSERTs may have committed before the server died (their answers lost with it): no id twice,
          // and writing the same rows again adds exactly the rest.
          const before = await storedRows(db);
          expect(before.ids).toBe(before.rows);
          expect(before.rows).toBeLessThanOrEqual(rows.length);
          expect(await backend.writeEvents(rows)).toBe(rows.length - before.rows);
        } else {
          // Stored before the kill: a resolved write must mean every row is there.
          expect(outcome).toEqual({ stored: rows.length });
        }
        expect(await storedRows(db)).toEqual({ rows: rows.length, ids: rows.length });
        const errors = rows.filter((row) => row.eventType === 'error').length;
        expect(
          await backend.runMetrics(
            [
              countQuery('events', [11, 12, 13], ALL_FROM, ALL_TO),
              countQuery('transactions', [11, 12, 13], ALL_FROM, ALL_TO),
            ],
            AbortSignal.timeout(10_000),
          ),
        ).toEqual([errors, rows.length - errors]);
        if (kill.killed && 'error' in outcome) break;
        expect(attempt, 'the insert outran the kill every time').toBeLessThan(ATTEMPTS);
      }
      expect(unhandled).toEqual([]);
    }, 60_000);

    describe('through the ingestion route', () => {
      const db = `${database}_route`;
      let harness: IngestHarness;
      let orgKey: string;
      let counter: QueryBackend;

      beforeAll(async () => {
        databases.push(db);
        harness = await startIngestHarness({
          env: { QUERY_BACKEND: 'clickhouse', CLICKHOUSE_URL: CRASH_URL, CLICKHOUSE_DATABASE: db },
        });
        closing.push(() => harness.close());
        orgKey = (await harness.keys('create', 'acme')).at(-1)!;
        counter = await openBackend(db);
      }, 60_000);

      const send = async (body: string) => {
        const response = await request(`${harness.server.url}/api/ingest/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${orgKey}`, 'content-type': 'application/x-ndjson' },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        return {
          status: response.statusCode,
          retryAfter: response.headers['retry-after'],
          body: await response.body.text(),
        };
      };

      it('an NDJSON batch being written answers 503 with Retry-After, and the re-sent batch is stored once', async () => {
        const from = Date.now() - 30 * 60_000;
        let stored = 0;
        for (let attempt = 1; ; attempt++) {
          // 100,000 lines, the most one batch may hold: two 50k-row INSERTs side by side.
          const lines = Array.from({ length: 100_000 }, (_, i) =>
            JSON.stringify({
              timestamp: new Date(from + attempt * 60_000 + (i % 50_000)).toISOString(),
              projectId: 11,
              level: 'error',
              message: `mid-batch ${attempt}`,
            }),
          );
          const body = `${lines.join('\n')}\n`;
          const answer = send(body);
          const kill = await killWhileRunning(answer, `INSERT INTO%${db}%`);
          const first = await answer;
          await startServers(SERVER);
          const count = async () =>
            (
              await counter.runMetrics(
                [countQuery('events', [11], from, from + 60 * 60_000)],
                AbortSignal.timeout(10_000),
              )
            )[0];
          if (kill.killed && first.status !== 200) {
            expect(first).toMatchObject({ status: 503, retryAfter: '1' });
            expect(first.body).toMatch(/retry later/);
            expect(await count()).toBeLessThanOrEqual(stored + lines.length);
            // The client retries the same batch: its lines keep their ids, nothing is counted twice.
            const again = await send(body);
            expect(again.status).toBe(200);
            expect(JSON.parse(again.body)).toEqual({ stored: lines.length });
            expect(await count()).toBe(stored + lines.length);
            expect(await storedRows(db)).toEqual({ rows: stored + lines.length, ids: stored + lines.length });
            break;
          }
          // Committed before the kill: a 200 must mean every line is stored.
          expect(first.status).toBe(200);
          stored += lines.length;
          expect(await count()).toBe(stored);
          expect(attempt, 'the insert outran the kill every time').toBeLessThan(ATTEMPTS);
        }
        expect(unhandled).toEqual([]);
      }, 60_000);
    });
  });
});

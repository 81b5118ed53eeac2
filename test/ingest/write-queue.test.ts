// The group-commit queue over the embedded store's pipelined writer (real DuckDB): the next batch is handed over
// while the previous one commits, yet a request is answered only once its rows are committed, a later batch's
// write of an id wins, and a failed batch refuses exactly its own requests.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventRow, NdjsonEvents } from '../../src/query/backend.ts';
import { createWriteQueue, type RowWriter, type Rows } from '../../src/ingest/write-queue.ts';
import { createIngestWriter, type IngestWriter } from '../../src/store/duckdb/ingest-writer.ts';
import { fileDigest } from '../../src/store/import/normalize.ts';
import { jsPathRows, LINE_AT, ndjsonLine, storedEvents } from '../support/stored-events.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const apps: TestApp[] = [];
const writers: IngestWriter[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) writer.close();
  for (const app of apps.splice(0)) await app.close();
});

async function open() {
  const test = await createTestApp();
  apps.push(test);
  return test;
}

const at = LINE_AT;
const line = ndjsonLine;
const ndjson = (text: string, lines = text.split('\n').filter(Boolean).length): Rows => {
  const body = Buffer.from(text);
  return { events: [], sessions: [], ndjsonEvents: [{ text: body, digest: fileDigest(body), lines }] };
};
const event = (id: string, message: string, second = 0): EventRow => ({
  id,
  timestamp: at + second * 1_000,
  projectId: 11,
  eventType: 'error',
  environment: null,
  level: null,
  message,
  user: null,
  release: null,
  transaction: null,
  duration: null,
  status: null,
  tags: {},
});

/** The real writer, watched: each NDJSON call's bodies, and how many calls were unresolved at once. */
function watch(writer: IngestWriter) {
  const calls: (readonly NdjsonEvents[])[] = [];
  const waiters: (() => void)[] = [];
  let open = 0;
  const watched = {
    calls,
    most: 0,
    /** Resolves once the writer has been called `count` times for NDJSON bodies. */
    called: (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (calls.length >= count ? resolve() : waiters.push(check));
        check();
      }),
    writer: {
      writeEvents: (rows) => writer.writeEvents(rows),
      writeSessions: (rows) => writer.writeSessions(rows),
      prepared: () => writer.prepared(),
      async writeNdjsonEvents(bodies) {
        calls.push(bodies);
        for (const waiter of waiters.splice(0)) waiter();
        open++;
        watched.most = Math.max(watched.most, open);
        try {
          await writer.writeNdjsonEvents(bodies);
        } finally {
          open--;
        }
      },
    } satisfies RowWriter,
  };
  return watched;
}

async function countIds(test: TestApp, ids: readonly string[]) {
  return test.store.database.withConnection(async (connection) => {
    const list = ids.map((id) => `'${id}'`).join(', ');
    const reader = await connection.runAndReadAll(`SELECT count(*) FROM events WHERE id IN (${list})`);
    return Number(reader.getRows()[0]![0]);
  });
}

describe('the write queue over the pipelined DuckDB writer', () => {
  it('commits overlapping batches in order: an id written by several batches is stored once, the latest', async () => {
    const test = await open();
    const writer = createIngestWriter(test.store.database);
    writers.push(writer);
    const watched = watch(writer);
    const queue = createWriteQueue(watched.writer, { maxQueuedRows: 100_000 });
    // 40 requests over the same 30 ids (and id-less lines), NDJSON bodies and JS rows mixed, each with one id
    // of its own to see whether it is stored when it is answered. An id keeps its time, as a re-sent event does
    // (a copy is looked for within the batch's time span only: ingest-writer.ts).
    const requests: Rows[] = [];
    const answered: Promise<number>[] = [];
    for (let n = 0; n < 40; n++) {
      const own = `own-${n}`;
      const request =
        n % 5 === 4
          ? { events: [event(`id-${n % 30}`, `js ${n}`, (n % 30) % 7), event(own, 'js')], sessions: [] }
          : ndjson(
              [
                line({ id: `id-${n % 30}`, message: `body ${n}` }, (n % 30) % 7),
                line({ id: `id-${(n * 7) % 30}`, message: `body ${n} again` }, ((n * 7) % 30) % 7),
                line({}),
                line({ id: own }),
                // Now and then a large body: its transaction takes long enough for the next batch to be staged
                // before it ends, so a later batch committing first would show.
                ...(n % 20 === 0 ? Array.from({ length: 20_000 }, () => line({})) : []),
              ].join('\n'),
            );
      requests.push(request);
      const offer = queue.offer(request);
      if (!offer.ok) throw new Error('refused');
      // When a request is answered, its rows are already visible to any other connection.
      answered.push(offer.stored.then(() => countIds(test, [own])));
      // The next requests arrive while the writer works, so batches overlap.
      if (n % 4 === 3) await watched.called(watched.calls.length + 1).catch(() => undefined);
    }
    expect(await Promise.all(answered)).toEqual(requests.map(() => 1));
    await queue.drain();
    // Pipelined: a second batch was handed over while one committed, never a third.
    expect(watched.most).toBe(2);
    expect(watched.calls.length).toBeGreaterThan(2);
    const read = await storedEvents(test.store.database);

    const js = await open();
    await js.store.backend.writeEvents(await jsPathRows(requests, new Set([11])));
    expect(read).toEqual(await storedEvents(js.store.database));
    expect(read.find((row) => row.id === 'id-9')).toMatchObject({ message: 'js 39' });
  });

  it('refuses exactly the requests of a batch that fails, and commits the batches around it', async () => {
    const test = await open();
    const writer = createIngestWriter(test.store.database);
    writers.push(writer);
    const watched = watch(writer);
    const queue = createWriteQueue(watched.writer, { maxQueuedRows: 100_000 });
    const offered: Promise<void>[] = [];
    const offer = (rows: Rows) => {
      const result = queue.offer(rows);
      if (!result.ok) throw new Error('refused');
      offered.push(result.stored);
      // Awaited below, after later offers: not an unhandled rejection meanwhile.
      result.stored.catch(() => undefined);
      return result.stored;
    };
    // One batch DuckDB cannot read (a time that is no time: its staging fails), and one it reads but cannot
    // store (no project: the NOT NULL column fails its transaction, which rolls back). Each is its own batch:
    // the next is offered once the writer has been called for it.
    offer(ndjson(line({ id: 'before', message: 'before' })));
    await watched.called(1);
    const unreadable = offer(
      ndjson([line({ id: 'x1' }), '{"id":"x2","timestamp":"yesterday","projectId":11}'].join('\n')),
    );
    await watched.called(2);
    const after = offer(ndjson(line({ id: 'before', message: 'replaced' })));
    await watched.called(3);
    const unstorable = offer(ndjson(JSON.stringify({ id: 'y1', timestamp: new Date(at).toISOString() })));
    await watched.called(4);
    const last = offer({ events: [event('last', 'js')], sessions: [] });
    const outcomes = await Promise.allSettled(offered);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    await expect(unreadable).rejects.toThrow();
    await expect(unstorable).rejects.toThrow();
    await after;
    await last;
    const read = await storedEvents(test.store.database);
    expect(read.map((row) => [row.id, row.message])).toEqual([
      ['before', 'replaced'],
      ['last', 'js'],
    ]);
    expect(queue.queued).toBe(0);
  });

  it('lets envelope-sized batches wait for the commit in flight instead of overlapping it', async () => {
    const test = await open();
    const writer = createIngestWriter(test.store.database);
    writers.push(writer);
    let inFlight = 0;
    let most = 0;
    let waves = 0;
    const offered: Promise<void>[] = [];
    const offerWave = () => {
      const wave = waves++;
      for (let n = 0; n < 30; n++) {
        const result = queue.offer({ events: [event(`e-${wave}-${n}`, 'envelope')], sessions: [] });
        if (!result.ok) throw new Error('refused');
        offered.push(result.stored);
      }
    };
    const queue = createWriteQueue(
      {
        writeSessions: (rows) => writer.writeSessions(rows),
        prepared: () => writer.prepared(),
        async writeEvents(rows) {
          inFlight++;
          most = Math.max(most, inFlight);
          // The next wave arrives while this batch is staged and committed, as SDK requests keep coming.
          if (waves < 8) setImmediate(offerWave);
          try {
            await writer.writeEvents(rows);
          } finally {
            inFlight--;
          }
        },
      },
      { maxQueuedRows: 100_000 },
    );
    offerWave();
    for (let wait = 0; wait < 1_000 && waves < 8; wait++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all(offered);
    expect(waves).toBe(8);
    expect(most).toBe(1);
    expect(await countIds(test, ['e-0-0', 'e-7-29'])).toBe(2);
    expect(await test.store.backend.countEvents()).toBe(240);
  });
});

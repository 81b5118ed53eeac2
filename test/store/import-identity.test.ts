// Identity without loss: identical records are distinct records; ids and files make re-imports idempotent.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importDataset, importFiles } from '../../src/store/import/import.ts';
import { checkoutDataset } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const SAME_ERROR = {
  timestamp: '2026-11-20T10:03:12Z',
  projectId: 11,
  environment: 'production',
  level: 'error',
  message: 'TypeError: x is undefined',
  user: 'u-81',
};
const BURST = 138;

let test: TestApp;
let dir: string;

beforeEach(async () => {
  test = await createTestApp({ dataset: checkoutDataset() });
  dir = await mkdtemp(join(tmpdir(), 'incident-cards-identity-'));
});
afterEach(() => test.close());

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const ndjson = (rows: object[]) => `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
const burst = (count: number) => Array.from({ length: count }, () => SAME_ERROR);

const SAME_SESSION = { timestamp: '2026-11-20T10:03:00Z', projectId: 11, status: 'crashed' };
const rowsIn = (table: string) =>
  test.store.database.withConnection(async (connection) =>
    Number((await connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]?.[0]),
  );

describe.each(['events', 'sessions'] as const)('a burst of identical %s', (kind) => {
  const burst = (count: number) =>
    Array.from({ length: count }, () => (kind === 'events' ? SAME_ERROR : SAME_SESSION));
  const count = () => rowsIn(kind);
  const added = (n: number) => (kind === 'events' ? { newEvents: n } : { newSessions: n });

  it('counts every line of an NDJSON file, and the same file again changes nothing', async () => {
    const path = await file('burst.ndjson', ndjson(burst(BURST)));
    expect(await importFiles(test.store, [path], { kind })).toMatchObject({
      ok: true,
      counts: added(BURST),
    });
    expect(await importFiles(test.store, [path], { kind })).toMatchObject({ ok: true, counts: added(0) });
    expect(await count()).toBe(BURST);
  });

  it('counts a second file with the same lines as more events', async () => {
    await importFiles(test.store, [await file('a.ndjson', ndjson(burst(10)))], { kind });
    await importFiles(test.store, [await file('b.ndjson', `\n${ndjson(burst(10))}\n\n`)], { kind });
    expect(await count()).toBe(20);
  });
});

describe('identical records in a .json dataset', () => {
  it('keeps every event and session, and re-importing the file is idempotent', async () => {
    const sessions = Array.from({ length: 7 }, () => ({
      timestamp: '2026-11-20T10:03:00Z',
      projectId: 11,
      status: 'crashed',
    }));
    const path = await file('burst.json', JSON.stringify({ ...checkoutDataset(burst(BURST)), sessions }));
    expect(await importFiles(test.store, [path])).toMatchObject({
      ok: true,
      counts: { newEvents: BURST, newSessions: 7 },
    });
    expect(await importFiles(test.store, [path])).toMatchObject({
      ok: true,
      counts: { newEvents: 0, newSessions: 0 },
    });
    expect(await rowsIn('events')).toBe(BURST);
    expect(await rowsIn('sessions')).toBe(7);
  });

  it('keeps a burst written from memory too', async () => {
    const outcome = await importDataset(test.store, { version: 1, events: burst(25) });
    expect(outcome).toMatchObject({ ok: true, counts: { newEvents: 25 } });
  });
});

describe('records with an id', () => {
  it('are their id: re-sending one replaces it, never doubles it', async () => {
    const first = ndjson([
      { ...SAME_ERROR, id: 'a'.repeat(32), level: 'warning' },
      { ...SAME_ERROR, id: 'b'.repeat(32) },
    ]);
    const second = ndjson([{ ...SAME_ERROR, id: 'a'.repeat(32), level: 'fatal' }]);
    await importFiles(test.store, [await file('one.ndjson', first)], { kind: 'events' });
    expect(
      await importFiles(test.store, [await file('two.ndjson', second)], { kind: 'events' }),
    ).toMatchObject({
      ok: true,
      counts: { newEvents: 0 },
    });
    expect(await test.store.backend.countEvents()).toBe(2);
    const levels = await test.store.database.withConnection(async (connection) =>
      (await connection.runAndReadAll(`SELECT level FROM events WHERE id = '${'a'.repeat(32)}'`)).getRows(),
    );
    expect(levels).toEqual([['fatal']]);
  });
});

// Import: all-or-nothing, `file:line: reason` errors, idempotent re-import, NDJSON events and sessions.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatError } from '../../src/store/import/errors.ts';
import { importFiles } from '../../src/store/import/import.ts';
import { checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const BASE = checkoutDataset(checkoutErrors(2));

// biome-ignore lint/suspicious/noExplicitAny: tests break the dataset on purpose, field by field.
type DatasetShape = Record<string, any>;

let test: TestApp;
let dir: string;

beforeEach(async () => {
  test = await createTestApp();
  dir = await mkdtemp(join(tmpdir(), 'incident-cards-import-'));
});
afterEach(() => test.close());

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const eventCount = () => test.store.backend.countEvents();

describe('import of a whole dataset', () => {
  it('imports, then upserts the same file without duplicating anything', async () => {
    const path = await file('dataset.json', JSON.stringify(BASE, null, 2));
    const first = await importFiles(test.store, [path]);
    expect(first).toMatchObject({ ok: true, counts: { incidents: 1, events: 2, newEvents: 2 } });
    const again = await importFiles(test.store, [path]);
    expect(again).toMatchObject({ ok: true, counts: { events: 2, newEvents: 0 } });
    expect(await eventCount()).toBe(2);
    expect(test.app.repository.findIncident('acme', 42)?.incident.title).toBe('Checkout errors');
  });

  it('reports each problem at its line and imports nothing', async () => {
    const broken = structuredClone(BASE) as DatasetShape;
    broken.incidents[0].status = 'burning';
    broken.alertRules[0].query = 'level:error (';
    broken.events[1].timestamp = 'yesterday';
    const text = JSON.stringify(broken, null, 2);
    const path = await file('broken.json', text);
    const outcome = await importFiles(test.store, [path]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((line) => line.includes(needle)) + 1;
    const printed = outcome.errors.map(formatError);
    expect(printed).toContainEqual(
      expect.stringMatching(new RegExp(`^${path}:${lineOf('"burning"')}: incidents.0.status: `)),
    );
    expect(printed).toContainEqual(
      expect.stringMatching(new RegExp(`^${path}:${lineOf('"yesterday"')}: events.1.timestamp: `)),
    );
    expect(await eventCount()).toBe(0);
    expect(test.app.repository.findIncident('acme', 42)).toBeNull();
  });

  it('rejects a rule whose query does not parse, with the reason', async () => {
    const bad = structuredClone(BASE) as DatasetShape;
    bad.alertRules[0].query = 'level:error (';
    const text = JSON.stringify(bad, null, 2);
    const outcome = await importFiles(test.store, [await file('rule.json', text)]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      const line = text.split('\n').findIndex((l) => l.includes('"level:error ("')) + 1;
      expect(outcome.errors[0]).toMatchObject({ line, reason: expect.stringContaining('never closed') });
    }
  });

  it('rejects references to unknown or foreign records', async () => {
    const bad = structuredClone(BASE) as DatasetShape;
    bad.incidents[0].alertRuleId = 999;
    bad.events[0].projectId = 77;
    const outcome = await importFiles(test.store, [await file('refs.json', JSON.stringify(bad, null, 2))]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      const reasons = outcome.errors.map((e) => e.reason).join('\n');
      expect(reasons).toContain('unknown alert rule 999');
      expect(reasons).toContain('unknown project 77');
    }
  });

  it('points invalid JSON at its line', async () => {
    const outcome = await importFiles(test.store, [
      await file('syntax.json', '{\n  "version": 1,\n  "organizations": [\n}'),
    ]);
    expect(outcome).toMatchObject({
      ok: false,
      errors: [{ line: 4, reason: expect.stringContaining('invalid JSON') }],
    });
  });
});

describe('import of NDJSON', () => {
  beforeEach(async () => {
    const outcome = await importFiles(test.store, [
      await file('base.json', JSON.stringify({ ...BASE, events: [] })),
    ]);
    expect(outcome.ok).toBe(true);
  });

  const line = (i: number, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      timestamp: `2026-11-20T10:0${i % 10}:00Z`,
      projectId: 11,
      level: 'error',
      message: `m${i}`,
      ...extra,
    });

  it('loads events in bulk and upserts on re-import', async () => {
    const path = await file('events.ndjson', `${Array.from({ length: 50 }, (_, i) => line(i)).join('\n')}\n`);
    expect(await importFiles(test.store, [path], { kind: 'events' })).toMatchObject({
      ok: true,
      counts: { events: 50, newEvents: 50 },
    });
    expect(await importFiles(test.store, [path], { kind: 'events' })).toMatchObject({
      ok: true,
      counts: { newEvents: 0 },
    });
    expect(await eventCount()).toBe(50);
  });

  it('keeps tags searchable after a bulk NDJSON load', async () => {
    const lines = [
      line(1, { tags: { 'browser.name': 'Chrome' } }),
      line(2, { tags: { 'browser.name': 'Firefox' } }),
      line(3, { tags: {} }),
      line(4),
    ];
    await importFiles(test.store, [await file('tags.ndjson', lines.join('\n'))], { kind: 'events' });
    const count = (value: string) =>
      test.store.backend.runMetrics(
        [
          {
            dataset: 'events',
            aggregate: { fn: 'count' },
            filter: { type: 'equals', field: { kind: 'tag', name: 'browser.name' }, value, negated: false },
            projectIds: [11],
            environment: null,
            start: 0,
            end: Date.parse('2027-01-01T00:00:00Z'),
          },
        ],
        new AbortController().signal,
      );
    expect(await count('Chrome')).toEqual([1]);
    expect(await count('Safari')).toEqual([0]);
  });

  it('replaces an event re-imported under the same id', async () => {
    const first = await file('v1.ndjson', line(1, { id: 'evt-1', level: 'warning' }));
    const second = await file('v2.ndjson', line(1, { id: 'evt-1', level: 'error' }));
    expect(await importFiles(test.store, [first], { kind: 'events' })).toMatchObject({
      counts: { newEvents: 1 },
    });
    expect(await importFiles(test.store, [second], { kind: 'events' })).toMatchObject({
      counts: { newEvents: 0 },
    });
    expect(await eventCount()).toBe(1);
    const levels = await test.store.database.withConnection(async (c) =>
      (await c.runAndReadAll("SELECT level FROM events WHERE id = 'evt-1'")).getRows(),
    );
    expect(levels).toEqual([['error']]);
  });

  it('rejects the whole file for one bad line, naming file and line', async () => {
    const lines = [
      line(1),
      line(2),
      '{"timestamp": "2026-11-20T10:00:00Z", "projectId": "eleven"}',
      line(3),
      'not json',
    ];
    const path = await file('bad.ndjson', lines.join('\n'));
    const outcome = await importFiles(test.store, [path], { kind: 'events' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.errors.map(formatError)).toEqual([
        expect.stringMatching(new RegExp(`^${path}:3: projectId: `)),
        expect.stringMatching(new RegExp(`^${path}:5: invalid JSON`)),
      ]);
    }
    expect(await eventCount()).toBe(0);
  });

  it('lists at most 20 errors but counts them all', async () => {
    const path = await file('many.ndjson', Array.from({ length: 30 }, () => '{}').join('\n'));
    const outcome = await importFiles(test.store, [path], { kind: 'events' });
    expect(outcome).toMatchObject({ ok: false, total: 30 });
    if (!outcome.ok) expect(outcome.errors).toHaveLength(20);
  });

  it('imports sessions', async () => {
    const sessions = [
      { timestamp: '2026-11-20T10:00:00Z', projectId: 11, status: 'ok', quantity: 3 },
      { timestamp: '2026-11-20T10:01:00Z', projectId: 11, status: 'crashed', user: 'u-1' },
    ];
    const path = await file('sessions.ndjson', sessions.map((s) => JSON.stringify(s)).join('\n'));
    expect(await importFiles(test.store, [path], { kind: 'sessions' })).toMatchObject({
      ok: true,
      counts: { sessions: 2, newSessions: 2 },
    });
  });

  it('needs --kind for NDJSON and refuses unknown file types', async () => {
    const ndjson = await file('x.ndjson', line(1));
    const csv = await file('x.csv', 'a,b');
    const outcome = await importFiles(test.store, [ndjson, csv]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.errors.map((e) => e.reason)).toEqual([
        expect.stringContaining('--kind'),
        expect.stringContaining('unknown file type'),
      ]);
    }
    expect(await readFile(ndjson, 'utf8')).toBe(line(1));
  });
});

// Import hardening: a file name is read as exactly that file (never as a glob pattern), and an import killed
// with SIGKILL leaves the store as it was — every file of it, rows and metadata alike.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMetadata } from '../../src/store/duckdb/metadata.ts';
import { importFiles } from '../../src/store/import/import.ts';
import { checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { BIN } from '../hardening/serve-process.ts';
import { storeFileBytes, withAppAt } from '../support/store-at.ts';
import { createTestApp } from '../support/test-app.ts';

const ndjson = (count: number, tag: string) =>
  checkoutErrors(count)
    .map((event, i) => JSON.stringify({ ...event, id: `${tag}-${i}` }))
    .join('\n');

describe('NDJSON file names with glob characters', () => {
  it.each(['a?.ndjson', 'a*.ndjson', 'a[b].ndjson'])('%s is read as that one file', async (name) => {
    const test = await createTestApp({ dataset: checkoutDataset() });
    const dir = await mkdtemp(join(tmpdir(), 'incident-cards-glob-'));
    try {
      await writeFile(join(dir, name), ndjson(2, 'named'));
      // Files the pattern would match, never named by the user.
      await writeFile(join(dir, 'ab.ndjson'), ndjson(5, 'other'));
      await writeFile(join(dir, 'ab'), ndjson(5, 'other2'));
      const result = await importFiles(test.store, [join(dir, name)], { kind: 'events' });
      expect(result.ok).toBe(true);
      expect(await test.store.backend.countEvents()).toBe(2);
    } finally {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('an import killed with SIGKILL', () => {
  it('leaves the store exactly as before', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-kill-'));
    const run = (args: string[]) => {
      const child = spawn('node', [BIN, ...args], {
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      });
      // Listened for from the start: a child that ends early must not leave the test waiting.
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return Object.assign(child, { exited });
    };
    const finished = (child: ReturnType<typeof run>) => child.exited;
    try {
      const base = join(dataDir, 'base.json');
      await writeFile(base, JSON.stringify(checkoutDataset(checkoutErrors(3))));
      expect(await finished(run(['import', base]))).toBe(0);
      const big = join(dataDir, 'big.ndjson');
      await writeFile(big, ndjson(300_000, 'big'));
      // A second file, with metadata and rows of its own: they commit with the first file's rows or not at all.
      const extra = join(dataDir, 'extra.json');
      await writeFile(
        extra,
        JSON.stringify({
          version: 1,
          projects: [{ id: 12, organizationId: 'acme', slug: 'billing' }],
          events: checkoutErrors(200_000).map((event, i) => ({ ...event, id: `extra-${i}` })),
        }),
      );
      const child = run(['import', big, extra, '--kind', 'events']);
      let childErr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        childErr += chunk.toString();
      });
      // Killed once the first file's rows are on disk (the store grows from ~3.4 to ~6.6 MB, ~10 MB at the end) and
      // the second's are being written: the moment an import that commits file by file leaves half of it behind.
      while ((await storeFileBytes(dataDir)) < ROWS_OF_FIRST_FILE_BYTES && child.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill('SIGKILL');
      const code = await finished(child);
      const count = run(['card', 'acme/42', '--json']);
      let out = '';
      let err = '';
      count.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      count.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
      });
      expect(await finished(count), err).toBe(0);
      // All or nothing: the three base events and project 11 alone, or — when the kill came after the commit, as
      // a fast moment of a slow machine allows — all 500,003 events and both projects.
      const value = JSON.parse(out).metric.value;
      const projects = await projectIds(dataDir);
      if (code !== null) expect(code, childErr).toBe(0);
      expect({ value, projects }).toEqual(
        value === 3 ? { value: 3, projects: [11] } : { value: 500_003, projects: [11, 12] },
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

const ROWS_OF_FIRST_FILE_BYTES = 7_000_000;

const projectIds = (dataDir: string) =>
  withAppAt(dataDir, async ({ store }) =>
    (await loadMetadata(store.database)).projects.map((project) => project.id).sort(),
  );

describe('ownership and duplicates in a dataset', () => {
  const write = async (dir: string, name: string, value: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(value, null, 2));
    return path;
  };

  it('refuses a record twice in one file, at its line', async () => {
    const test = await createTestApp();
    const dir = await mkdtemp(join(tmpdir(), 'incident-cards-dup-'));
    try {
      const dataset = checkoutDataset();
      dataset.projects.push({ ...dataset.projects[0]!, slug: 'second-copy' });
      const result = await importFiles(test.store, [await write(dir, 'dup.json', dataset)]);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors[0]!.reason).toMatch(/duplicate project 11 \(also projects\[0\]\)/);
      expect(test.app.repository.findOrganization('acme')).toBeNull();
    } finally {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to move a stored project to another organization unless allowed', async () => {
    const test = await createTestApp({ dataset: checkoutDataset() });
    const dir = await mkdtemp(join(tmpdir(), 'incident-cards-move-'));
    try {
      const move = await write(dir, 'move.json', {
        version: 1,
        organizations: [{ id: 'globex', name: 'Globex' }],
        projects: [{ id: 11, organizationId: 'globex', slug: 'taken' }],
      });
      const refused = await importFiles(test.store, [move]);
      expect(refused.ok).toBe(false);
      if (!refused.ok)
        expect(refused.errors.map((error) => error.reason).join('\n')).toMatch(
          /project 11 belongs to "acme"; moving it to "globex" needs --allow-move/,
        );
      expect((await importFiles(test.store, [move], { allowMove: true })).ok).toBe(true);
    } finally {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports 20,000 bad rows: the first 20 with their lines, all of them counted', async () => {
    const test = await createTestApp();
    const dir = await mkdtemp(join(tmpdir(), 'incident-cards-bad-'));
    try {
      const dataset = {
        ...checkoutDataset(),
        events: Array.from({ length: 20_000 }, () => ({ timestamp: 'not a time', projectId: 11 })),
      };
      const result = await importFiles(test.store, [await write(dir, 'bad.json', dataset)]);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.total).toBe(20_000);
        expect(result.errors).toHaveLength(20);
        expect(result.errors[1]!.line).toBeGreaterThan(result.errors[0]!.line);
      }
    } finally {
      await test.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// Import hardening: a file name is read as exactly that file (never as a glob pattern), and an import killed
// with SIGKILL leaves the store as it was.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/store/import/import.ts';
import { checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { BIN } from '../hardening/serve-process.ts';
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
    const run = (args: string[]) =>
      spawn('node', [BIN, ...args], { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
    const finished = (child: ReturnType<typeof run>) =>
      new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const base = join(dataDir, 'base.json');
      await writeFile(base, JSON.stringify(checkoutDataset(checkoutErrors(3))));
      expect(await finished(run(['import', base]))).toBe(0);
      const big = join(dataDir, 'big.ndjson');
      await writeFile(big, ndjson(300_000, 'big'));
      const child = run(['import', big, '--kind', 'events']);
      // Killed while it reads and writes (the whole import takes seconds).
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      child.kill('SIGKILL');
      expect(await finished(child)).toBeNull();
      const count = run(['card', 'acme/42', '--json']);
      let out = '';
      count.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      expect(await finished(count)).toBe(0);
      // The card counts the incident's window: the three base events, none of the killed import's.
      expect(JSON.parse(out).metric.value).toBe(3);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

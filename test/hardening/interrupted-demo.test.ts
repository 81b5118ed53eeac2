// A first start stopped with SIGKILL while it loads the demo dataset leaves the store as before — empty: the load
// is one transaction (it used to leave 200,000 orphaned events and serve only 404s). The next start loads the
// demo and serves it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMetadata } from '../../src/store/duckdb/metadata.ts';
import { withAppAt, storeFileBytes } from '../support/store-at.ts';
import { BIN, startServe } from './serve-process.ts';

/** Large enough that the first load is still running when it is killed, even on an idle machine. */
const DEMO_EVENTS = 600_000;
const HALF_LOADED_BYTES = 6_000_000;

const storeContents = (dataDir: string) =>
  withAppAt(dataDir, async ({ store }) => ({
    events: await store.backend.countEvents(),
    organizations: (await loadMetadata(store.database)).organizations.length,
  }));

describe('a demo load interrupted by SIGKILL', () => {
  it('leaves an empty store, and the next start loads the demo', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-demo-kill-'));
    try {
      const first = spawn(
        'node',
        [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--demo-events', String(DEMO_EVENTS)],
        {
          env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', DEMO_TRAFFIC: 'off' },
        },
      );
      const exited = new Promise((resolve) => first.once('exit', resolve));
      // Killed once the load has written a good part of its rows to disk (about half of the ~12 MB it ends with),
      // well before it can finish: rows are on disk, only the commit is missing.
      let firstOut = '';
      first.stdout.on('data', (chunk: Buffer) => {
        firstOut += chunk.toString();
      });
      while ((await storeFileBytes(dataDir)) < HALF_LOADED_BYTES && first.exitCode === null)
        await new Promise((resolve) => setTimeout(resolve, 25));
      first.kill('SIGKILL');
      await exited;
      expect(firstOut, 'the first load must not have finished before the kill').not.toContain(
        'loaded the demo',
      );
      expect(await storeContents(dataDir)).toEqual({ events: 0, organizations: 0 });

      // No live demo traffic: it would add events beside the demo's and the count below would not be exact.
      const second = await startServe({ DATA_DIR: dataDir, DEMO_TRAFFIC: 'off' }, [
        '--demo-events',
        String(DEMO_EVENTS),
      ]);
      const loaded = /loaded the demo dataset: (\d+) events/.exec(second.stdout());
      expect(loaded).not.toBeNull();
      for (let i = 0; i < 100 && !second.stdout().includes('open a demo incident'); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const link = /^ {2}(http:\/\/\S+\/o\/[^/]+\/incidents\/\d+\?exp=\S+)$/m.exec(second.stdout())?.[1];
      const page = await fetch(link!.replace(/^http:\/\/[^/]+/, second.url));
      expect(page.status).toBe(200);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      // Exactly the demo's events: nothing left over from the interrupted load.
      expect((await storeContents(dataDir)).events).toBe(Number(loaded![1]));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

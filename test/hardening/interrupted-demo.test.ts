// A first start stopped with SIGKILL while it loads the demo dataset: the next start sees no organization,
// clears the orphaned rows, loads the demo again, and serves it (it used to serve only 404s over 200,000
// orphaned events).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/app-factory.ts';
import { loadConfig } from '../../src/config.ts';
import { BIN, startServe } from './serve-process.ts';

/** Large enough that the first load is still running when it is killed, even on an idle machine. */
const DEMO_EVENTS = 600_000;

describe('a demo load interrupted by SIGKILL', () => {
  it('is redone cleanly on the next start', async () => {
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
      // Killed once the demo load has started (the log says so), well before a load of this size can finish.
      let firstOut = '';
      first.stdout.on('data', (chunk: Buffer) => {
        firstOut += chunk.toString();
      });
      await new Promise<void>((resolve) => {
        first.stderr.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('loading the built-in demo dataset')) setTimeout(resolve, 700);
        });
      });
      first.kill('SIGKILL');
      await exited;
      expect(firstOut, 'the first load must not have finished before the kill').not.toContain(
        'loaded the demo',
      );

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

      const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      if (!config.ok) throw new Error(config.reason);
      const opened = await openApp(config.config);
      if (!opened.ok) throw new Error(opened.reason);
      try {
        // Exactly the demo's events: nothing left over from the interrupted load.
        expect(await opened.store.backend.countEvents()).toBe(Number(loaded![1]));
      } finally {
        await opened.app.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

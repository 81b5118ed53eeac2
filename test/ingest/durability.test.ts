// "A 200 means stored": the server process is killed with SIGKILL right after its last 200, and every
// acknowledged event is in the store when it is opened again.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/duckdb/database.ts';
import { envelope, errorEvent } from './envelope.ts';
import { ingestDataset } from './ingest-harness.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'incident-cards.mjs');
const run = promisify(execFile);
let dataDir: string;
let server: ChildProcess | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-kill-'));
});
afterAll(async () => {
  server?.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({ ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' });

async function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn('node', [BIN, 'serve', '--no-demo'], {
    env: env(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    // The banner is on stdout; stderr carries only the JSON log records.
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${seen}`)));
  });
  return { child, url };
}

it('keeps every acknowledged event after kill -9', { timeout: 60_000 }, async () => {
  const datasetFile = join(dataDir, 'dataset.json');
  await writeFile(datasetFile, JSON.stringify(ingestDataset(Date.now())));
  await run('node', [BIN, 'import', datasetFile], { env: env() });
  const { stdout } = await run('node', [BIN, 'keys', 'create', 'acme', '11'], { env: env() });
  const key = new URL(stdout.trim().split('\n').at(-1)!).username;

  const started = await startServe();
  server = started.child;
  const exited = new Promise((resolve) => started.child.once('exit', resolve));
  const target = `${started.url}/api/11/envelope/?sentry_key=${key}`;
  let acknowledged = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let i = 0; i < 25; i++) {
        const response = await fetch(target, {
          method: 'POST',
          body: envelope({}, [errorEvent(worker * 1000 + i)]),
        });
        await response.text();
        if (response.status === 200) acknowledged++;
      }
    }),
  );
  started.child.kill('SIGKILL');
  await exited;
  server = undefined;
  expect(acknowledged).toBe(200);

  const opened = await openDatabase(dataDir);
  if (!opened.ok) throw new Error(opened.reason);
  try {
    const rows = await opened.database.withConnection(
      async (connection) => (await connection.runAndReadAll('SELECT count(*) FROM events')).getRows()[0]?.[0],
    );
    expect(Number(rows)).toBe(acknowledged);
  } finally {
    opened.database.close();
  }
});

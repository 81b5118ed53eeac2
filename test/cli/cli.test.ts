// The `incident-cards` binary as a user runs it: real processes, a real store in a temp DATA_DIR.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'incident-cards.mjs');
const run = promisify(execFile);
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

type Result = { code: number; stdout: string; stderr: string };

async function cli(args: string[], env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const DATASET = checkoutDataset(checkoutErrors(1204));

describe('incident-cards --help', () => {
  it('lists every sub-command', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    for (const name of ['serve', 'import', 'demo', 'card', 'discord register', 'teams package']) {
      expect(result.stdout).toContain(name);
    }
  });

  it.each(['serve', 'import', 'demo', 'card', 'discord register', 'teams package'])(
    '%s --help explains itself',
    async (command) => {
      const result = await cli([...command.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/usage:/i);
    },
  );

  it('refuses an unknown command with exit 2', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command');
  });
});

describe('import and card', () => {
  it('rejects a bad file with file:line errors, exit 2, and imports nothing', async () => {
    const path = join(dataDir, 'bad.ndjson');
    await writeFile(
      path,
      '{"timestamp":"2026-11-20T10:00:00Z","projectId":11}\n{"timestamp":"nope","projectId":11}\n',
    );
    const result = await cli(['import', path, '--kind', 'events']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path}:1: projectId: unknown project 11`);
    expect(result.stderr).toContain(`${path}:2: `);
    expect(result.stderr).toContain('nothing imported');
  });

  it('imports a dataset and prints the live card in every form', async () => {
    const path = join(dataDir, 'acme.json');
    await writeFile(path, JSON.stringify(DATASET, null, 2));
    const imported = await cli(['import', path]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('1 incidents');
    expect(imported.stdout).toContain('1204 events (1204 new)');

    const text = await cli(['card', 'acme/42']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Critical: Checkout errors');
    expect(text.stdout).toContain('1,204 events in the last 10 minutes');

    const json = JSON.parse((await cli(['card', 'acme/42', '--json'])).stdout);
    expect(json).toMatchObject({ identifier: 42, status: 'critical', metric: { value: 1204 } });

    const teams = JSON.parse((await cli(['card', 'acme/42', '--platform', 'teams'])).stdout);
    expect(JSON.stringify(teams)).toContain('AdaptiveCard');
    const discord = JSON.parse((await cli(['card', 'acme/42', '--platform', 'discord'])).stdout);
    expect(JSON.stringify(discord)).toContain('embeds');
  });

  it('says clearly when the incident does not exist', async () => {
    const result = await cli(['card', 'acme/999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No incident #999');
  });
});

describe('serve', () => {
  let server: ChildProcess | undefined;
  afterAll(() => server?.kill('SIGKILL'));

  it('loads the demo into an empty store, serves health, readiness, metrics and pages, and stops on SIGTERM', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'incident-cards-serve-'));
    server = spawn('node', [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--demo-events', '20000'], {
      env: { ...process.env, DATA_DIR: emptyDir, LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      server!.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      server!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    expect(stdout).toContain('loaded the demo dataset');
    // stderr is for log collectors: JSON records only, the banners above went to stdout.
    const logLines = stderr.split('\n').filter(Boolean);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(() => JSON.parse(line), line).not.toThrow();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/readyz`)).json()).toMatchObject({ status: 'ready', backend: 'duckdb' });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('incident_cards_http_requests_total');
    // Pages are signed: the unsigned path is refused, the link serve printed opens.
    expect((await fetch(`${url}/o/acme/incidents/1`)).status).toBe(403);
    for (let i = 0; i < 100 && !stdout.includes('open a demo incident'); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const link = /^ {2}(http:\/\/\S+\/o\/[^/]+\/incidents\/\d+\?exp=\S+)$/m.exec(stdout)?.[1];
    expect(link).toBeDefined();
    const page = await fetch(link!.replace(/^http:\/\/[^/]+/, url));
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/in the last \d+ minutes?/);
    expect((await fetch(`${url}/o/acme/incidents/424242`)).status).toBe(403);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    await rm(emptyDir, { recursive: true, force: true });
  }, 120_000);

  it('serves with a dead ClickHouse and reports it on /readyz instead of crashing', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'incident-cards-serve-'));
    const child = spawn('node', [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      env: {
        ...process.env,
        DATA_DIR: emptyDir,
        LOG_LEVEL: 'silent',
        QUERY_BACKEND: 'clickhouse',
        CLICKHOUSE_URL: 'http://127.0.0.1:9',
      },
    });
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(stdout);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)));
      });
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not ready',
        backend: 'clickhouse',
        reason: expect.any(String),
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      await rm(emptyDir, { recursive: true, force: true });
    }
  }, 60_000);
});

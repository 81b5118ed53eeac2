// `alerts` and `rules` as a user runs them: real processes on a real store in a temp DATA_DIR.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertingDataset, MINUTE, T0 } from '../alerting/alerting-fixture.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'incident-cards.mjs');
const run = promisify(execFile);
let dataDir: string;

type Result = { code: number; stdout: string; stderr: string };

async function cli(args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** 120 errors in the minute before T0, none after: critical at T0, resolved at T0 + 1 min. */
function spike() {
  return Array.from({ length: 120 }, (_, i) => ({
    timestamp: iso(T0 - MINUTE + i * 400),
    projectId: 11,
    environment: 'production',
    level: 'error',
    message: `boom ${i}`,
  }));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-alerts-'));
  const file = join(dataDir, 'dataset.json');
  // A subscribed channel: `alerts evaluate` enqueues its notifications, a replay only with --notify.
  const subscriptions = [
    { platform: 'discord', organizationId: 'acme', channelId: '1100000000000000001', ruleId: null },
  ];
  await writeFile(file, JSON.stringify({ ...alertingDataset(), events: spike(), subscriptions }));
  expect((await cli(['import', file])).code).toBe(0);
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('alerts and rules', () => {
  it.each(['alerts evaluate', 'alerts replay', 'rules list', 'rules enable', 'rules disable'])(
    '%s --help explains itself',
    async (command) => {
      const result = await cli([...command.split(' '), '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^usage: incident-cards /);
    },
  );

  it('backtests with a dry run, then replays for real, then evaluates one more tick', async () => {
    const dry = await cli([
      'alerts',
      'replay',
      '--from',
      iso(T0 - MINUTE),
      '--to',
      iso(T0 + 2 * MINUTE),
      '--dry-run',
      '--json',
    ]);
    expect(dry.code).toBe(0);
    const printed = JSON.parse(dry.stdout);
    expect(printed).toEqual({
      ticks: 4,
      incidents: [
        {
          organizationId: 'acme',
          identifier: 43,
          alertRuleId: 201,
          status: 'resolved',
          dateStarted: iso(T0 - MINUTE),
          dateClosed: iso(T0),
          triggers: [
            { alertRuleTriggerId: 2002, status: 'resolved', dateModified: iso(T0 + MINUTE) },
            { alertRuleTriggerId: 2001, status: 'resolved', dateModified: iso(T0 + MINUTE) },
          ],
          activity: [
            { type: 'detected', date: iso(T0 - MINUTE) },
            { type: 'created', date: iso(T0) },
            { type: 'status_changed', date: iso(T0), value: 120 },
            { type: 'status_changed', date: iso(T0 + MINUTE), value: 0 },
          ],
        },
      ],
    });
    // Nothing was written: the same replay for real makes the same incident.
    const real = await cli(['alerts', 'replay', '--from', iso(T0 - MINUTE), '--to', iso(T0), '--json']);
    expect(JSON.parse(real.stdout)).toMatchObject({
      ticks: 2,
      incidents: [{ identifier: 43, status: 'critical' }],
    });
    expect((await cli(['notifications', 'list'])).stdout).toContain('0 pending, 0 sent, 0 failed');
    const card = await cli(['card', 'acme/43', '--platform', 'text']);
    expect(card.code).toBe(0);
    expect(card.stdout).toContain('Checkout errors (live)');
    const next = await cli(['alerts', 'evaluate', '--at', iso(T0 + MINUTE + 59_000)]);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain(`acme#43  rule 201  resolved: critical → resolved (value 0)`);
    expect(next.stdout).toContain('1 tick, 1 change on 1 incident');
    const outbox = await cli(['notifications', 'list', '--pending']);
    expect(outbox.stdout).toMatch(
      /\tpending\tdiscord:1100000000000000001\tacme#43 resolved → resolved \(v2\)/,
    );
    expect(outbox.stdout).toContain('1 pending, 0 sent, 0 failed');
  }, 60_000);

  it('lists, disables and enables rules', async () => {
    const listed = await cli(['rules', 'list', '--org', 'acme']);
    expect(listed.stdout).toMatch(
      /201 {2}acme {2}enabled .*count\(\) over 60 s; warning > 50, critical > 100; resolve 10/,
    );
    expect((await cli(['rules', 'disable', 'acme', '201'])).stdout).toContain(
      'rule 201 (Checkout errors (live)) is now disabled',
    );
    expect((await cli(['rules', 'list'])).stdout).toContain('disabled');
    expect((await cli(['rules', 'enable', 'acme', '201'])).stdout).toContain('is now enabled');
    const wrong = await cli(['rules', 'disable', 'other-org', '201']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('organization "other-org" has no alert rule 201');
  }, 60_000);

  it('refuses bad times with exit 2', async () => {
    const result = await cli(['alerts', 'evaluate', '--at', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--at must be an ISO-8601 time');
  });
});

describe('two evaluators on one store', () => {
  let server: ChildProcess | undefined;
  afterAll(() => server?.kill('SIGKILL'));

  it('the second process cannot open the store and says why', async () => {
    server = spawn('node', [BIN, 'serve', '--port', '0', '--host', '127.0.0.1', '--no-demo'], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ALERT_EVAL_INTERVAL_S: '3600' },
    });
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      // The banner is on stdout; stderr carries only the JSON log records.
      server!.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('listening on')) resolve();
      });
      server!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)));
    });
    const second = await cli(['alerts', 'evaluate']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('is in use by another incident-cards process');
    const exited = new Promise<number | null>((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});

// `incident-cards notifications list` as an operator runs it, on a store whose outbox has a delivered job, a
// failed one (channel gone) and a pending one.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, OTHER_CHANNEL } from '../fixtures/notify/dataset.ts';
import { change, startDiscordNotifyHarness } from './discord-harness.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'incident-cards.mjs');
const run = promisify(execFile);
let dataDir: string;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  const harness = await startDiscordNotifyHarness({ channels: [CHANNEL] });
  for (const channelId of [CHANNEL, OTHER_CHANNEL]) {
    await harness.store.subscribe(
      { platform: 'discord', organizationId: 'acme', channelId, conversation: null, ruleId: null },
      new Date().toISOString(),
    );
  }
  await harness.commit([change(1, 'created', 'warning')]);
  await harness.worker().runUntilIdle();
  await harness.store.subscribe(
    {
      platform: 'discord',
      organizationId: 'acme',
      channelId: OTHER_CHANNEL,
      conversation: null,
      ruleId: null,
    },
    new Date().toISOString(),
  );
  await harness.commit([change(2, 'created', 'critical')]);
  dataDir = harness.testApp.dataDir;
  // The server would hold the file: the CLI runs once it has let go.
  await harness.testApp.app.close();
  await harness.fake.close();
  cleanUp = () => import('node:fs/promises').then(({ rm }) => rm(dataDir, { recursive: true, force: true }));
});
afterAll(() => cleanUp());

const cli = async (...args: string[]) =>
  (
    await run('node', [BIN, 'notifications', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    })
  ).stdout;

describe('incident-cards notifications list', () => {
  it('lists every job, newest first, with the totals', async () => {
    const lines = (await cli('list')).trim().split('\n');
    expect(lines.at(-1)).toBe('2 pending, 1 sent, 1 failed');
    expect(lines).toHaveLength(5);
  });

  it('--failed shows what was given up and why', async () => {
    const lines = (await cli('list', '--failed')).trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\d+\tfailed\tdiscord:${OTHER_CHANNEL}\tacme#1 created → warning \\(v\\d+\\)\tattempts 1  last error: 404 Unknown Channel`,
      ),
    );
    expect(lines).toHaveLength(2);
  });

  it('--pending shows what is still to be delivered', async () => {
    const lines = (await cli('list', '--pending')).trim().split('\n');
    expect(lines.slice(0, -1).every((line) => /\tpending\t.*acme#2 created → critical/.test(line))).toBe(
      true,
    );
    expect(lines).toHaveLength(3);
  });

  it('has --help', async () => {
    expect(await cli('--help')).toMatch(/^usage: incident-cards notifications list \[--pending\|--failed\]/);
  });
});

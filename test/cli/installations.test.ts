// `incident-cards installations set`: who may act, written into the store and honoured by the next app that
// opens it; a clear refusal while a server holds the store.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { CORE_WIRING } from '../support/cli-wiring.ts';
import { openAppAt, withAppAt } from '../support/store-at.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'incident-cards.mjs');
const GUILD = '111122223333444455';
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-installations-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, CORE_WIRING, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

async function importInstallation() {
  const file = join(dataDir, 'dataset.json');
  await writeFile(
    file,
    JSON.stringify({
      version: 1,
      organizations: [{ id: 'acme', name: 'Acme' }],
      installations: [{ platform: 'discord', tenantId: GUILD, organizationId: 'acme' }],
    }),
  );
  expect((await cli('import', file)).code).toBe(0);
}

describe('installations set', () => {
  it('--help explains itself, the lock included', async () => {
    const result = await cli('installations', 'set', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: incident-cards installations set <platform> <tenantId>/);
    expect(result.stdout).toContain('stop it, run this, start it again');
  });

  it('sets responder roles and responders; the next app reads them; "" clears a list', async () => {
    await importInstallation();
    const set = await cli(
      'installations',
      'set',
      'discord',
      GUILD,
      '--responder-roles',
      '1300000000000000777,42',
    );
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toContain('responder roles 1300000000000000777,42; responders (none)');
    expect((await cli('installations', 'set', 'discord', GUILD, '--responders', '7')).code).toBe(0);
    expect((await cli('installations', 'set', 'discord', GUILD, '--responder-roles', '')).code).toBe(0);

    await withAppAt(dataDir, async ({ app }) => {
      expect(app.repository.findInstallation('discord', GUILD)).toEqual({
        platform: 'discord',
        tenantId: GUILD,
        organizationId: 'acme',
        responderRoleIds: [],
        responders: ['7'],
      });
    });
  });

  it.each([
    [['installations', 'set', 'slack', GUILD, '--responders', '1'], 'discord or teams'],
    [['installations', 'set', 'discord', GUILD], 'needs --responder-roles and/or --responders'],
    [
      ['installations', 'set', 'discord', '999', '--responders', '1'],
      'no discord installation for tenant 999',
    ],
  ])('refuses %j with exit 2', async (args, reason) => {
    await importInstallation();
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(reason);
  });

  it('says clearly that a running server holds the store', async () => {
    await importInstallation();
    const server = await openAppAt(dataDir);
    try {
      const result = await promisify(execFile)(
        'node',
        [BIN, 'installations', 'set', 'discord', GUILD, '--responders', '1'],
        { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } },
      ).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('a running server holds it; stop it first');
    } finally {
      await server.app.close();
    }
  });
});

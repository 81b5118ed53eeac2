// `incident-cards keys create|list|revoke` and a dataset's `projectKeys`, through the real CLI and key log.
import { CORE_WIRING } from '../support/cli-wiring.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.ts';
import { createKeyDirectory } from '../../src/keys/key-directory.ts';
import { ingestDataset } from '../ingest/ingest-harness.ts';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-keys-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(args, CORE_WIRING, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
    env: { DATA_DIR: dataDir, PUBLIC_URL: 'https://cards.example.com:8443', LOG_LEVEL: 'silent' },
  });
  return { code, stdout, stderr };
}

async function importDataset(extra: object = {}) {
  const file = join(dataDir, 'dataset.json');
  await writeFile(file, JSON.stringify({ ...ingestDataset(Date.now()), ...extra }));
  return cli('import', file);
}

describe('keys', () => {
  it.each([['create'], ['list'], ['revoke']])('keys %s --help explains itself', async (action) => {
    const result = await cli('keys', action, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout.join('\n')).toMatch(/usage: incident-cards keys create/);
  });

  it('creates a project key whose DSN is the last line, and an organization key printed alone', async () => {
    await importDataset();
    const project = await cli('keys', 'create', 'acme', '11', '--name', 'checkout');
    expect(project.code).toBe(0);
    expect(project.stdout.at(-1)).toMatch(/^https:\/\/[0-9a-f]{32}@cards\.example\.com:8443\/11$/);
    const organization = await cli('keys', 'create', 'acme');
    expect(organization.stdout.at(-1)).toMatch(/^[0-9a-f]{32}$/);
    const listed = await cli('keys', 'list', 'acme');
    expect(listed.stdout).toHaveLength(2);
    expect(listed.stdout.join('\n')).toContain('acme/11\tcheckout\tactive');
    expect((await cli('keys', 'list', 'globex')).stdout).toEqual(['no keys for globex']);
  });

  it('refuses an unknown organization, or a project of another organization', async () => {
    await importDataset();
    expect(await cli('keys', 'create', 'nope')).toMatchObject({
      code: 2,
      stderr: ['unknown organization "nope"'],
    });
    expect((await cli('keys', 'create', 'acme', '21')).stderr).toEqual([
      'project 21 belongs to organization "globex"',
    ]);
    expect((await cli('keys', 'create', 'acme', 'x')).code).toBe(2);
  });

  it('revokes a key: a running directory sees it without a restart', async () => {
    await importDataset();
    const key = new URL((await cli('keys', 'create', 'acme', '11')).stdout.at(-1)!).username;
    const directory = createKeyDirectory(dataDir, { recheckMs: 0 });
    expect((await directory.find(key))?.revokedAt).toBeNull();
    expect((await cli('keys', 'revoke', key)).code).toBe(0);
    expect((await directory.find(key))?.revokedAt).toEqual(expect.any(String));
    expect((await cli('keys', 'list')).stdout.join('\n')).toMatch(/revoked/);
    expect((await cli('keys', 'revoke', 'f'.repeat(32))).code).toBe(2);
  });

  it("takes a dataset's projectKeys, checks them, and never un-revokes one on re-import", async () => {
    const publicKey = 'c'.repeat(32);
    const projectKeys = [{ publicKey, organizationId: 'acme', projectId: 11, name: 'from dataset' }];
    expect((await importDataset({ projectKeys })).code).toBe(0);
    const directory = createKeyDirectory(dataDir, { recheckMs: 0 });
    expect(await directory.find(publicKey)).toMatchObject({
      organizationId: 'acme',
      projectId: 11,
      revokedAt: null,
    });
    await cli('keys', 'revoke', publicKey);
    expect((await importDataset({ projectKeys })).code).toBe(0);
    expect((await directory.find(publicKey))?.revokedAt).toEqual(expect.any(String));
    const wrong = await importDataset({
      projectKeys: [{ publicKey, organizationId: 'acme', projectId: 21 }],
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.join('\n')).toContain('project 21 belongs to organization "globex"');
  });
});

// `incident-cards discord register [--guild ID]` against a loopback Discord REST.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS_MANIFEST } from '../../../adapters/discord/commands.ts';
import { discordCliCommands } from '../../../adapters/discord/index.ts';
import type { CliContext } from '../../../src/adapter.ts';
import { type FakeDiscordRest, startFakeDiscordRest } from './fake-discord-rest.ts';

const register = discordCliCommands.find((command) => command.name.join(' ') === 'discord register')!;
const manifest = JSON.parse(readFileSync(COMMANDS_MANIFEST, 'utf8'));

describe('discord register', () => {
  let rest: FakeDiscordRest;
  let out: string[];
  let err: string[];
  const run = (args: string[], env: Record<string, string | undefined> = {}) => {
    const context: CliContext = {
      openApp: () => Promise.reject(new Error('register needs no store')),
      stdout: (line) => out.push(line),
      stderr: (line) => err.push(line),
      env: {
        DISCORD_APPLICATION_ID: '1300000000000000001',
        DISCORD_BOT_TOKEN: 'bot-token',
        DISCORD_API_BASE_URL: rest.baseUrl,
        ...env,
      },
    };
    return register.run(args, context);
  };

  beforeAll(async () => {
    rest = await startFakeDiscordRest();
  });
  afterAll(() => rest.close());
  beforeEach(() => {
    out = [];
    err = [];
    rest.requests.length = 0;
    rest.failWith(null);
  });

  it('bulk-overwrites the global commands with the manifest', async () => {
    expect(await run([])).toBe(0);
    expect(rest.requests).toEqual([
      {
        method: 'PUT',
        path: '/api/v10/applications/1300000000000000001/commands',
        body: manifest,
        authorization: 'Bot bot-token',
      },
    ]);
    expect(out).toEqual(['registered 2 Discord commands globally']);
  });

  it.each([[['--guild', '111122223333444455']], [['--guild=111122223333444455']]])(
    'registers in one server with %j',
    async (args) => {
      expect(await run(args)).toBe(0);
      expect(rest.requests[0]!.path).toBe(
        '/api/v10/applications/1300000000000000001/guilds/111122223333444455/commands',
      );
      expect(out).toEqual(['registered 2 Discord commands in server 111122223333444455']);
    },
  );

  it('--help explains itself', async () => {
    expect(await run(['--help'])).toBe(0);
    expect(out[0]).toBe('usage: incident-cards discord register [--guild ID]');
    expect(rest.requests).toEqual([]);
  });

  it.each([
    ['an unknown flag', ['--global'], {}, 'error: unknown argument "--global"'],
    ['a guild that is not an id', ['--guild', 'acme'], {}, 'error: --guild needs a server id (17–20 digits)'],
    ['a missing guild', ['--guild'], {}, 'error: --guild needs a server id (17–20 digits)'],
    [
      'no bot token',
      [],
      { DISCORD_BOT_TOKEN: undefined },
      'error: set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN',
    ],
  ])('exits 2 for %s', async (_situation, args, env, message) => {
    expect(await run(args, env)).toBe(2);
    expect(err[0]).toContain(message);
    expect(rest.requests).toEqual([]);
  });

  it('exits 1 with one readable line when Discord refuses', async () => {
    rest.failWith(401);
    expect(await run([])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: Discord refused the commands: .*fake failure/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS_MANIFEST, loadCommandManifest } from '../../../adapters/discord/commands.ts';
import { COMMAND_NAMES } from '../../../adapters/discord/slash-command.ts';
import { expectValidCommands } from './discord-schemas.ts';

describe('manifest/discord/commands.json', () => {
  const commands = JSON.parse(readFileSync(COMMANDS_MANIFEST, 'utf8'));

  it('is a valid bulk-overwrite body for Discord', () => {
    expectValidCommands(commands);
  });

  it('names the commands the parser understands', async () => {
    const manifest = await loadCommandManifest();
    expect(manifest.ok).toBe(true);
    const names = commands.map((command: { name: string; type: number }) => [command.name, command.type]);
    expect(names).toEqual([
      [COMMAND_NAMES.slash, 1],
      [COMMAND_NAMES.message, 3],
    ]);
    const subcommands = commands[0].options.map((option: { name: string }) => option.name);
    expect(subcommands).toEqual([
      'show',
      'list',
      'help',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'unfurl',
    ]);
    expect(commands[0].options[0].options[0]).toMatchObject({
      name: 'id',
      autocomplete: true,
      required: true,
    });
  });
});

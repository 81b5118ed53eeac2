// The command ids the bot answers are the ones the manifest publishes: a rename on one side only would leave
// the search box silently empty.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SEARCH_COMMAND_ID } from '../../../adapters/teams/commands.ts';

const manifest = JSON.parse(
  readFileSync(new URL('../../../manifest/teams/manifest.json', import.meta.url), 'utf8'),
) as { composeExtensions: { commands: { id: string; type: string }[] }[] };

it('answers the search command the manifest declares', () => {
  const commands = manifest.composeExtensions.flatMap((extension) => extension.commands);
  expect(commands).toContainEqual(expect.objectContaining({ id: SEARCH_COMMAND_ID, type: 'query' }));
});

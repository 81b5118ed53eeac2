// help: the commands a user can give, as ids. Each adapter words them in its platform's terms.
import type { CommandKind, Reply } from '../command/model.ts';

/** Refresh and autocomplete are answers to a card or a keystroke, not commands a user types. */
const USER_COMMANDS: readonly CommandKind[] = [
  'incident.show',
  'incident.list',
  'incident.unfurl',
  'incident.search',
  'help',
];

export function help(): Reply {
  return { kind: 'help', commands: [...USER_COMMANDS] };
}

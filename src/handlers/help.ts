// help: what the bot can do, in words that fit every platform.
import type { ActorPlatform, Reply } from '../command/model.ts';

const ENTRIES: Record<ActorPlatform, { usage: string; description: string }[]> = {
  discord: [
    {
      usage: '/incident show id:<identifier>',
      description: 'A live card for one incident (autocomplete finds it by title).',
    },
    {
      usage: '/incident list [status]',
      description: "Open incidents of this server's organization, newest first.",
    },
    {
      usage: 'Apps → Incident cards (on a message)',
      description: 'Cards for every incident link or #id in that message.',
    },
    { usage: '/incident help', description: 'This help.' },
  ],
  teams: [
    { usage: '@bot incident 42', description: 'A live card for incident 42.' },
    { usage: '@bot list', description: 'Open incidents of your organization, newest first.' },
    { usage: 'Paste an incident link', description: 'The link unfurls into a live card.' },
    {
      usage: '… → Incident cards (on a message)',
      description: 'Cards for every incident link or #id in that message.',
    },
    { usage: '@bot help', description: 'This help.' },
  ],
  cli: [{ usage: 'incident-cards card <org>/<identifier>', description: 'Print a card.' }],
};

export function help(platform: ActorPlatform): Reply {
  return {
    kind: 'help',
    title: 'Incident cards',
    entries: ENTRIES[platform],
    footer:
      "Cards show the alert's current metric value, computed live over the rule's time window. " +
      'Use Refresh on a card to recompute it.',
  };
}

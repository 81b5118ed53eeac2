// What Discord users read: the words for every reply code and help entry, in Discord's own terms
// (slash commands, servers, the Apps menu). src/ answers with codes; this is the one place they become text.
import type { ResponderNeed } from '../../src/actions/model.ts';
import type {
  CommandKind,
  ErrorReply,
  IncidentRef,
  RuleName,
  SubscriptionChange,
} from '../../src/command/model.ts';

export const HELP_TITLE = 'Incident cards';

export const HELP_FOOTER =
  "Cards show the alert's current metric value, computed live over the rule's time window. " +
  'Use Refresh on a card to recompute it.';

type HelpEntry = { usage: string; description: string };

/** How each command is given in Discord; commands Discord does not offer have no entry. */
const HELP_ENTRIES: Record<CommandKind, readonly HelpEntry[]> = {
  'incident.show': [
    {
      usage: '/incident show id:<identifier>',
      description: 'A live card for one incident (autocomplete finds it by title).',
    },
  ],
  'incident.list': [
    {
      usage: '/incident list [status]',
      description: "Open incidents of this server's organization, newest first.",
    },
  ],
  'incident.unfurl': [
    {
      usage: 'Apps → Incident cards (on a message)',
      description: 'Cards for every incident link or #id in that message.',
    },
  ],
  'incident.search': [],
  'incident.refresh': [],
  'incident.autocomplete': [],
  'subscription.add': [
    {
      usage: '/incident subscribe [rule]',
      description:
        'Post a card in this channel for every incident of that rule (no rule: every rule), edited as it ' +
        'changes. Needs Manage Channels.',
    },
  ],
  'subscription.remove': [
    { usage: '/incident unsubscribe [rule]', description: 'Stop those cards (no rule: the every-rule one).' },
  ],
  'subscription.list': [
    { usage: '/incident subscriptions', description: 'What this channel is notified about.' },
  ],
  'rule.autocomplete': [],
  help: [{ usage: '/incident help', description: 'This help.' }],
  'incident.act': [
    {
      usage: 'Buttons under a card',
      description:
        'Acknowledge, Resolve, Reopen, Assign, Snooze notifications — for responders of this server.',
    },
  ],
};

export function helpEntries(commands: readonly CommandKind[]): HelpEntry[] {
  return commands.flatMap((command) => HELP_ENTRIES[command]);
}

type SimpleCode = Exclude<
  ErrorReply['code'],
  'not_found' | 'other_organization' | 'rule_not_found' | 'forbidden'
>;

const ERROR_WORDS: Record<SimpleCode, string> = {
  not_installed:
    'This server is not connected to an organization yet. An admin adds it as a `discord` installation ' +
    '(see the README: "Connect a Discord server"). Commands do not work in direct messages.',
  bad_request: 'That request did not work. Try `/incident help`.',
  unavailable: 'Something went wrong on our side while answering. Try again in a moment.',
  not_in_channel: 'Subscribe in a server channel: the cards go to the channel the command was given in.',
};

const FORBIDDEN_WORDS = {
  none: 'You are not allowed to do that here.',
  channel_permission:
    "Only members with Manage Channels in this channel can change what it's notified about.",
  not_a_subscriber:
    "This server's installation lets only the people it lists change incident notifications; ask an admin.",
} as const;

export function errorText(reply: ErrorReply): string {
  switch (reply.code) {
    case 'not_found': {
      const names = reply.refs.map((ref) => `#${ref.identifier}`).join(', ');
      const where = reply.organization ? ` in ${reply.organization}` : '';
      return `No incident ${names}${where}. Try \`/incident list\` to see open incidents.`;
    }
    case 'other_organization': {
      // The link already names its organization; the answer says only that it is not this one.
      const names = (refs: readonly IncidentRef[]) => refs.map((ref) => `#${ref.identifier}`).join(', ');
      const own = reply.organization;
      if (reply.missing.length === 0) {
        const which =
          reply.refs.length === 1 ? 'This incident belongs' : `Incidents ${names(reply.refs)} belong`;
        return `${which} to another organization; here you see ${own}'s incidents only.`;
      }
      const belong = reply.refs.length === 1 ? 'belongs' : 'belong';
      return `No incident ${names(reply.missing)} in ${own}; ${names(reply.refs)} ${belong} to another organization. Try \`/incident list\` to see open incidents.`;
    }
    case 'rule_not_found':
      return `No alert rule "${reply.rule}" in ${reply.organization}. Pick one of the suggestions in the rule option.`;
    case 'forbidden':
      return reply.need ? forbiddenText(reply.need) : FORBIDDEN_WORDS[reply.because ?? 'none'];
    default:
      return ERROR_WORDS[reply.code];
  }
}

export const SUBSCRIPTIONS_TITLE = 'Incident notifications in this channel';
export const BROKEN = 'broken';
export const NO_SUBSCRIPTIONS =
  'This channel follows no alert rules. `/incident subscribe [rule]` posts a card for every incident, ' +
  'edited in place as it changes.';

/** "every alert rule of Acme", or the rule's name in quotes. */
function subscribedRule(rule: RuleName | null, organization: string): string {
  if (!rule) return `every alert rule of ${organization}`;
  return `"${ruleLine(rule)}"`;
}

/** One line of the list: the rule's name, or "every alert rule". */
export function ruleLine(rule: RuleName | null): string {
  if (!rule) return 'every alert rule';
  return rule.name || `rule ${rule.id}`;
}

export function subscriptionChangeText(change: SubscriptionChange, organization: string): string {
  const what = subscribedRule(change.rule, organization);
  switch (change.kind) {
    case 'added':
      return `This channel now gets a card for every incident of ${what}, updated as it changes.`;
    case 'already':
      return `This channel already followed ${what}; it is active again.`;
    case 'removed':
      return `This channel no longer follows ${what}.`;
    case 'absent':
      return `This channel did not follow ${what}.`;
  }
}

export const UNSUPPORTED = 'Incident cards does not handle this. Try `/incident help`.';

export const STALE_BUTTON =
  'This button is no longer valid (it is from an older version of the bot, or not from it). ' +
  'Run `/incident show` again for a fresh card.';

export const NO_REFERENCES = 'That message has no incident links or `#<id>` references.';

export const NOTHING_TO_SHOW = 'Nothing to show here.';

export function notAnIncidentNumber(value: unknown): string {
  return `"${String(value ?? '')}" is not an incident number. Type a number such as 42, or pick one of the suggestions.`;
}

export function listFooter(first: number, last: number, total: number): string {
  return `${first}–${last} of ${total} · /incident show id:<number> for a card`;
}

export function refName(ref: IncidentRef): string {
  return ref.organizationId ? `${ref.organizationId}#${ref.identifier}` : `#${ref.identifier}`;
}

/** Why a person may not act, and what would let them (the installation's roles are mentioned, not pinged). */
export function forbiddenText(need: ResponderNeed): string {
  const roles = need.roleIds.map((id) => `<@&${id}>`).join(', ');
  const withRoles = roles ? ` or one of the roles ${roles}` : '';
  if (need.respondersOnly)
    return `Only this server's responders${withRoles} can act on incidents. Ask an admin to add you (\`incident-cards installations set\`).`;
  return `To act on incidents you need the **Manage Messages** permission in this channel${withRoles}. Nothing was changed.`;
}

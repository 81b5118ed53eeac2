// What Teams users read: the words for every reply code and help entry, in Teams' own terms (@mentions,
// message actions, tenants). src/ answers with codes; this is the one place they become text.
import type {
  CommandKind,
  ErrorReply,
  IncidentRef,
  RuleName,
  SubscriptionChange,
  SubscriptionItem,
} from '../../src/command/model.ts';

export const HELP_TITLE = 'Incident cards';

export const HELP_FOOTER =
  "Cards show the alert's current metric value, computed live over the rule's time window. " +
  'Use Refresh on a card to recompute it.';

type HelpEntry = { usage: string; description: string };

/** How each command is given in Teams; commands Teams does not offer have no entry. */
const HELP_ENTRIES: Record<CommandKind, readonly HelpEntry[]> = {
  'incident.show': [{ usage: '@bot incident 42', description: 'A live card for incident 42.' }],
  'incident.list': [
    { usage: '@bot list', description: 'Open incidents of your organization, newest first.' },
  ],
  'incident.unfurl': [
    { usage: 'Paste an incident link', description: 'The link unfurls into a live card.' },
    {
      usage: '… → Incident cards (on a message)',
      description: 'Cards for every incident link or #id in that message.',
    },
  ],
  'incident.search': [],
  'incident.refresh': [],
  'incident.autocomplete': [],
  'subscription.add': [
    {
      usage: '@bot subscribe [rule]',
      description:
        'Post a card in this channel or group chat for every incident of that rule (no rule: every rule), ' +
        'updated as it changes.',
    },
  ],
  'subscription.remove': [
    { usage: '@bot unsubscribe [rule]', description: 'Stop those cards (no rule: the every-rule one).' },
  ],
  'subscription.list': [
    { usage: '@bot subscriptions', description: 'What this conversation is notified about.' },
  ],
  'rule.autocomplete': [],
  help: [{ usage: '@bot help', description: 'This help.' }],
  'incident.act': [
    {
      usage: 'Buttons on a card',
      description: 'Acknowledge, Resolve, Reopen, Assign, Snooze notifications (responders of your tenant).',
    },
  ],
};

export function helpEntries(commands: readonly CommandKind[]): HelpEntry[] {
  return commands.flatMap((command) => HELP_ENTRIES[command]);
}

/** Each error's heading (and the container style that carries it) and its explanation. */
export const ERROR_HEADING: Record<ErrorReply['code'], { title: string; style: string }> = {
  not_installed: { title: 'Not connected yet', style: 'warning' },
  not_found: { title: 'Not found', style: 'warning' },
  other_organization: { title: 'Another organization', style: 'warning' },
  rule_not_found: { title: 'No such alert rule', style: 'warning' },
  not_in_channel: { title: 'Not in a channel', style: 'warning' },
  bad_request: { title: 'That did not work', style: 'warning' },
  unavailable: { title: 'Unavailable right now', style: 'attention' },
  forbidden: { title: 'Not allowed', style: 'attention' },
};

type SimpleCode = Exclude<
  ErrorReply['code'],
  'not_found' | 'other_organization' | 'rule_not_found' | 'forbidden'
>;

const ERROR_WORDS: Record<SimpleCode, string> = {
  not_installed:
    'Your Microsoft 365 tenant is not connected to an organization yet. An admin adds it as a `teams` ' +
    'installation (see the README: "Connect a Teams tenant").',
  bad_request: 'That request did not work. Send `@bot help` to see what the bot understands.',
  unavailable: 'Something went wrong on our side while answering. Try again in a moment.',
  not_in_channel:
    'Subscribe in a channel or group chat where the app is installed: the cards go to the conversation the ' +
    'command was sent in.',
};

const FORBIDDEN_WORDS = {
  none: 'You are not allowed to do that here.',
  channel_permission: 'You are not allowed to change what this conversation is notified about.',
  not_a_subscriber:
    "Your tenant's installation lets only the people it lists change incident notifications; ask an admin.",
} as const;

export function errorMessage(reply: ErrorReply): string {
  switch (reply.code) {
    case 'not_found': {
      const names = reply.refs.map(refLabel).join(', ');
      if (!reply.organization) return `No incident ${names}.`;
      return `No incident ${names} in ${reply.organization}. Send \`@bot list\` to see open incidents.`;
    }
    case 'other_organization':
      return otherOrganization(reply, 'Send `@bot list` to see open incidents.');
    case 'rule_not_found':
      return `No alert rule "${reply.rule}" in ${reply.organization}. Use the rule's name or id.`;
    case 'forbidden':
      if (reply.need?.respondersOnly)
        return 'Only the responders of your tenant can act on incidents. Ask an admin to add you (`incident-cards installations set teams … --responders`). Nothing was changed.';
      return FORBIDDEN_WORDS[reply.because ?? 'none'];
    default:
      return ERROR_WORDS[reply.code];
  }
}

/** Says that links name another organization's incidents, without naming it (the link already does). */
export function otherOrganization(
  reply: Extract<ErrorReply, { code: 'other_organization' }>,
  listHint: string,
): string {
  const names = (refs: readonly IncidentRef[]) => refs.map((ref) => `#${ref.identifier}`).join(', ');
  const own = reply.organization;
  if (reply.missing.length === 0) {
    const which = reply.refs.length === 1 ? 'This incident belongs' : `Incidents ${names(reply.refs)} belong`;
    return `${which} to another organization; here you see ${own}'s incidents only.`;
  }
  const belong = reply.refs.length === 1 ? 'belongs' : 'belong';
  return `No incident ${names(reply.missing)} in ${own}; ${names(reply.refs)} ${belong} to another organization. ${listHint}`;
}

/** Plain text for surfaces that show text only (search and message-action errors). */
export function errorText(reply: ErrorReply): string {
  return `${ERROR_HEADING[reply.code].title}: ${errorMessage(reply)}`;
}

export function refLabel(ref: IncidentRef): string {
  return ref.organizationId ? `${ref.organizationId} #${ref.identifier}` : `#${ref.identifier}`;
}

export const NO_REFERENCES = 'This message has no incident links or #ids.';
/** The answer to composeExtension/anonymousQueryLink, which our manifest does not opt into. */
export const ANONYMOUS_UNFURL_REFUSED =
  'Incident cards does not unfurl links anonymously (its manifest does not set supportsAnonymizedPayloads); ' +
  'add the app to unfurl incident links.';
export function nothingToInsert(reason?: string): string {
  return reason ? `Nothing to insert: ${reason}.` : 'Nothing to insert.';
}
export const TASK_TITLE = 'Incident cards';

export const SUBSCRIPTIONS_TITLE = 'Incident notifications here';
export const NO_SUBSCRIPTIONS =
  'This conversation follows no alert rules. Send `@bot subscribe [rule]` to get a card for every incident, ' +
  'updated as it changes.';

/** "Every alert rule of Acme", or the rule's name. */
export function subscribedRule(rule: RuleName | null, organization: string): string {
  if (!rule) return `Every alert rule of ${organization}`;
  return rule.name || `Rule ${rule.id}`;
}

export function subscriptionStatus(item: SubscriptionItem): string {
  return item.status === 'active' ? 'Active' : `Broken: ${item.brokenReason ?? 'delivery failed'}`;
}

export function subscriptionChangeText(change: SubscriptionChange, organization: string): string {
  const what = change.rule
    ? `"${subscribedRule(change.rule, organization)}"`
    : `every alert rule of ${organization}`;
  switch (change.kind) {
    case 'added':
      return `This conversation now gets a card for every incident of ${what}, updated as it changes.`;
    case 'already':
      return `This conversation already followed ${what}; it is active again.`;
    case 'removed':
      return `This conversation no longer follows ${what}.`;
    case 'absent':
      return `This conversation did not follow ${what}.`;
  }
}

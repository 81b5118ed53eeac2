// Subscribe / unsubscribe a channel to an alert rule (or all of them), list what it follows, and suggest rules.
// Answers are codes and data (what changed, which rules, which are broken); each adapter words them.
import type {
  Command,
  ErrorReply,
  Reply,
  RuleName,
  SubscriptionChange,
  SubscriptionItem,
} from '../command/model.ts';
import type { AlertRule } from '../domain.ts';
import type { NotificationStore } from '../notify/store.ts';
import type { SubscriptionRecord } from '../notify/subscription.ts';
import type { HandlerContext } from './context.ts';

type Add = Extract<Command, { kind: 'subscription.add' }>;
type Remove = Extract<Command, { kind: 'subscription.remove' }>;
type List = Extract<Command, { kind: 'subscription.list' }>;
type Autocomplete = Extract<Command, { kind: 'rule.autocomplete' }>;
type Change = Add | Remove;
type Platform = SubscriptionRecord['platform'];

const UNAVAILABLE: ErrorReply = { kind: 'error', code: 'unavailable' };

export async function addSubscription(command: Add, context: HandlerContext): Promise<Reply> {
  const checked = check(command, context);
  if (!checked.ok) return checked.reply;
  const { store, channelId, platform, rule } = checked;
  const { created } = await store.subscribe(
    {
      platform,
      organizationId: context.organization.id,
      channelId,
      conversation: command.conversation,
      ruleId: rule?.id ?? null,
    },
    new Date().toISOString(),
  );
  return listReply(store, command, context, { kind: created ? 'added' : 'already', rule: ruleName(rule) });
}

export async function removeSubscription(command: Remove, context: HandlerContext): Promise<Reply> {
  const checked = check(command, context);
  if (!checked.ok) return checked.reply;
  const { store, channelId, platform, rule } = checked;
  const removed = await store.unsubscribe({ platform, channelId }, context.organization.id, rule?.id ?? null);
  return listReply(store, command, context, {
    kind: removed > 0 ? 'removed' : 'absent',
    rule: ruleName(rule),
  });
}

export async function listSubscriptions(command: List, context: HandlerContext): Promise<Reply> {
  const store = context.notifications;
  if (!store) return UNAVAILABLE;
  return listReply(store, command, context, null);
}

/** Rule names (and ids) of the organization that match what was typed. */
export function autocompleteRules(command: Autocomplete, context: HandlerContext): Reply {
  const text = command.text.trim().toLowerCase();
  const rules = context.repository
    .listRules(context.organization.id)
    .filter((rule) => String(rule.id).startsWith(text) || rule.name.toLowerCase().includes(text));
  return {
    kind: 'choices',
    choices: rules.slice(0, command.count).map((rule) => ({ name: rule.name, value: String(rule.id) })),
  };
}

type Checked =
  | { ok: true; store: NotificationStore; channelId: string; platform: Platform; rule: AlertRule | null }
  | { ok: false; reply: ErrorReply };

/** Who may change a channel's subscriptions: the platform's permission, then the installation's list. */
function check(command: Change, context: HandlerContext): Checked {
  const store = context.notifications;
  if (!store) return { ok: false, reply: UNAVAILABLE };
  const platform = platformOf(command);
  if (!platform) return { ok: false, reply: { kind: 'error', code: 'bad_request' } };
  if (!command.allowed)
    return { ok: false, reply: { kind: 'error', code: 'forbidden', because: 'channel_permission' } };
  const installation = command.actor.tenantId
    ? context.repository.findInstallation(platform, command.actor.tenantId)
    : null;
  if (installation?.subscribers && !installation.subscribers.includes(command.actor.userId))
    return { ok: false, reply: { kind: 'error', code: 'forbidden', because: 'not_a_subscriber' } };
  const channelId = command.actor.channelId;
  if (!channelId) return { ok: false, reply: { kind: 'error', code: 'not_in_channel' } };
  const rule = resolveRule(command.rule, context);
  if (rule === undefined) {
    const reply: ErrorReply = {
      kind: 'error',
      code: 'rule_not_found',
      rule: command.rule ?? '',
      organization: context.organization.name,
    };
    return { ok: false, reply };
  }
  return { ok: true, store, channelId, platform, rule };
}

async function listReply(
  store: NotificationStore,
  command: Change | List,
  context: HandlerContext,
  change: SubscriptionChange | null,
): Promise<Reply> {
  const channelId = command.actor.channelId;
  const platform = platformOf(command);
  const all = channelId && platform ? await store.subscriptionsOf({ platform, channelId }) : [];
  const rules = new Map(context.repository.listRules(context.organization.id).map((rule) => [rule.id, rule]));
  const items = all
    .filter((subscription) => subscription.organizationId === context.organization.id)
    .map(
      (subscription): SubscriptionItem => ({
        rule:
          subscription.ruleId === null
            ? null
            : (ruleName(rules.get(subscription.ruleId)) ?? { id: subscription.ruleId, name: '' }),
        status: subscription.status,
        brokenReason: subscription.brokenReason,
      }),
    );
  return { kind: 'subscriptions', change, organization: context.organization.name, items };
}

/** null: every rule; undefined: no such rule. An id or a name (case-insensitive), of this organization only. */
function resolveRule(text: string | null, context: HandlerContext): AlertRule | null | undefined {
  if (text === null || text.trim() === '') return null;
  const wanted = text.trim().toLowerCase();
  const rules = context.repository.listRules(context.organization.id);
  return (
    rules.find((rule) => String(rule.id) === wanted) ??
    rules.find((rule) => rule.name.toLowerCase() === wanted)
  );
}

function ruleName(rule: AlertRule | null | undefined): RuleName | null {
  return rule ? { id: rule.id, name: rule.name } : null;
}

/** Subscriptions belong to chat platforms; the CLI has no channel to post to. */
function platformOf(command: Change | List): Platform | null {
  return command.actor.platform === 'cli' ? null : command.actor.platform;
}

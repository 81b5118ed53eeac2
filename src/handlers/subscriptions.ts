// Subscribe / unsubscribe a channel to an alert rule (or all of them), list what it follows, and suggest rules.
import type { Command, Reply, SubscriptionLine } from '../command/model.ts';
import type { NotificationStore } from '../notify/store.ts';
import type { SubscriptionRecord } from '../notify/subscription.ts';
import type { AlertRule } from '../store/dataset.ts';
import type { HandlerContext } from './context.ts';

type Add = Extract<Command, { kind: 'subscription.add' }>;
type Remove = Extract<Command, { kind: 'subscription.remove' }>;
type List = Extract<Command, { kind: 'subscription.list' }>;
type Autocomplete = Extract<Command, { kind: 'rule.autocomplete' }>;

const TITLE = 'Incident notifications in this channel';
const EVERY_RULE = 'every alert rule';
const FORBIDDEN: Reply = {
  kind: 'error',
  code: 'forbidden',
  message: 'Only people who may manage this channel can change what it is notified about.',
};
const NO_CHANNEL: Reply = {
  kind: 'error',
  code: 'bad_request',
  message: 'Subscribe in a channel or group chat: notifications go to the conversation they were asked in.',
};
const UNAVAILABLE: Reply = { kind: 'error', code: 'unavailable', message: 'Notifications are not set up.' };

export async function addSubscription(command: Add, context: HandlerContext): Promise<Reply> {
  const store = context.notifications;
  if (!store) return UNAVAILABLE;
  if (!command.allowed) return FORBIDDEN;
  const channelId = command.actor.channelId;
  if (!channelId) return NO_CHANNEL;
  const rule = resolveRule(command.rule, context);
  if (rule === undefined) return unknownRule(command.rule);
  const { created } = await store.subscribe(
    {
      platform: command.actor.platform === 'teams' ? 'teams' : 'discord',
      organizationId: context.organization.id,
      channelId,
      conversation: command.conversation,
      ruleId: rule?.id ?? null,
    },
    new Date().toISOString(),
  );
  const what = rule ? `"${rule.name}"` : `${EVERY_RULE} of ${context.organization.name}`;
  const message = created
    ? `This channel now gets a card for every incident of ${what}, updated as it changes.`
    : `This channel already followed ${what}; it is active again.`;
  return listReply(store, command, context, message);
}

export async function removeSubscription(command: Remove, context: HandlerContext): Promise<Reply> {
  const store = context.notifications;
  if (!store) return UNAVAILABLE;
  if (!command.allowed) return FORBIDDEN;
  const channelId = command.actor.channelId;
  if (!channelId) return NO_CHANNEL;
  const rule = resolveRule(command.rule, context);
  if (rule === undefined) return unknownRule(command.rule);
  const key = { platform: platformOf(command), channelId };
  const removed = await store.unsubscribe(key, context.organization.id, rule?.id ?? null);
  const what = rule ? `"${rule.name}"` : EVERY_RULE;
  const message =
    removed > 0 ? `This channel no longer follows ${what}.` : `This channel did not follow ${what}.`;
  return listReply(store, command, context, message);
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
    choices: rules.slice(0, 25).map((rule) => ({ name: rule.name.slice(0, 100), value: String(rule.id) })),
  };
}

async function listReply(
  store: NotificationStore,
  command: Add | Remove | List,
  context: HandlerContext,
  message: string | null,
): Promise<Reply> {
  const channelId = command.actor.channelId;
  const all = channelId ? await store.subscriptionsOf({ platform: platformOf(command), channelId }) : [];
  const mine = all.filter((subscription) => subscription.organizationId === context.organization.id);
  const items = mine.map((subscription) => line(subscription, context));
  const fallback =
    items.length === 0
      ? 'This channel follows no alert rules. Subscribe to get a card for every incident.'
      : '';
  return { kind: 'subscriptions', title: TITLE, message: message ?? fallback, items };
}

function line(subscription: SubscriptionRecord, context: HandlerContext): SubscriptionLine {
  const rule =
    subscription.ruleId === null
      ? EVERY_RULE
      : (context.repository.listRules(context.organization.id).find((r) => r.id === subscription.ruleId)
          ?.name ?? `rule ${subscription.ruleId}`);
  return { rule, status: subscription.status, brokenReason: subscription.brokenReason };
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

function unknownRule(text: string | null): Reply {
  return { kind: 'error', code: 'not_found', message: `No alert rule "${text ?? ''}" in this organization.` };
}

function platformOf(command: Add | Remove | List): 'discord' | 'teams' {
  return command.actor.platform === 'teams' ? 'teams' : 'discord';
}

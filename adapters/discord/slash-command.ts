// `/incident show|list|help|subscribe|unsubscribe|subscriptions`, their autocomplete, and the "Incident cards" message command → shared commands.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { findIncidentRefs, type LinkSettings, parseIncidentLink } from '../../src/command/incident-links.ts';
import {
  type Actor,
  type Command,
  type IncidentRef,
  MAX_CARDS_PER_MESSAGE,
} from '../../src/command/model.ts';
import { IncidentStatus } from '../../src/domain.ts';
import { parseUnfurlSettings, UNFURL_GROUP, type UnfurlSettingsParse } from './gateway/unfurl-command.ts';
import type { CommandData, CommandInteraction, CommandOption } from './interaction-schema.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { NO_REFERENCES, notAnIncidentNumber } from './words.ts';

/** The names registered in manifest/discord/commands.json (a test keeps the two in step). */
export const COMMAND_NAMES = { slash: 'incident', message: 'Incident cards' } as const;

const MAX_SEARCH_TEXT = 200;

export type CommandParse =
  | { kind: 'command'; command: Command; omitted: IncidentRef[] }
  | { kind: 'invalid'; reason: string }
  | { kind: 'unsupported'; reason: string }
  | UnfurlSettingsParse;

export function applicationCommand(
  interaction: CommandInteraction,
  actor: Actor,
  links: LinkSettings,
): CommandParse {
  const { data } = interaction;
  if (data.type === ApplicationCommandType.Message && data.name === COMMAND_NAMES.message) {
    return messageCommand(data, actor, links);
  }
  if (data.type !== ApplicationCommandType.ChatInput || data.name !== COMMAND_NAMES.slash) {
    return { kind: 'unsupported', reason: `unknown command "${data.name}"` };
  }
  const group = data.options?.[0];
  if (group?.type === ApplicationCommandOptionType.SubcommandGroup && group.name === UNFURL_GROUP) {
    return parseUnfurlSettings(group, actor);
  }
  const sub = subcommand(data);
  switch (sub?.name) {
    case 'show': {
      const value = option(sub, 'id')?.value;
      const ref = incidentRef(value, links);
      if (!ref) {
        return { kind: 'invalid', reason: notAnIncidentNumber(value) };
      }
      return { kind: 'command', command: { kind: 'incident.show', actor, ref }, omitted: [] };
    }
    case 'list': {
      const raw = option(sub, 'status')?.value;
      const status = raw === undefined ? null : IncidentStatus.safeParse(raw);
      if (status !== null && !status.success)
        return { kind: 'invalid', reason: `unknown status "${String(raw)}"` };
      return {
        kind: 'command',
        command: { kind: 'incident.list', actor, status: status?.data ?? null, skip: 0, count: 10 },
        omitted: [],
      };
    }
    case 'help':
      return { kind: 'command', command: { kind: 'help', actor }, omitted: [] };
    case 'subscribe':
    case 'unsubscribe': {
      const value = option(sub, 'rule')?.value;
      const rule = value === undefined ? null : String(value).trim().slice(0, MAX_SEARCH_TEXT) || null;
      const allowed = canManageChannel(actor);
      const command: Command =
        sub.name === 'subscribe'
          ? { kind: 'subscription.add', actor, rule, allowed, conversation: null }
          : { kind: 'subscription.remove', actor, rule, allowed };
      return { kind: 'command', command, omitted: [] };
    }
    case 'subscriptions':
      return { kind: 'command', command: { kind: 'subscription.list', actor }, omitted: [] };
    default:
      return { kind: 'unsupported', reason: `unknown sub-command "${sub?.name ?? ''}"` };
  }
}

export function autocompleteCommand(data: CommandData, actor: Actor): CommandParse {
  const sub = subcommand(data);
  const focused = sub?.options?.find((candidate) => candidate.focused);
  const text = String(focused?.value ?? '').slice(0, MAX_SEARCH_TEXT);
  if (data.name === COMMAND_NAMES.slash && sub?.name === 'show' && focused?.name === 'id') {
    return {
      kind: 'command',
      command: { kind: 'incident.autocomplete', actor, text, count: DISCORD_LIMITS.autocompleteChoices },
      omitted: [],
    };
  }
  const subscribing = sub?.name === 'subscribe' || sub?.name === 'unsubscribe';
  if (data.name === COMMAND_NAMES.slash && subscribing && focused?.name === 'rule') {
    return {
      kind: 'command',
      command: { kind: 'rule.autocomplete', actor, text, count: DISCORD_LIMITS.autocompleteChoices },
      omitted: [],
    };
  }
  return { kind: 'unsupported', reason: 'no autocomplete for this option' };
}

/** Cards for the links and `#<id>`s of the target message; the first ten make the cards, the rest are listed. */
function messageCommand(data: CommandData, actor: Actor, links: LinkSettings): CommandParse {
  const message = data.target_id ? data.resolved?.messages?.[data.target_id] : undefined;
  if (!message) return { kind: 'unsupported', reason: 'the target message is missing from the interaction' };
  const text = [message.content, ...message.embeds.map((embed) => embed.url ?? '')].join('\n');
  const refs = findIncidentRefs(text, links);
  if (refs.length === 0) {
    return { kind: 'invalid', reason: NO_REFERENCES };
  }
  return {
    kind: 'command',
    command: { kind: 'incident.unfurl', actor, refs: refs.slice(0, MAX_CARDS_PER_MESSAGE) },
    omitted: refs.slice(MAX_CARDS_PER_MESSAGE),
  };
}

/**
 * Manage Channels in the member's permissions for this channel, as Discord computed them (overwrites included)
 * and signed with the interaction. https://discord.com/developers/docs/topics/permissions
 */
const MANAGE_CHANNELS = PermissionFlagsBits.ManageChannels;

function canManageChannel(actor: Actor): boolean {
  if (actor.permissions === null || !/^\d{1,30}$/.test(actor.permissions)) return false;
  return (BigInt(actor.permissions) & MANAGE_CHANNELS) === MANAGE_CHANNELS;
}

function subcommand(data: CommandData): CommandOption | undefined {
  const first = data.options?.[0];
  return first?.type === ApplicationCommandOptionType.Subcommand ? first : undefined;
}

function option(parent: CommandOption, name: string): CommandOption | undefined {
  return parent.options?.find((candidate) => candidate.name === name);
}

/** `42`, `#42` or an incident link; the option is a string so that autocomplete can search titles. */
function incidentRef(value: CommandOption['value'], links: LinkSettings): IncidentRef | null {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value > 0 && value < 1e9
      ? { organizationId: null, identifier: value }
      : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const number = /^#?(\d{1,9})$/.exec(text);
  if (number) {
    const identifier = Number(number[1]);
    return identifier > 0 ? { organizationId: null, identifier } : null;
  }
  return parseIncidentLink(text, links);
}

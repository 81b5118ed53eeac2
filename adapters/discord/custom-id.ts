// Component custom_ids: compact, versioned, validated on the way back in. `ic1:r:<org>:<id>[.<id>…]` refreshes
// the cards of a message; `ic1:a:<verb>:<org>:<id>:<version>` is an action on one incident, valid only for the
// incident version the card showed. Anything else (forged, or from an older bot) is rejected as a value.
import type { IncidentRef } from '../../src/command/model.ts';
import { DISCORD_LIMITS } from './limits.ts';

const VERSION = 'ic1';
const REFRESH_PATTERN = /^ic1:r:([a-z0-9][a-z0-9-]*):(\d{1,9}(?:\.\d{1,9}){0,9})$/;
const ACTION_PATTERN = /^ic1:a:(ack|res|reo|me|una|snz|asg):([a-z0-9][a-z0-9-]*):(\d{1,9}):(\d{1,9})$/;

/** The action each verb of a custom_id stands for; snooze and assign take their value from the select menu. */
export const ACTION_VERBS = {
  ack: 'acknowledge',
  res: 'resolve',
  reo: 'reopen',
  me: 'assign-me',
  una: 'unassign',
  snz: 'snooze',
  asg: 'assign-user',
} as const;
export type ActionVerb = keyof typeof ACTION_VERBS;

export type CustomIdAction =
  | { action: 'refresh'; organizationId: string; identifiers: number[] }
  | { action: 'act'; verb: ActionVerb; organizationId: string; identifier: number; version: number };
export type CustomIdResult = { ok: true; value: CustomIdAction } | { ok: false; reason: string };

/** The Refresh custom_id for these cards; null when it would not fit Discord's 100 characters. */
export function refreshCustomId(organizationId: string, identifiers: readonly number[]): string | null {
  if (identifiers.length === 0) return null;
  const id = `${VERSION}:r:${organizationId}:${identifiers.join('.')}`;
  return id.length <= DISCORD_LIMITS.customId && REFRESH_PATTERN.test(id) ? id : null;
}

/** An action's custom_id; null when it would not fit (a very long organization id): the card has no actions. */
export function actionCustomId(
  verb: ActionVerb,
  organizationId: string,
  identifier: number,
  version: number,
): string | null {
  const id = `${VERSION}:a:${verb}:${organizationId}:${identifier}:${version}`;
  return id.length <= DISCORD_LIMITS.customId && ACTION_PATTERN.test(id) ? id : null;
}

export function parseCustomId(customId: string): CustomIdResult {
  if (customId.length > DISCORD_LIMITS.customId) return { ok: false, reason: 'custom_id too long' };
  if (!customId.startsWith(`${VERSION}:`)) return { ok: false, reason: 'unknown custom_id version' };
  const action = ACTION_PATTERN.exec(customId);
  if (action) {
    const identifier = Number(action[3]);
    const version = Number(action[4]);
    if (identifier < 1 || version < 1) return { ok: false, reason: 'malformed custom_id' };
    const verb = action[1] as ActionVerb;
    return { ok: true, value: { action: 'act', verb, organizationId: action[2]!, identifier, version } };
  }
  const match = REFRESH_PATTERN.exec(customId);
  if (!match) return { ok: false, reason: 'malformed custom_id' };
  const identifiers = match[2]!.split('.').map(Number);
  if (identifiers.some((identifier) => identifier < 1)) return { ok: false, reason: 'malformed custom_id' };
  return { ok: true, value: { action: 'refresh', organizationId: match[1]!, identifiers } };
}

export function refsOf(action: Extract<CustomIdAction, { action: 'refresh' }>): IncidentRef[] {
  return action.identifiers.map((identifier) => ({ organizationId: action.organizationId, identifier }));
}

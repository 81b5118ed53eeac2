// Button custom_ids: compact, versioned, validated on the way back in. `ic1:r:<org>:<id>[.<id>…]` refreshes
// the cards of a message. Anything else (forged, or from an older version of the bot) is rejected as a value.
import type { IncidentRef } from '../../src/command/model.ts';
import { DISCORD_LIMITS } from './limits.ts';

const VERSION = 'ic1';
const REFRESH_PATTERN = /^ic1:r:([a-z0-9][a-z0-9-]*):(\d{1,9}(?:\.\d{1,9}){0,9})$/;

export type CustomIdAction = { action: 'refresh'; organizationId: string; identifiers: number[] };
export type CustomIdResult = { ok: true; value: CustomIdAction } | { ok: false; reason: string };

/** The Refresh custom_id for these cards; null when it would not fit Discord's 100 characters. */
export function refreshCustomId(organizationId: string, identifiers: readonly number[]): string | null {
  if (identifiers.length === 0) return null;
  const id = `${VERSION}:r:${organizationId}:${identifiers.join('.')}`;
  return id.length <= DISCORD_LIMITS.customId && REFRESH_PATTERN.test(id) ? id : null;
}

export function parseCustomId(customId: string): CustomIdResult {
  if (customId.length > DISCORD_LIMITS.customId) return { ok: false, reason: 'custom_id too long' };
  if (!customId.startsWith(`${VERSION}:`)) return { ok: false, reason: 'unknown custom_id version' };
  const match = REFRESH_PATTERN.exec(customId);
  if (!match) return { ok: false, reason: 'malformed custom_id' };
  const identifiers = match[2]!.split('.').map(Number);
  if (identifiers.some((identifier) => identifier < 1)) return { ok: false, reason: 'malformed custom_id' };
  return { ok: true, value: { action: 'refresh', organizationId: match[1]!, identifiers } };
}

export function refsOf(action: CustomIdAction): IncidentRef[] {
  return action.identifiers.map((identifier) => ({ organizationId: action.organizationId, identifier }));
}

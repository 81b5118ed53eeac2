// Who may act on an installation's cards, from what the platform signed: the person's roles and user id against
// the installation's responderRoleIds and responders, else the platform's default (the adapter decides it:
// Discord's Manage Messages in the channel; anyone in a Teams tenant).
import type { Actor } from '../command/model.ts';
import type { Installation } from '../domain.ts';
import type { ResponderNeed } from './model.ts';

export type Permission = { ok: true } | { ok: false; need: ResponderNeed };

export function mayAct(installation: Installation, actor: Actor): Permission {
  const roleIds = installation.responderRoleIds ?? [];
  const responders = installation.responders ?? [];
  if (actor.roles.some((role) => roleIds.includes(role))) return { ok: true };
  if (responders.includes(actor.userId)) return { ok: true };
  // A configured list of responders replaces the platform's default; configured roles only add to it.
  if (responders.length === 0 && actor.defaultResponder) return { ok: true };
  return { ok: false, need: { roleIds, respondersOnly: responders.length > 0 } };
}

// Signed action clicks on a card, built from the real button fixture: who clicks (user, roles, permissions), on
// which custom_id, with which select-menu values, and the delivery's interaction id.
import { fixture } from './fixtures.ts';

export const RESPONDER_ROLE = '1300000000000000777';
export const MANAGE_MESSAGES = String(1 << 13);
export const CARD_MESSAGE_ID = '1300000000000000200';

export type Clicker = {
  userId: string;
  name: string;
  roles?: string[];
  permissions?: string;
};

export const ANA: Clicker = { userId: '1300000000000000400', name: 'ana', permissions: MANAGE_MESSAGES };
export const BORIS: Clicker = { userId: '1300000000000000401', name: 'boris', roles: [RESPONDER_ROLE] };
/** In the guild, but with neither Manage Messages nor a responder role. */
export const CARL: Clicker = { userId: '1300000000000000402', name: 'carl', permissions: '2048' };

let next = 1_300_000_000_000_100_000n;

export function click(
  customId: string,
  who: Clicker,
  options: { id?: string; componentType?: number; values?: string[]; resolved?: unknown } = {},
): Record<string, unknown> {
  const base = fixture('button-refresh');
  const member = base.member as Record<string, unknown>;
  const user = member.user as Record<string, unknown>;
  next += 1n;
  const id = options.id ?? String(next);
  return {
    ...base,
    id,
    // Each delivery has its own token: follow-ups are told apart by it.
    token: `action-token-${id}`,
    member: {
      ...member,
      roles: who.roles ?? [],
      permissions: who.permissions ?? '0',
      user: { ...user, id: who.userId, username: who.name, global_name: who.name },
    },
    message: { ...(base.message as Record<string, unknown>), id: CARD_MESSAGE_ID },
    data: {
      component_type: options.componentType ?? 2,
      custom_id: customId,
      ...(options.values ? { values: options.values } : {}),
      ...(options.resolved ? { resolved: options.resolved } : {}),
    },
  };
}

// A click on an action button or a pick in an action select menu → the shared `incident.act` command: the verb
// and incident from the custom_id, the choice from the menu's values, the delivery id for idempotency.
import { type IncidentAction, SNOOZE_HOURS } from '../../src/actions/model.ts';
import type { Actor, Command } from '../../src/command/model.ts';
import type { CustomIdAction } from './custom-id.ts';
import type { ComponentData } from './interaction-schema.ts';

type ActAction = Extract<CustomIdAction, { action: 'act' }>;

export function actionCommand(
  parsed: ActAction,
  data: ComponentData,
  actor: Actor,
  delivery: { interactionId: string; messageId: string },
): Command | null {
  const action = incidentAction(parsed, data);
  if (!action) return null;
  return {
    kind: 'incident.act',
    actor,
    ref: { organizationId: parsed.organizationId, identifier: parsed.identifier },
    action,
    cardVersion: parsed.version,
    requestId: delivery.interactionId,
    card: `discord:message:${delivery.messageId}`,
  };
}

function incidentAction(parsed: ActAction, data: ComponentData): IncidentAction | null {
  const [value] = data.values ?? [];
  switch (parsed.verb) {
    case 'ack':
      return { type: 'acknowledge' };
    case 'res':
      return { type: 'resolve' };
    case 'reo':
      return { type: 'reopen' };
    case 'me':
      return { type: 'assign', to: { kind: 'me' } };
    case 'una':
      return { type: 'unassign' };
    case 'snz': {
      const hours = Number(value);
      return SNOOZE_HOURS.find((allowed) => allowed === hours)
        ? ({ type: 'snooze', hours } as IncidentAction)
        : null;
    }
    case 'asg': {
      if (!value || !/^\d{1,20}$/.test(value)) return null;
      const user = data.resolved?.users?.[value];
      const nick = data.resolved?.members?.[value]?.nick;
      const name = nick ?? user?.global_name ?? user?.username ?? null;
      return { type: 'assign', to: { kind: 'user', userId: value, name } };
    }
  }
}

// `adaptiveCard/action` invokes whose verb is an action (acknowledge, resolve…): the card's data (incident,
// version, watchers) and the inputs Teams merged into it (assignee, snooze hours) → the shared `incident.act`.
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { type IncidentAction, SNOOZE_HOURS } from '../../src/actions/model.ts';
import type { Actor, Command } from '../../src/command/model.ts';
import { ACTION_VERBS, ActionData, type ActionVerb } from './card-actions.ts';

type ActCommand = Extract<Command, { kind: 'incident.act' }>;
export type ParsedAction =
  | { ok: true; command: ActCommand; data: z.infer<typeof ActionData> }
  | { ok: false; reason: string };

const Invoke = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.string(), data: z.unknown() }),
});

/** Null when the invoke is not an action verb (a refresh, handled by invoke-values.ts). */
export function parseActionExecute(value: unknown, actor: Actor, activity: Activity): ParsedAction | null {
  const invoke = Invoke.safeParse(value);
  if (!invoke.success || !(invoke.data.action.verb in ACTION_VERBS)) return null;
  const verb = invoke.data.action.verb as ActionVerb;
  const data = ActionData.safeParse(invoke.data.action.data);
  if (!data.success || data.data.refs.length !== 1)
    return { ok: false, reason: 'an action without its incident' };
  const action = incidentAction(verb, data.data);
  if (!action) return { ok: false, reason: 'an action without its choice' };
  const ref = data.data.refs[0]!;
  const conversation = activity.conversation?.id ?? 'unknown';
  return {
    ok: true,
    data: data.data,
    command: {
      kind: 'incident.act',
      actor,
      ref,
      action,
      cardVersion: data.data.version,
      // Teams redelivers an invoke with the same activity id; a double click is a new activity.
      requestId: activity.id ?? `${conversation}:${activity.replyToId ?? ''}:${activity.timestamp ?? ''}`,
      card: `teams:conversation:${conversation}:${activity.replyToId ?? ''}`.slice(0, 300),
    },
  };
}

function incidentAction(verb: ActionVerb, data: z.infer<typeof ActionData>): IncidentAction | null {
  switch (verb) {
    case 'acknowledge':
    case 'resolve':
    case 'reopen':
    case 'unassign':
      return { type: verb };
    case 'assignMe':
      return { type: 'assign', to: { kind: 'me' } };
    case 'assign':
      return data.assignee ? { type: 'assign', to: { kind: 'member', memberId: data.assignee } } : null;
    case 'snooze': {
      const hours = Number(data.snoozeHours);
      const allowed = SNOOZE_HOURS.find((h) => h === hours);
      return allowed ? { type: 'snooze', hours: allowed } : null;
    }
  }
}

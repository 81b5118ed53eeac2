// incident.act: a person's action from a card. Permission from what the platform signed, the incident looked up
// in the actor's own organization only, then one lifecycle transaction: the delivery's idempotency key, a
// compare-and-set on the version the card showed, the change, its activity and the change hooks (notifications
// edit the other cards). The answer is always the card as the incident is now.
import type { Command, Reply } from '../command/model.ts';
import type { Incident, RecentActivity } from '../domain.ts';
import type { HandlerContext } from '../handlers/context.ts';
import { readActivity, readIncident, readOpenIncidents } from '../lifecycle/incident-rows.ts';
import type { IncidentLifecycle } from '../lifecycle/lifecycle.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';
import type { IncidentRecord } from '../repository.ts';
import { recordActionKey, seenActionKey } from './action-keys.ts';
import { breachingTriggers } from './breaching.ts';
import type { ActionOutcome, AssignTarget } from './model.ts';
import { personOf, personOfMember } from './people.ts';
import { mayAct } from './permission.ts';
import { applyAction } from './transition.ts';

export type ActionDeps = {
  lifecycle: IncidentLifecycle;
  runner: BulkRunner;
  now: () => number;
};

type ActCommand = Extract<Command, { kind: 'incident.act' }>;

export async function actOnIncident(
  command: ActCommand,
  context: HandlerContext,
  deps: ActionDeps,
): Promise<Reply> {
  const { actor, ref } = command;
  const organization = context.organization;
  // A card (or a crafted payload) naming another organization is "not found": nothing about it is touched.
  if (ref.organizationId !== null && ref.organizationId !== organization.id) {
    return { kind: 'error', code: 'not_found', refs: [ref], organization: organization.name };
  }
  const installation =
    actor.platform !== 'cli' && actor.tenantId
      ? context.repository.installationFor(actor.platform, actor.tenantId)
      : null;
  if (!installation) return { kind: 'error', code: 'not_installed' };
  const permission = mayAct(installation, actor);
  if (!permission.ok) return { kind: 'error', code: 'forbidden', need: permission.need };
  const record = context.repository.findIncident(organization.id, ref.identifier);
  if (!record) return { kind: 'error', code: 'not_found', refs: [ref], organization: organization.name };

  const at = new Date(deps.now()).toISOString();
  const by = personOf(record.members, actor.platform, actor.userId, actor.name);
  const assignee = command.action.type === 'assign' ? assigneeOf(command.action.to, record, command) : null;
  const breaching =
    command.action.type === 'reopen' && record.incident.status === 'resolved'
      ? await breachingTriggers(
          deps.runner,
          record.rule,
          record.incident.projects[0] ?? record.projects[0]?.id ?? 0,
          deps.now(),
          context.signal,
        )
      : null;
  if (command.action.type === 'reopen' && record.incident.status === 'resolved' && breaching === null) {
    return { kind: 'error', code: 'unavailable' };
  }
  const key = `${actor.platform}:${command.requestId}`;

  const result = await deps.lifecycle.commit(
    async (tx): Promise<{ outcome: ActionOutcome; incident: Incident }> => {
      const c = tx.connection;
      const stored = await readIncident(c, record.incident.id);
      if (!stored) throw new Error(`incident ${record.incident.id} vanished`);
      const current = stored.incident;
      const latest = latestOf(current);
      if (await seenActionKey(c, key)) return { outcome: { status: 'duplicate' }, incident: current };
      if (command.cardVersion !== null && command.cardVersion !== stored.version) {
        return { outcome: { status: 'stale', latest }, incident: current };
      }
      const reopening = command.action.type === 'reopen';
      const transition = applyAction(current, record.rule, command.action, {
        by,
        at,
        card: command.card,
        assignee,
        breaching,
        closedManually: reopening ? await closedManually(c, current.id) : false,
        newerOpen: reopening ? await newerOpen(c, current) : false,
      });
      if (!transition.ok) {
        return { outcome: { status: 'rejected', reason: transition.reason, latest }, incident: current };
      }
      const written = await tx.update(transition.incident, stored.version, {
        kind: transition.kind,
        from: current.status,
        at,
        value: null,
        activity: [transition.activity],
        by,
      });
      await recordActionKey(c, key, current.id, written.version ?? stored.version + 1, at);
      return { outcome: { status: 'applied', action: command.action.type }, incident: written };
    },
  );

  // The snapshot may be behind the store (another process, a concurrent action): it takes the newer state.
  context.repository.putIncident(result.incident);
  const newest = context.repository.findIncident(organization.id, ref.identifier)?.incident;
  const fresh: IncidentRecord = { ...record, incident: newest ?? result.incident };
  const [card] = await context.cards.build([fresh], context.signal);
  return { kind: 'action', outcome: result.outcome, card: card! };
}

function assigneeOf(target: AssignTarget, record: IncidentRecord, command: ActCommand) {
  const { actor } = command;
  switch (target.kind) {
    case 'me':
      return personOf(record.members, actor.platform, actor.userId, actor.name);
    case 'member': {
      const member = record.members.find((candidate) => candidate.id === target.memberId);
      return member ? personOfMember(member, actor.platform) : null;
    }
    case 'user':
      return personOf(record.members, actor.platform, target.userId, target.name);
  }
}

function latestOf(incident: Incident): RecentActivity | null {
  return incident.recentActivity?.at(-1) ?? null;
}

/** The last close was a person's: its status_changed entry says method manual. */
async function closedManually(
  connection: Parameters<typeof readActivity>[0],
  incidentId: number,
): Promise<boolean> {
  const activity = await readActivity(connection, incidentId);
  const close = activity.findLast((entry) => entry.type === 'status_changed' && entry.to === 'resolved');
  return close?.method === 'manual';
}

/** Another open incident of the same rule and project: the evaluator already opened a new one. */
async function newerOpen(
  connection: Parameters<typeof readOpenIncidents>[0],
  incident: Incident,
): Promise<boolean> {
  const open = await readOpenIncidents(connection);
  return open.some(
    ({ incident: other }) =>
      other.identifier > incident.identifier &&
      other.alertRuleId === incident.alertRuleId &&
      other.projects.some((project) => incident.projects.includes(project)),
  );
}

// incident.act: a person's action from a card. Permission from what the platform signed, the incident looked up
// in the actor's own organization only, then one lifecycle transaction: the delivery's idempotency key, a
// compare-and-set on the version the card showed, the change, its activity and the change hooks (notifications
// edit the other cards). The answer is always the card as the incident is now.
import type { Command, Reply } from '../command/model.ts';
import type { HandlerContext } from '../handlers/context.ts';
import type { BulkRunner } from '../query/bulk-runner.ts';
import type { IncidentRecord } from '../repository.ts';
import { breachingTriggers } from './breaching.ts';
import type { ActionDecision, GroupCommit } from './group-commit.ts';
import type { AssignTarget } from './model.ts';
import { personOf, personOfMember } from './people.ts';
import { mayAct } from './permission.ts';
import { applyAction } from './transition.ts';

export type ActionDeps = {
  /** Actions commit through the lifecycle, several to a transaction (group-commit.ts). */
  commits: GroupCommit;
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
      ? context.repository.findInstallation(actor.platform, actor.tenantId)
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
  // Per platform and tenant: delivery ids are unique there, not necessarily across tenants.
  const key = `${actor.platform}:${actor.tenantId}:${command.requestId}`;
  const result = await deps.commits.run({
    incidentId: record.incident.id,
    key,
    history: command.action.type === 'reopen',
    decide(current, facts): ActionDecision {
      const latest = current.incident.recentActivity?.at(-1) ?? null;
      if (facts.seen) return { outcome: { status: 'duplicate' }, write: null };
      if (command.cardVersion !== null && command.cardVersion !== current.version) {
        return { outcome: { status: 'stale', latest }, write: null };
      }
      const transition = applyAction(current.incident, record.rule, command.action, {
        by,
        at,
        card: command.card,
        assignee,
        breaching,
        closedManually: facts.closedManually,
        newerOpen: facts.newerOpen,
      });
      if (!transition.ok)
        return { outcome: { status: 'rejected', reason: transition.reason, latest }, write: null };
      const note = {
        kind: transition.kind,
        from: current.incident.status,
        at,
        value: null,
        activity: [transition.activity],
        by,
      };
      return {
        outcome: { status: 'applied', action: command.action.type },
        write: { incident: transition.incident, note },
      };
    },
  });

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

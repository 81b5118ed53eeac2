// The card a notification carries: the same card the commands show (built by the card service), in the state
// the change left the incident in, plus when and why it resolved. The snapshot of incidents may lag the
// evaluator's writes, so the job's own status wins.
import { withResolution } from '../card/resolution.ts';
import type { IncidentCard } from '../card/model.ts';
import type { CardBuilder } from '../card/build.ts';
import type { IncidentChange } from '../lifecycle/change.ts';
import { STATUS_LABEL } from '../incidents/status-text.ts';
import type { IncidentRecord } from '../repository.ts';
import { resolutionReason } from '../card/resolution.ts';

export type FindIncident = (organizationId: string, identifier: number) => Promise<IncidentRecord | null>;

export type NotificationContent = { card: IncidentCard; replyText: string };

export async function notificationContent(
  change: IncidentChange,
  find: FindIncident,
  cards: CardBuilder,
): Promise<NotificationContent | null> {
  const record = await find(change.organizationId, change.identifier);
  if (!record) return null;
  const resolved = change.to === 'resolved';
  const incident = {
    ...record.incident,
    status: change.to,
    dateClosed: resolved ? (record.incident.dateClosed ?? change.at) : null,
  };
  const [built] = await cards.build([{ ...record, incident }]);
  if (!built) return null;
  const card = resolved ? withResolution(built, record.rule, change) : built;
  return { card, replyText: replyText(change, record) };
}

/** The short line under the card that makes people look: it names the new status and the rule. */
export function replyText(change: IncidentChange, record: IncidentRecord): string {
  const name = `${record.rule.name} (#${change.identifier})`;
  switch (change.kind) {
    case 'resolved':
      return `Resolved: ${name}: ${resolutionReason(record.rule, change.value)}.`;
    case 'reopened':
      return `Reopened as ${STATUS_LABEL[change.to]}: ${name}.`;
    case 'escalated':
      return `Escalated to ${STATUS_LABEL[change.to]}: ${name}.`;
    default:
      return `${STATUS_LABEL[change.to]}: ${name}.`;
  }
}

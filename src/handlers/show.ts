// incident.show / incident.refresh / incident.unfurl: cards for the named incidents, one bulk query for all.
import { sameIncidentKey } from '../command/incident-links.ts';
import type { IncidentRef, Reply } from '../command/model.ts';
import type { IncidentRecord } from '../repository.ts';
import type { HandlerContext } from './context.ts';

export async function showIncidents(refs: readonly IncidentRef[], context: HandlerContext): Promise<Reply> {
  const found = new Map<string, IncidentRecord>();
  const notFound: IncidentRef[] = [];
  const elsewhere: IncidentRef[] = [];
  for (const ref of refs) {
    // A link to another organization shows nothing of it: no tenant learns whether another tenant's
    // incident exists, or which organization that is. The link itself already names its organization.
    const sameOrg = ref.organizationId === null || ref.organizationId === context.organization.id;
    const record = sameOrg ? context.repository.findIncident(context.organization.id, ref.identifier) : null;
    // A message may name one incident twice (its link and its `#id`): it gets one card.
    if (record) found.set(sameIncidentKey(context.organization.id, ref.identifier), record);
    else if (sameOrg) notFound.push(ref);
    else elsewhere.push(ref);
  }
  const organization = context.organization.name;
  if (found.size === 0 && elsewhere.length > 0) {
    return { kind: 'error', code: 'other_organization', refs: elsewhere, missing: notFound, organization };
  }
  if (found.size === 0) return { kind: 'error', code: 'not_found', refs: notFound, organization };
  const cards = await context.cards.build([...found.values()], context.signal);
  return { kind: 'cards', cards, notFound: [...notFound, ...elsewhere] };
}

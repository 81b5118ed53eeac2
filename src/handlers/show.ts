// incident.show / incident.refresh / incident.unfurl: cards for the named incidents, one bulk query for all.
import type { IncidentRef, Reply } from '../command/model.ts';
import type { IncidentRecord } from '../repository.ts';
import type { HandlerContext } from './context.ts';

export async function showIncidents(refs: readonly IncidentRef[], context: HandlerContext): Promise<Reply> {
  const found: IncidentRecord[] = [];
  const notFound: IncidentRef[] = [];
  for (const ref of refs) {
    // A link to another organization is "not found", exactly like a missing incident: no tenant learns
    // whether another tenant's incident exists.
    const sameOrg = ref.organizationId === null || ref.organizationId === context.organization.id;
    const record = sameOrg ? context.repository.findIncident(context.organization.id, ref.identifier) : null;
    if (record) found.push(record);
    else notFound.push(ref);
  }
  if (found.length === 0) {
    const names = notFound.map((ref) => `#${ref.identifier}`).join(', ');
    return {
      kind: 'error',
      code: 'not_found',
      message: `No incident ${names} in ${context.organization.name}. Try \`/incident list\` to see open incidents.`,
    };
  }
  const cards = await context.cards.build(found, context.signal);
  return { kind: 'cards', cards, notFound };
}

// incident.show / incident.refresh / incident.unfurl: cards for the named incidents, one bulk query for all.
import type { IncidentRef, Reply } from '../command/model.ts';
import type { IncidentRecord } from '../repository.ts';
import type { HandlerContext } from './context.ts';

export async function showIncidents(refs: readonly IncidentRef[], context: HandlerContext): Promise<Reply> {
  const found: IncidentRecord[] = [];
  const notFound: IncidentRef[] = [];
  const elsewhere: IncidentRef[] = [];
  for (const ref of refs) {
    // A link to another organization shows nothing of it: no tenant learns whether another tenant's
    // incident exists, or which organization that is. The link itself already names its organization.
    const sameOrg = ref.organizationId === null || ref.organizationId === context.organization.id;
    const record = sameOrg ? context.repository.findIncident(context.organization.id, ref.identifier) : null;
    if (record) found.push(record);
    else if (sameOrg) notFound.push(ref);
    else elsewhere.push(ref);
  }
  if (found.length === 0)
    return { kind: 'error', code: 'not_found', message: notFoundMessage(notFound, elsewhere, context) };
  const cards = await context.cards.build(found, context.signal);
  return { kind: 'cards', cards, notFound: [...notFound, ...elsewhere] };
}

function notFoundMessage(missing: IncidentRef[], elsewhere: IncidentRef[], context: HandlerContext): string {
  const names = (refs: IncidentRef[]) => refs.map((ref) => `#${ref.identifier}`).join(', ');
  const own = context.organization.name;
  if (missing.length === 0) {
    const which = elsewhere.length === 1 ? 'This incident belongs' : `Incidents ${names(elsewhere)} belong`;
    return `${which} to another organization; here you see ${own}'s incidents only.`;
  }
  const also =
    elsewhere.length > 0
      ? ` ${names(elsewhere)} belong${elsewhere.length === 1 ? 's' : ''} to another organization.`
      : '';
  return `No incident ${names(missing)} in ${own}.${also} Try \`/incident list\` to see open incidents.`;
}

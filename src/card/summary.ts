// One row of a compact list (list, search results) and the incident page link every card and row points to.
import type { Incident, Organization } from '../domain.ts';
import { STATUS_COLOR, STATUS_LABEL } from '../incidents/status-text.ts';
import type { IncidentSummary } from './model.ts';
import type { PageLink } from './page-link.ts';

export function incidentSummary(
  incident: Incident,
  organization: Organization,
  pageLink: PageLink,
): IncidentSummary {
  return {
    organizationId: organization.id,
    identifier: incident.identifier,
    title: incident.title,
    status: incident.status,
    statusLabel: STATUS_LABEL[incident.status],
    color: STATUS_COLOR[incident.status],
    dateStarted: incident.dateStarted,
    link: pageLink(organization.id, incident.identifier),
  };
}

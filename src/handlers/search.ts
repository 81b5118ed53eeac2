// incident.search (paged) and incident.autocomplete (as many choices as the platform shows, store only).
import type { Command, Reply } from '../command/model.ts';
import { incidentSummary } from '../card/summary.ts';
import { STATUS_LABEL } from '../incidents/status-text.ts';
import type { HandlerContext } from './context.ts';

export function searchIncidents(
  command: Extract<Command, { kind: 'incident.search' }>,
  context: HandlerContext,
): Reply {
  const { organization, repository, pageLink } = context;
  const page = repository.searchIncidents(organization.id, command.text, {
    skip: command.skip,
    count: command.count,
  });
  return {
    kind: 'list',
    title: command.text.trim()
      ? `Incidents matching "${command.text.trim()}"`
      : `Incidents in ${organization.name}`,
    items: page.items.map((incident) => incidentSummary(incident, organization, pageLink)),
    total: page.total,
    skip: command.skip,
  };
}

export function autocompleteIncidents(
  command: Extract<Command, { kind: 'incident.autocomplete' }>,
  context: HandlerContext,
): Reply {
  const page = context.repository.searchIncidents(context.organization.id, command.text.replace(/^#/, ''), {
    skip: 0,
    count: command.count,
  });
  return {
    kind: 'choices',
    choices: page.items.map((incident) => ({
      name: `#${incident.identifier} ${STATUS_LABEL[incident.status]}: ${incident.title}`,
      value: String(incident.identifier),
    })),
  };
}

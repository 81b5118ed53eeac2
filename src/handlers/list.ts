// incident.list: the organization's incidents, newest first; open ones unless a status is asked for.
import type { Command, Reply } from '../command/model.ts';
import { incidentSummary } from '../card/summary.ts';
import { STATUS_LABEL } from '../incidents/status-text.ts';
import type { HandlerContext } from './context.ts';

export function listIncidents(
  command: Extract<Command, { kind: 'incident.list' }>,
  context: HandlerContext,
): Reply {
  const { organization, repository, pageLink } = context;
  const page = repository.listIncidents(organization.id, {
    status: command.status,
    openOnly: command.status === null,
    skip: command.skip,
    count: command.count,
  });
  const what = command.status ? `${STATUS_LABEL[command.status]} incidents` : 'Open incidents';
  return {
    kind: 'list',
    title: `${what} in ${organization.name}`,
    items: page.items.map((incident) => incidentSummary(incident, organization, pageLink)),
    total: page.total,
    skip: command.skip,
  };
}

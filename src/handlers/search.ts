// incident.search (Teams search, paged) and incident.autocomplete (Discord, ≤ 25 choices, store only).
import type { Command, Reply } from '../command/model.ts';
import { incidentSummary } from '../card/summary.ts';
import { STATUS_LABEL } from '../incidents/status-text.ts';
import { truncate } from '../truncate.ts';
import type { HandlerContext } from './context.ts';

const MAX_CHOICES = 25;
const CHOICE_NAME_LIMIT = 100;

export function searchIncidents(
  command: Extract<Command, { kind: 'incident.search' }>,
  context: HandlerContext,
): Reply {
  const { organization, repository, publicUrl } = context;
  const page = repository.searchIncidents(organization.id, command.text, {
    skip: command.skip,
    count: command.count,
  });
  return {
    kind: 'list',
    title: command.text.trim()
      ? `Incidents matching "${command.text.trim()}"`
      : `Incidents in ${organization.name}`,
    items: page.items.map((incident) => incidentSummary(incident, organization, publicUrl)),
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
    count: MAX_CHOICES,
  });
  return {
    kind: 'choices',
    choices: page.items.map((incident) => ({
      name: truncate(
        `#${incident.identifier} ${STATUS_LABEL[incident.status]}: ${incident.title}`,
        CHOICE_NAME_LIMIT,
      ),
      value: String(incident.identifier),
    })),
  };
}

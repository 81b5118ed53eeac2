// How the worker finds the incident a job is about: the metadata snapshot, re-read once when the incident is
// not in it yet (the evaluator created it after the snapshot was taken).
import type { IncidentRepository } from '../repository.ts';
import type { FindIncident } from './notification-card.ts';

export function findIncidentIn(repository: IncidentRepository): FindIncident {
  return async (organizationId, identifier) => {
    const found = repository.findIncident(organizationId, identifier);
    if (found) return found;
    await repository.reload();
    return repository.findIncident(organizationId, identifier);
  };
}

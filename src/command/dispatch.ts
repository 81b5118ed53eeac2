// Routes each command to its handler after resolving the actor's tenant to an organization.
import { z } from 'zod';
import { type ActionDeps, actOnIncident } from '../actions/act.ts';
import { assertNever } from '../assert-never.ts';
import type { PageLink } from '../card/page-link.ts';
import type { CardBuilder } from '../card/build.ts';
import type { HandlerContext } from '../handlers/context.ts';
import { help } from '../handlers/help.ts';
import { listIncidents } from '../handlers/list.ts';
import { autocompleteIncidents, searchIncidents } from '../handlers/search.ts';
import { showIncidents } from '../handlers/show.ts';
import {
  addSubscription,
  autocompleteRules,
  listSubscriptions,
  removeSubscription,
} from '../handlers/subscriptions.ts';
import type { NotificationStore } from '../notify/store.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { Organization } from '../domain.ts';
import type { IncidentRepository } from '../repository.ts';
import { type Actor, Command, type CommandInput, type Reply } from './model.ts';

export type DispatchOptions = { signal?: AbortSignal };
export type Dispatch = (command: CommandInput, options?: DispatchOptions) => Promise<Reply>;

export type DispatcherDeps = {
  repository: IncidentRepository;
  cards: CardBuilder;
  publicUrl: string;
  pageLink: PageLink;
  logger: Logger;
  metrics?: Metrics;
  notifications?: NotificationStore;
  /** What card actions need beyond the handlers' deps (the lifecycle); without it actions are unavailable. */
  actions?: ActionDeps;
};

export function createDispatcher(deps: DispatcherDeps): Dispatch {
  return async (input, options = {}) => {
    // Parsed here, once, so the schema's defaults and limits hold for every adapter alike.
    const parsed = Command.safeParse(input);
    if (!parsed.success) {
      deps.logger.warn(
        { kind: input.kind, reason: z.prettifyError(parsed.error) },
        'command refused: not a valid request',
      );
    }
    const reply: Reply = parsed.success
      ? await route(parsed.data, deps, options)
      : { kind: 'error', code: 'bad_request' };
    deps.metrics?.commands.inc({ platform: input.actor.platform, kind: input.kind, reply: reply.kind });
    deps.logger.debug({ kind: input.kind, actor: input.actor, reply: reply.kind }, 'command dispatched');
    return reply;
  };
}

async function route(command: Command, deps: DispatcherDeps, options: DispatchOptions): Promise<Reply> {
  if (command.kind === 'help') return help();
  const organization = resolveOrganization(command.actor, deps.repository);
  if (!organization) return { kind: 'error', code: 'not_installed' };
  const context: HandlerContext = { ...deps, organization, signal: options.signal };
  switch (command.kind) {
    case 'incident.show':
    case 'incident.refresh':
      return showIncidents([command.ref], context);
    case 'incident.unfurl':
      return showIncidents(command.refs, context);
    case 'incident.list':
      return listIncidents(command, context);
    case 'incident.search':
      return searchIncidents(command, context);
    case 'incident.autocomplete':
      return autocompleteIncidents(command, context);
    case 'subscription.add':
      return addSubscription(command, context);
    case 'subscription.remove':
      return removeSubscription(command, context);
    case 'subscription.list':
      return listSubscriptions(command, context);
    case 'rule.autocomplete':
      return autocompleteRules(command, context);
    case 'incident.act':
      return deps.actions
        ? actOnIncident(command, context, deps.actions)
        : { kind: 'error', code: 'unavailable' };
    default:
      return assertNever(command);
  }
}

/** The CLI names the organization directly; chat platforms reach it only through an installation. */
function resolveOrganization(actor: Actor, repository: IncidentRepository): Organization | null {
  if (actor.tenantId === null) return null;
  if (actor.platform === 'cli') return repository.findOrganization(actor.tenantId);
  return repository.organizationForTenant(actor.platform, actor.tenantId);
}

// Routes each command to its handler after resolving the actor's tenant to an organization.
import type { CardService } from '../card/service.ts';
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
import type { Organization } from '../store/dataset.ts';
import type { IncidentRepository } from '../store/repository.ts';
import type { Actor, Command, Reply } from './model.ts';

export type DispatchOptions = { signal?: AbortSignal };
export type Dispatch = (command: Command, options?: DispatchOptions) => Promise<Reply>;

export type DispatcherDeps = {
  repository: IncidentRepository;
  cards: CardService;
  publicUrl: string;
  logger: Logger;
  metrics?: Metrics;
  notifications?: NotificationStore;
};

const NOT_INSTALLED: Record<Actor['platform'], string> = {
  discord:
    'This server is not connected to an organization yet. An admin adds it as a `discord` installation ' +
    '(see the README: "Connect a Discord server"). Commands do not work in direct messages.',
  teams:
    'Your Microsoft 365 tenant is not connected to an organization yet. An admin adds it as a `teams` ' +
    'installation (see the README: "Connect a Teams tenant").',
  cli: 'Unknown organization.',
};

export function createDispatcher(deps: DispatcherDeps): Dispatch {
  return async (command, options = {}) => {
    const reply = await route(command, deps, options);
    deps.metrics?.commands.inc({ platform: command.actor.platform, kind: command.kind, reply: reply.kind });
    deps.logger.debug({ kind: command.kind, actor: command.actor, reply: reply.kind }, 'command dispatched');
    return reply;
  };
}

async function route(command: Command, deps: DispatcherDeps, options: DispatchOptions): Promise<Reply> {
  if (command.kind === 'help') return help(command.actor.platform);
  const organization = resolveOrganization(command.actor, deps.repository);
  if (!organization)
    return { kind: 'error', code: 'not_installed', message: NOT_INSTALLED[command.actor.platform] };
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

function assertNever(value: never): never {
  throw new Error(`unhandled command ${JSON.stringify(value)}`);
}

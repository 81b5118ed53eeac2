// What every handler receives: the tenant's organization (already resolved) and the shared services.
import type { CardBuilder } from '../card/build.ts';
import type { PageLink } from '../card/page-link.ts';
import type { Organization } from '../domain.ts';
import type { IncidentRepository } from '../repository.ts';
import type { NotificationStore } from '../notify/store.ts';

export type HandlerDeps = {
  repository: IncidentRepository;
  cards: CardBuilder;
  publicUrl: string;
  /** Channel subscriptions (absent where notifications are not set up, e.g. some CLI commands). */
  notifications?: NotificationStore;
  /** The (signed) incident page link of list rows. */
  pageLink: PageLink;
};

export type HandlerContext = HandlerDeps & {
  organization: Organization;
  /** Aborts when the platform's deadline passes; handlers pass it on to slow work. */
  signal?: AbortSignal;
};

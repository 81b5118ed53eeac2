// Everything a request needs, built once at start-up and handed to the server, adapters and CLI.
import type { CardBuilder } from './card/build.ts';
import type { ChartImages } from './chart/chart-images.ts';
import type { Dispatch } from './command/dispatch.ts';
import type { LinkSettings } from './command/incident-links.ts';
import type { Config } from './config.ts';
import type { IncidentLifecycle } from './lifecycle/lifecycle.ts';
import type { Logger } from './log.ts';
import type { UrlSigner } from './http/signed-url.ts';
import type { PageLink } from './card/page-link.ts';
import type { Metrics } from './metrics.ts';
import type { NotificationStore } from './notify/store.ts';
import type { QueryBackend } from './query/backend.ts';
import type { BulkRunner } from './query/bulk-runner.ts';
import type { IncidentRepository } from './repository.ts';
import type { ShutdownSteps } from './shutdown.ts';
import type { UnfurlSettings } from './store/unfurl-settings.ts';

export type App = {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  repository: IncidentRepository;
  backend: QueryBackend;
  runner: BulkRunner;
  cards: CardBuilder;
  /** Chart images of incidents (series + picture), cached per incident state and minute. */
  charts: ChartImages;
  /** Signs and checks the URLs handed out in cards (chart images; incident pages). */
  signer: UrlSigner;
  /** The signed incident page link (what cards carry). */
  pageLink: PageLink;
  dispatch: Dispatch;
  /** Channel subscriptions and the delivery outbox. */
  notifications: NotificationStore;
  links: LinkSettings;
  /** Where pasted incident links are answered with cards (chat gateways). */
  unfurlSettings: UnfurlSettings;
  /** Every incident change commits through here, with the registered change hooks. */
  lifecycle: IncidentLifecycle;
  /** Steps of the graceful shutdown: register with `app.shutdown.onShutdown(name, step)` (shutdown.ts). */
  shutdown: ShutdownSteps;
  close(): Promise<void>;
};

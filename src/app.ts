// Everything a request needs, built once at start-up and handed to the server, adapters and CLI.
import type { CardBuilder } from './card/build.ts';
import type { Dispatch } from './command/dispatch.ts';
import type { LinkSettings } from './command/incident-links.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { UrlSigner } from './http/signed-url.ts';
import type { PageLink } from './card/page-link.ts';
import type { Metrics } from './metrics.ts';
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
  /** Signs and checks the URLs handed out in cards (chart images; incident pages). */
  signer: UrlSigner;
  /** The signed incident page link (what cards carry). */
  pageLink: PageLink;
  dispatch: Dispatch;
  links: LinkSettings;
  /** Where pasted incident links are answered with cards (chat gateways). */
  unfurlSettings: UnfurlSettings;
  /** Steps of the graceful shutdown: register with `app.shutdown.onShutdown(name, step)` (shutdown.ts). */
  shutdown: ShutdownSteps;
  close(): Promise<void>;
};

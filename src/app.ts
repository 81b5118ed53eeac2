// Everything a request needs, built once at start-up and handed to the server, adapters and CLI.
import type { CardService } from './card/service.ts';
import type { ChartImages } from './chart/chart-images.ts';
import type { Dispatch } from './command/dispatch.ts';
import type { LinkSettings } from './command/incident-links.ts';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { UrlSigner } from './http/signed-url.ts';
import type { Metrics } from './metrics.ts';
import type { QueryBackend } from './query/backend.ts';
import type { BulkRunner } from './query/bulk-runner.ts';
import type { IncidentRepository } from './store/repository.ts';

export type App = {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  repository: IncidentRepository;
  backend: QueryBackend;
  runner: BulkRunner;
  cards: CardService;
  /** Chart images of incidents (series + picture), cached per incident state and minute. */
  charts: ChartImages;
  /** Signs and checks the URLs handed out in cards (chart images; incident pages). */
  signer: UrlSigner;
  dispatch: Dispatch;
  links: LinkSettings;
  close(): Promise<void>;
};

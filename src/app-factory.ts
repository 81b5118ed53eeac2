// Builds the App: store, query backend, bulk runner, card builder and dispatcher, wired once.
import type { App } from './app.ts';
import { createCardBuilder } from './card/build.ts';
import { createDispatcher } from './command/dispatch.ts';
import type { Config } from './config.ts';
import { createUrlSigner } from './http/signed-url.ts';
import { loadSigningSecret } from './http/signing-secret.ts';
import { signedPageLink } from './card/page-link.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics } from './metrics.ts';
import type { QueryBackend } from './query/backend.ts';
import { createBulkRunner } from './query/bulk-runner.ts';
import { createRuleCompiler } from './query/compile-rule.ts';
import { createShutdownSteps } from './shutdown.ts';
import { type BackendFactory, openStore, type Store } from './store/store.ts';
import { createUnfurlSettings } from './store/unfurl-settings.ts';

export type AppOptions = {
  logger?: Logger;
  now?: () => number;
  /** Replaces the configured backend (tests and benchmarks). */
  backend?: BackendFactory;
  /** Wraps the backend, e.g. to slow it down in a test. */
  wrapBackend?: (backend: QueryBackend) => QueryBackend;
};

export type AppResult = { ok: true; app: App; store: Store } | { ok: false; reason: string };

export async function openApp(config: Config, options: AppOptions = {}): Promise<AppResult> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const opened = await openStore(config, logger, { backend: options.backend });
  if (!opened.ok) return opened;
  const { store } = opened;
  const backend = options.wrapBackend ? options.wrapBackend(store.backend) : store.backend;
  const metrics = createMetrics();
  const runner = createBulkRunner({
    backend,
    timeoutMs: config.queryTimeoutMs,
    cacheMs: config.metricCacheMs,
    metrics,
    logger: logger.child({ component: 'bulk-runner' }),
    now: options.now,
  });
  const secret = await loadSigningSecret({
    configured: config.signingSecret,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'signing' }),
  });
  if (!secret.ok) {
    await store.close();
    return secret;
  }
  const signer = createUrlSigner(secret.secret, { now: options.now });
  const pageLink = signedPageLink({ publicUrl: config.publicUrl, signer, now: options.now });
  const cards = createCardBuilder({
    runner,
    rules: createRuleCompiler(),
    publicUrl: config.publicUrl,
    pageLink,
    now: options.now,
  });
  const dispatch = createDispatcher({
    repository: store.repository,
    cards,
    publicUrl: config.publicUrl,
    pageLink,
    logger: logger.child({ component: 'dispatch' }),
    metrics,
  });
  const app: App = {
    config,
    logger,
    metrics,
    repository: store.repository,
    backend,
    runner,
    cards,
    signer,
    pageLink,
    dispatch,
    links: { publicUrl: config.publicUrl, unfurlHosts: config.unfurlHosts },
    unfurlSettings: await createUnfurlSettings(store.database),
    shutdown: createShutdownSteps(),
    close: () => store.close(),
  };
  return { ok: true, app, store };
}

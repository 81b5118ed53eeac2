// Builds the App: store, query backend, bulk runner, card builder and dispatcher, wired once.
import type { App } from './app.ts';
import { createCardBuilder } from './card/build.ts';
import { createChartImages } from './chart/chart-images.ts';
import { createChartLinks } from './chart/chart-link.ts';
import { createChartRenderer } from './chart/render.ts';
import { createSeriesCache } from './chart/series-cache.ts';
import { createDispatcher } from './command/dispatch.ts';
import { createGroupCommit } from './actions/group-commit.ts';
import type { Config } from './config.ts';
import { createUrlSigner } from './http/signed-url.ts';
import { loadSigningSecret } from './http/signing-secret.ts';
import { signedPageLink } from './card/page-link.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics } from './metrics.ts';
import type { QueryBackend } from './query/backend.ts';
import { createDuckDbNotificationStore } from './notify/duckdb-store.ts';
import { createBulkRunner } from './query/bulk-runner.ts';
import { createRuleCompiler } from './query/compile-rule.ts';
import type { AfterCommit, ChangeHook } from './lifecycle/hooks.ts';
import { createIncidentLifecycle } from './lifecycle/lifecycle.ts';
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
  /** Run inside every transaction that changes incidents (the notifications outbox registers here). */
  changeHooks?: ChangeHook[];
  /** Called after a transaction that changed incidents (and ran the hooks) has committed. */
  afterCommit?: AfterCommit;
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
  const notifications = await createDuckDbNotificationStore(store.database);
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
  const rules = createRuleCompiler();
  // One cache of finished chart intervals for the cards and the images they link to.
  const series = createSeriesCache({ runner, now: options.now });
  const charts = createChartImages({ series, rules, renderer: createChartRenderer(), now: options.now });
  // The same signer for page links and chart images: one SIGNING_SECRET, one verification.
  const pageLink = signedPageLink({ publicUrl: config.publicUrl, signer, now: options.now });
  const cards = createCardBuilder({
    runner,
    rules,
    publicUrl: config.publicUrl,
    pageLink,
    now: options.now,
    chartLinks: createChartLinks({ publicUrl: config.publicUrl, signer }),
    series,
  });
  const lifecycle = createIncidentLifecycle(store.database, options.changeHooks ?? [], options.afterCommit);
  const dispatch = createDispatcher({
    repository: store.repository,
    cards,
    publicUrl: config.publicUrl,
    pageLink,
    logger: logger.child({ component: 'dispatch' }),
    metrics,
    notifications,
    actions: { commits: createGroupCommit(lifecycle), runner, now: options.now ?? Date.now },
  });
  const app: App = {
    config,
    logger,
    metrics,
    repository: store.repository,
    backend,
    runner,
    cards,
    charts,
    signer,
    pageLink,
    dispatch,
    notifications,
    links: { publicUrl: config.publicUrl, unfurlHosts: config.unfurlHosts },
    unfurlSettings: await createUnfurlSettings(store.database),
    lifecycle,
    shutdown: createShutdownSteps(),
    close: () => store.close(),
  };
  return { ok: true, app, store };
}

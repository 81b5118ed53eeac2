// `incident-cards serve`: the HTTP server; on an empty store it first loads the demo dataset and says so.
import { parseArgs } from 'node:util';
import { openApp } from '../app-factory.ts';
import { createIngestion } from '../ingest/ingestion.ts';
import { notificationHooks } from '../notify/lifecycle-hooks.ts';
import { startNotifications } from '../notify/start.ts';
import type { App } from '../app.ts';
import { exitOnUnhandledErrors } from '../process-guard.ts';
import { startServer } from '../server.ts';
import type { Logger } from '../log.ts';
import { loadMetadata } from '../store/duckdb/metadata.ts';
import type { Store } from '../store/store.ts';
import { type CliIo, type CliWiring, configFrom, EXIT } from './context.ts';
import { DEMO_DEFAULTS, wholeNumber } from './demo.ts';
import { startLiveAlerting } from './serve-alerting.ts';
import { registerServeShutdown } from './serve-shutdown.ts';

export const SERVE_USAGE = `usage: incident-cards serve [--port N] [--host H] [--public-url URL] [--data-dir DIR]
                          [--backend duckdb|clickhouse] [--demo-events N] [--no-demo]

Starts the HTTP server: POST /discord/interactions, POST /api/messages, GET /healthz, /readyz, /metrics, the
incident pages, and event ingestion (POST /api/<projectId>/envelope/, /api/<projectId>/store/ for Sentry SDKs;
POST /api/ingest/events|sessions for NDJSON batches; keys from \`incident-cards keys\`). Flags override the
environment (PORT, HOST, PUBLIC_URL, DATA_DIR, QUERY_BACKEND).
On an empty store it loads the demo dataset (${DEMO_DEFAULTS.events} events) unless --no-demo is given.
Evaluates every enabled alert rule each ALERT_EVAL_INTERVAL_S seconds (default 60; 0 turns it off); on the demo
store it also produces live traffic with recurring spikes (DEMO_TRAFFIC=auto|on|off).
Always runs the notification outbox worker: cards for subscribed channels, posted and edited in place.`;

export async function serveCommand(args: string[], io: CliIo, wiring: CliWiring): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'public-url': { type: 'string' },
      'data-dir': { type: 'string' },
      backend: { type: 'string' },
      'demo-events': { type: 'string' },
      'no-demo': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(SERVE_USAGE);
    return EXIT.ok;
  }
  const config = configFrom(io.env, {
    PORT: values.port,
    HOST: values.host,
    PUBLIC_URL: values['public-url'],
    DATA_DIR: values['data-dir'],
    QUERY_BACKEND: values.backend,
  });
  const demoEvents = wholeNumber('--demo-events', values['demo-events'], DEMO_DEFAULTS.events);
  // Evaluator changes enqueue their deliveries in the same transaction and wake the worker once committed.
  const hooks = notificationHooks();
  const opened = await openApp(config, hooks);
  if (!opened.ok) {
    io.stderr(opened.reason);
    return EXIT.failure;
  }
  const { app, store } = opened;
  const log = app.logger.child({ component: 'serve' });
  let demoLinks: string[] = [];
  if (!values['no-demo'] && (await isEmpty(store, log))) {
    log.info({ events: demoEvents }, 'the store is empty: loading the built-in demo dataset');
    const loaded = await wiring.demo(store, { seed: DEMO_DEFAULTS.seed, events: demoEvents });
    if (!loaded.ok) {
      io.stderr(`could not load the demo dataset: ${loaded.reason}`);
      await app.close();
      return EXIT.failure;
    }
    log.info(loaded, 'demo dataset loaded');
    // The human banners go to stdout: stderr carries only the JSON log records.
    io.stdout(
      `loaded the demo dataset: ${loaded.events} events, ${loaded.incidents} incidents in ${loaded.organizations.join(', ')}`,
    );
    demoLinks = loaded.organizations.flatMap((organization) => openIncidentLinks(app, organization, 2));
  }
  const ingestion = createIngestion(app, store);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(app, [...wiring.adapters, () => ingestion]);
  } catch (error) {
    io.stderr(`cannot start the server: ${(error as Error).message}`);
    await app.close();
    return EXIT.usage;
  }
  const notifications = startNotifications(app, wiring.notifiers ?? []);
  hooks.attach(notifications);
  const alerting = await startLiveAlerting(app, store, io, wiring.demoTraffic);
  registerServeShutdown(server, { ingestion, notifications, alerting });
  log.info(
    { url: server.url, backend: app.backend.name, publicUrl: config.publicUrl },
    'incident-cards is listening',
  );
  io.stdout(
    `incident-cards listening on ${server.url} (backend ${app.backend.name}, data ${config.dataDir})`,
  );
  // Incident pages are signed: a newcomer gets ready-made links instead of a URL to guess.
  if (demoLinks.length > 0)
    io.stdout(`open a demo incident in the browser:\n${demoLinks.map((link) => `  ${link}`).join('\n')}`);
  const removeGuard = exitOnUnhandledErrors(log);
  const signal = await stopSignal();
  log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down: finishing requests in flight');
  // A second signal means "now": the operator (or the supervisor's stop timeout) does not want to wait.
  const impatient = () => {
    log.warn('second stop signal: exiting without waiting');
    process.exit(EXIT.failure);
  };
  process.once('SIGINT', impatient);
  process.once('SIGTERM', impatient);
  const report = await server.shutdown(config.shutdownGraceMs);
  await app.close();
  log.info(report, 'stopped');
  process.off('SIGINT', impatient);
  process.off('SIGTERM', impatient);
  removeGuard();
  return EXIT.ok;
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function openIncidentLinks(app: App, organizationId: string, count: number): string[] {
  const page = app.repository.listIncidents(organizationId, {
    status: null,
    openOnly: false,
    skip: 0,
    count,
  });
  return page.items.map((incident) => app.pageLink(organizationId, incident.identifier));
}

/**
 * Empty means no organization: the demo writes its events first and its organizations last, so a first start
 * that was stopped mid-load leaves events and no organization, and this start loads the demo again (the loader
 * clears the orphaned rows first). A backend that is down at start-up is not a reason to refuse to serve:
 * /readyz reports it until it is back.
 */
async function isEmpty(store: Store, log: Logger): Promise<boolean> {
  try {
    if ((await loadMetadata(store.database)).organizations.length > 0) return false;
    // Throws when the event store does not answer: the demo is not loaded into a backend that is down.
    await store.backend.countEvents();
    return true;
  } catch (error) {
    log.warn({ err: error }, 'cannot read the store; serving without loading the demo dataset');
    return false;
  }
}

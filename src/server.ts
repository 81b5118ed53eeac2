// The HTTP server: health, readiness, metrics, the incident page, and the routes adapters contribute.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AdapterFactory, adapterContext, type Route } from './adapter.ts';
import type { App } from './app.ts';
import { CHART_ROUTE, serveChart } from './http/chart-route.ts';
import { homePage } from './http/home-page.ts';
import { PAGE_PATH, serveIncidentPage } from './http/page-route.ts';
import { sendHtml } from './http/send-html.ts';
import { sendJson, sendText } from './http/respond.ts';
import { type ShutdownReport, type ShutdownSteps, settledBy } from './shutdown.ts';

export type RunningServer = {
  url: string;
  port: number;
  /** Registers a step of the graceful shutdown (see shutdown.ts); same list as `app.shutdown`. */
  onShutdown: ShutdownSteps['onShutdown'];
  /**
   * Graceful: stops accepting, lets requests in flight and deferred replies finish, runs the shutdown steps,
   * closes the adapters; all within `graceMs`. The caller closes the store afterwards.
   */
  shutdown(graceMs: number): Promise<ShutdownReport>;
  /** Immediate: `shutdown(0)` (tests). */
  close(): Promise<void>;
};

const READY_TIMEOUT_MS = 2_000;
const MAX_CONNECTIONS = 2_048;

export async function startServer(
  app: App,
  adapters: readonly AdapterFactory[],
  listen: { port?: number; host?: string } = {},
): Promise<RunningServer> {
  const context = adapterContext(app);
  const built = adapters.map((factory) => factory(context));
  const routes = new Map<string, Route>();
  const patterned: Route[] = [];
  for (const route of [...coreRoutes(app), ...built.flatMap((adapter) => adapter.routes)]) {
    if (route.pattern) patterned.push(route);
    else routes.set(`${route.method} ${route.path}`, route);
  }
  const inFlight = new Set<Promise<void>>();
  let draining = false;
  const server = createServer((request, response) => {
    // While draining, a kept-alive connection's next request is still answered, but the connection then closes.
    if (draining) response.setHeader('connection', 'close');
    const handled = handle(app, routes, patterned, request, response);
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  // Slow clients must not hold sockets forever; platform callers retry.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 65_000;
  // A flood of idle sockets must not exhaust file descriptors; platforms retry refused connections.
  server.maxConnections = MAX_CONNECTIONS;
  const port = listen.port ?? app.config.port;
  const host = listen.host ?? app.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const log = app.logger.child({ component: 'server' });
  let stopped: Promise<ShutdownReport> | null = null;
  async function shutdown(graceMs: number): Promise<ShutdownReport> {
    const deadline = Date.now() + graceMs;
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (!(await settledBy(Promise.all(inFlight), deadline)))
      log.warn({ requests: inFlight.size }, 'requests still in flight at the shutdown deadline');
    const report = await app.shutdown.run(deadline, log);
    const adaptersClosing = new AbortController();
    const timer = setTimeout(() => adaptersClosing.abort(), Math.max(0, deadline - Date.now()));
    await Promise.all(
      built.map((adapter) =>
        adapter.close?.(adaptersClosing.signal).catch((error: unknown) => {
          log.error({ err: error, adapter: adapter.name }, 'adapter failed to close');
        }),
      ),
    );
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
    return report;
  }
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    onShutdown: app.shutdown.onShutdown,
    shutdown(graceMs) {
      stopped ??= shutdown(graceMs);
      return stopped;
    },
    async close() {
      stopped ??= shutdown(0);
      await stopped;
    },
  };
}

async function handle(
  app: App,
  routes: Map<string, Route>,
  patterned: readonly Route[],
  request: IncomingMessage,
  response: ServerResponse,
) {
  const started = performance.now();
  const path = (request.url ?? '/').split('?')[0] ?? '/';
  const method = request.method ?? 'GET';
  let routeName = path;
  try {
    const route =
      routes.get(`${method} ${path}`) ??
      patterned.find((candidate) => candidate.method === method && candidate.pattern?.test(path));
    if (route?.pattern) routeName = route.path;
    const page = method === 'GET' ? PAGE_PATH.exec(path) : null;
    if (route) {
      await route.handle(request, response);
    } else if (method === 'GET' && CHART_ROUTE.test(path)) {
      routeName = '/o/:org/incidents/:identifier/chart.png';
      await serveChart(app, request, response);
    } else if (page) {
      routeName = '/o/:org/incidents/:identifier';
      await serveIncidentPage(app, request, response, page);
    } else if ([...routes.keys()].some((key) => key.endsWith(` ${path}`))) {
      sendJson(response, 405, { error: `method ${method} not allowed on ${path}` });
    } else {
      routeName = 'unknown';
      sendJson(response, 404, { error: `no route ${method} ${path}` });
    }
  } catch (error) {
    app.logger.error({ err: error, method, path }, 'request failed');
    if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    else response.end();
  } finally {
    app.metrics.httpRequests.inc({ route: routeName, status: String(response.statusCode) });
    app.logger.debug(
      { method, path, status: response.statusCode, ms: Math.round(performance.now() - started) },
      'request',
    );
  }
}

function coreRoutes(app: App): Route[] {
  return [
    {
      method: 'GET',
      path: '/',
      handle: async (_request, response) => sendHtml(response, 200, await homePage(app)),
    },
    {
      method: 'GET',
      path: '/healthz',
      handle: async (_request, response) => sendJson(response, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/readyz',
      handle: async (request, response) => {
        const signal = AbortSignal.timeout(READY_TIMEOUT_MS);
        // The reason names hosts and errors of the deployment: for this machine (and the log) only.
        const detailed = isLoopbackPeer(request);
        try {
          await app.backend.check(signal);
          sendJson(
            response,
            200,
            detailed ? { status: 'ready', backend: app.backend.name } : { status: 'ready' },
          );
        } catch (error) {
          const reason = signal.aborted
            ? `no answer within ${READY_TIMEOUT_MS} ms`
            : (error as Error).message;
          app.logger.debug({ backend: app.backend.name, reason }, 'not ready');
          sendJson(
            response,
            503,
            detailed ? { status: 'not ready', backend: app.backend.name, reason } : { status: 'not ready' },
          );
        }
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async (_request, response) =>
        sendText(response, 200, await app.metrics.registry.metrics(), app.metrics.registry.contentType),
    },
  ];
}

/** A direct peer on this machine (no forwarding proxy in between): an operator, not the public. */
function isLoopbackPeer(request: IncomingMessage): boolean {
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined)
    return false;
  const address = request.socket.remoteAddress ?? '';
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.');
}

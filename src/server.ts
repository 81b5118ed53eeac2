// The HTTP server: health, readiness, metrics, the incident page, and the routes adapters contribute.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AdapterFactory, adapterContext, type Route } from './adapter.ts';
import type { App } from './app.ts';
import { CHART_ROUTE, serveChart } from './http/chart-route.ts';
import { incidentPage, notFoundPage } from './http/incident-page.ts';
import { sendJson, sendText } from './http/respond.ts';

export type RunningServer = { url: string; port: number; close(): Promise<void> };

const READY_TIMEOUT_MS = 2_000;

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
  const server = createServer((request, response) => {
    void handle(app, routes, patterned, request, response);
  });
  // Slow clients must not hold sockets forever; platform callers retry.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 65_000;
  const port = listen.port ?? app.config.port;
  const host = listen.host ?? app.config.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(built.map((adapter) => adapter.close?.()));
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
    const page = method === 'GET' ? /^\/o\/([^/]+)\/incidents\/([^/]+)\/?$/.exec(path) : null;
    if (route) {
      await route.handle(request, response);
    } else if (method === 'GET' && CHART_ROUTE.test(path)) {
      routeName = '/o/:org/incidents/:identifier/chart.png';
      await serveChart(app, request, response);
    } else if (page) {
      routeName = '/o/:org/incidents/:identifier';
      await serveIncidentPage(app, decodeURIComponent(page[1]!), page[2]!, response);
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
      path: '/healthz',
      handle: async (_request, response) => sendJson(response, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      path: '/readyz',
      handle: async (_request, response) => {
        const signal = AbortSignal.timeout(READY_TIMEOUT_MS);
        try {
          await app.backend.check(signal);
          sendJson(response, 200, { status: 'ready', backend: app.backend.name });
        } catch (error) {
          const reason = signal.aborted
            ? `no answer within ${READY_TIMEOUT_MS} ms`
            : (error as Error).message;
          sendJson(response, 503, { status: 'not ready', backend: app.backend.name, reason });
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

async function serveIncidentPage(
  app: App,
  organizationId: string,
  identifierText: string,
  response: ServerResponse,
) {
  const identifier = Number(identifierText);
  const record = Number.isSafeInteger(identifier)
    ? app.repository.findIncident(organizationId, identifier)
    : null;
  if (!record) {
    sendText(response, 404, notFoundPage(organizationId, identifierText), 'text/html; charset=utf-8');
    return;
  }
  const [[card], activity] = await Promise.all([
    app.cards.build([record]),
    app.repository.incidentActivity(record.incident.id),
  ]);
  sendText(response, 200, incidentPage(card!, activity), 'text/html; charset=utf-8');
}

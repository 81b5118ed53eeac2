// POST /api/messages: reads and checks the HTTP request, then hands it to the bot runtime (botbuilder's
// CloudAdapter.process, which authenticates the JWT and runs the turn) with Node's raw request/response
// adapted to the Express-like shape it expects.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../../src/adapter.ts';
import type { Logger } from '../../src/log.ts';
import type { TeamsAuth } from './verify.ts';
import type { BotResponse, TeamsBotRuntime } from './bot.ts';
import { activityShapeProblem } from './activity-shape.ts';
import { MAX_ACTIVITY_BYTES } from './limits.ts';
import { readRawBody } from '../../src/http/read-body.ts';

export const MESSAGES_PATH = '/api/messages';

export type MessagesRouteOptions = { auth: TeamsAuth; runtime: TeamsBotRuntime | null; logger: Logger };

type Rejection = { status: number; reason: string };

export function messagesRoute(options: MessagesRouteOptions): Route {
  return {
    method: 'POST',
    path: MESSAGES_PATH,
    async handle(request, response) {
      const { auth, runtime, logger } = options;
      if (auth.mode === 'unconfigured' || !runtime) {
        reject(response, {
          status: 503,
          reason: auth.mode === 'unconfigured' ? auth.reason : 'Teams is not configured',
        });
        return;
      }
      if (auth.mode === 'off') {
        const refused = localOnlyRefusal(request);
        if (refused) {
          reject(response, { status: 401, reason: refused });
          return;
        }
      }
      const read = await readActivity(request);
      if (!read.ok) {
        reject(response, read);
        return;
      }
      const body = read.activity;
      if (auth.mode === 'off' && !isLoopbackUrl(body.serviceUrl)) {
        // Without a token nothing vouches for serviceUrl; replies must not go anywhere but this machine.
        reject(response, { status: 400, reason: 'TEAMS_AUTH=off only answers a serviceUrl on loopback' });
        return;
      }
      const answer = nodeResponse(response);
      await runtime.process({ method: 'POST', headers: request.headers, body }, answer);
      if (response.statusCode === 401) logger.info({ reason: answer.sentText() }, 'teams request refused');
    },
  };
}

type ReadResult = { ok: true; activity: Record<string, unknown> } | ({ ok: false } & Rejection);

async function readActivity(request: IncomingMessage): Promise<ReadResult> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return { ok: false, status: 415, reason: 'expected application/json' };
  const read = await readRawBody(request, MAX_ACTIVITY_BYTES);
  if (!read.ok) return { ok: false, status: 413, reason: 'activity too large' };
  try {
    const parsed: unknown = JSON.parse(read.body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const problem = activityShapeProblem(parsed);
      if (problem) return { ok: false, status: 400, reason: problem };
      return { ok: true, activity: parsed as Record<string, unknown> };
    }
  } catch {
    // Falls through to the same answer as a non-object body.
  }
  return { ok: false, status: 400, reason: 'the body must be one JSON activity' };
}

function reject(response: ServerResponse, rejection: Rejection): void {
  response.writeHead(rejection.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: rejection.reason }));
}

/** Collects what the SDK sets and writes it once on `end()`. */
function nodeResponse(response: ServerResponse): BotResponse & { sentText(): string } {
  let status = 200;
  let payload: unknown;
  return {
    socket: response.socket,
    status(code) {
      status = code;
    },
    header(name, value) {
      response.setHeader(name, String(value));
    },
    send(body) {
      payload = body;
    },
    end() {
      if (response.writableEnded) return;
      if (payload === undefined || payload === null) {
        response.writeHead(status).end();
      } else if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
        response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(payload);
      } else {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      }
    },
    sentText: () => (typeof payload === 'string' ? payload.slice(0, 300) : ''),
  };
}

/**
 * Why an unauthenticated (TEAMS_AUTH=off) request is refused, or null. A loopback peer is not enough: a reverse
 * proxy on this machine makes every caller look local (it adds forwarding headers), and a browser page can reach
 * loopback through DNS rebinding (its Host is then the attacker's name, not a loopback one).
 */
function localOnlyRefusal(request: IncomingMessage): string | null {
  if (!isLoopback(request.socket.remoteAddress)) return 'TEAMS_AUTH=off accepts requests from loopback only';
  const forwarded = PROXY_HEADERS.find((name) => request.headers[name] !== undefined);
  if (forwarded) return `TEAMS_AUTH=off refuses proxied requests (${forwarded})`;
  if (!isLoopbackHost(request.headers.host)) return 'TEAMS_AUTH=off accepts a loopback Host only';
  return null;
}

const PROXY_HEADERS = [
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'via',
  'client-ip',
  'true-client-ip',
  'cf-connecting-ip',
  'x-client-ip',
  'x-cluster-client-ip',
];

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  return isLoopbackUrl(`http://${host}/`);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || isLoopback(host);
  } catch {
    return false;
  }
}

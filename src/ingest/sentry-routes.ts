// POST /api/<projectId>/envelope/ and the legacy POST /api/<projectId>/store/: what Sentry SDKs send.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../adapter.ts';
import type { KeyDirectory } from '../keys/key-directory.ts';
import { answer, refuse } from './answer.ts';
import { authorizeProject } from './authorize.ts';
import { type CommitDeps, commitRows } from './commit-rows.ts';
import { parseEnvelope } from './envelope.ts';
import { asObject } from './fields.ts';
import type { ProjectDirectory } from './project-directory.ts';
import { readIngestBody } from './request-body.ts';
import { keyFromDsn, keyFromHeaders, keyFromQuery } from './sentry-auth.ts';
import { mapEnvelope, type SessionUpdates } from './sentry-items.ts';
import { mapEvent } from './sentry-event.ts';

export type SentryRouteDeps = CommitDeps & {
  keys: KeyDirectory;
  projects: ProjectDirectory;
  now: () => number;
  sessionUpdates: SessionUpdates;
};

const ENVELOPE = /^\/api\/(\d{1,15})\/envelope\/?$/;
const STORE = /^\/api\/(\d{1,15})\/store\/?$/;

export function sentryRoutes(deps: SentryRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/:projectId/envelope/',
      pattern: ENVELOPE,
      handle: (request, response) => receiveEnvelope(deps, request, response),
    },
    {
      method: 'POST',
      path: '/api/:projectId/store/',
      pattern: STORE,
      handle: (request, response) => receiveStore(deps, request, response),
    },
  ];
}

function target(request: IncomingMessage, pattern: RegExp) {
  const url = new URL(request.url ?? '/', 'http://ingest');
  return { projectId: Number(pattern.exec(url.pathname)?.[1]), search: url.searchParams };
}

async function receiveEnvelope(deps: SentryRouteDeps, request: IncomingMessage, response: ServerResponse) {
  const { projectId, search } = target(request, ENVELOPE);
  const body = await readIngestBody(request);
  if (!body.ok) return refuse(response, body.status, body.reason);
  const parsed = parseEnvelope(body.body);
  if (!parsed.ok) return refuse(response, parsed.status, parsed.reason);
  const { envelope } = parsed;
  const publicKey =
    keyFromHeaders(request.headers) ?? keyFromQuery(search) ?? keyFromDsn(envelope.header.dsn);
  const authorized = await authorizeProject(deps.keys, deps.projects, publicKey, projectId);
  if (!authorized.ok) return refuse(response, authorized.status, authorized.detail);
  const mapped = mapEnvelope(envelope, projectId, deps.now(), deps.sessionUpdates);
  if (!mapped.ok) {
    for (const item of envelope.items) deps.metrics.items.inc({ type: item.header.type, outcome: 'refused' });
    return refuse(response, 400, mapped.reason);
  }
  for (const [type, count] of mapped.dropped) deps.metrics.items.inc({ type, outcome: 'dropped' }, count);
  if (mapped.events.length + mapped.sessions.length > 0) {
    if (!(await commitRows(deps, mapped, response))) return;
  }
  for (const item of envelope.items) {
    if (!mapped.dropped.has(item.header.type) || item.header.type === 'span') {
      deps.metrics.items.inc({ type: item.header.type, outcome: 'stored' });
    }
  }
  const eventId =
    typeof envelope.header.event_id === 'string' ? envelope.header.event_id : mapped.events[0]?.id;
  answer(response, 200, eventId ? { id: eventId } : {});
}

async function receiveStore(deps: SentryRouteDeps, request: IncomingMessage, response: ServerResponse) {
  const { projectId, search } = target(request, STORE);
  const publicKey = keyFromHeaders(request.headers) ?? keyFromQuery(search);
  const authorized = await authorizeProject(deps.keys, deps.projects, publicKey, projectId);
  if (!authorized.ok) {
    request.resume();
    return refuse(response, authorized.status, authorized.detail);
  }
  const body = await readIngestBody(request);
  if (!body.ok) return refuse(response, body.status, body.reason);
  let payload: Record<string, unknown> | null = null;
  try {
    payload = asObject(JSON.parse(body.body.toString('utf8')));
  } catch {
    payload = null;
  }
  if (!payload) return refuse(response, 400, 'the body is not a JSON event object');
  const mapped = mapEvent(payload, { projectId, receivedAt: deps.now() });
  const type = payload.type === 'transaction' ? 'transaction' : 'event';
  if (!mapped.ok) {
    deps.metrics.items.inc({ type, outcome: 'refused' });
    return refuse(response, 400, mapped.reason);
  }
  if (!(await commitRows(deps, { events: [mapped.row], sessions: [] }, response))) return;
  deps.metrics.items.inc({ type, outcome: 'stored' });
  answer(response, 200, { id: mapped.row.id });
}

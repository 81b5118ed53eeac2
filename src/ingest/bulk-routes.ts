// POST /api/ingest/events and /api/ingest/sessions: NDJSON batches for pipelines, validated exactly as `import`
// validates an .ndjson file; any bad line refuses the whole batch, with each line's reason.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from '../adapter.ts';
import type { KeyDirectory } from '../keys/key-directory.ts';
import { ErrorList } from '../store/import/errors.ts';
import { type NdjsonKind, validateNdjson } from '../store/import/ndjson-file.ts';
import { fileDigest } from '../store/import/normalize.ts';
import { answer, refuse } from './answer.ts';
import { bearerKey } from './sentry-auth.ts';
import { findActiveKey } from './authorize.ts';
import { type CommitDeps, commitRows } from './commit-rows.ts';
import { INGEST_LIMITS } from './limits.ts';
import type { ProjectDirectory } from './project-directory.ts';
import { readIngestBody } from './request-body.ts';

export type BulkRouteDeps = CommitDeps & { keys: KeyDirectory; projects: ProjectDirectory };

export function bulkRoutes(deps: BulkRouteDeps): Route[] {
  return (['events', 'sessions'] as const).map((kind) => ({
    method: 'POST' as const,
    path: `/api/ingest/${kind}`,
    handle: (request: IncomingMessage, response: ServerResponse) =>
      receiveBatch(deps, kind, request, response),
  }));
}

async function receiveBatch(
  deps: BulkRouteDeps,
  kind: NdjsonKind,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const found = await findActiveKey(deps.keys, bearerKey(request.headers));
  if (!found.ok) {
    request.resume();
    return refuse(response, found.status, found.detail);
  }
  const { key } = found;
  const body = await readIngestBody(request);
  if (!body.ok) return refuse(response, body.status, body.reason);
  const text = body.body.toString('utf8');
  if (countLines(text) > INGEST_LIMITS.maxBatchLines) {
    return refuse(response, 413, `more than ${INGEST_LIMITS.maxBatchLines} lines in one batch`);
  }
  // An organization key writes to any of its projects; a project key only to its own.
  const allowed =
    key.projectId === null
      ? await deps.projects.projectsOf(key.organizationId)
      : (await deps.projects.organizationOf(key.projectId)) === key.organizationId
        ? new Set([key.projectId])
        : new Set<number>();
  const errors = new ErrorList();
  const digest = fileDigest(body.body);
  // A writer that reads NDJSON itself gets the body once every line is valid; JS then builds no rows.
  const bodyOnly = kind === 'events' && deps.queue.readsNdjson;
  const { lines, rows } = await validateNdjson('body', text, kind, allowed, errors, bodyOnly ? null : digest);
  if (errors.total > 0) {
    return answer(response, 400, {
      detail: `nothing stored: ${errors.total} invalid line${errors.total === 1 ? '' : 's'}`,
      errors: errors.errors.map((error) => ({ line: error.line, reason: error.reason })),
    });
  }
  const batch = bodyOnly
    ? { events: [], sessions: [], ndjsonEvents: [{ text: body.body, digest, lines }] }
    : rows.kind === 'events'
      ? { events: rows.rows, sessions: [] }
      : { events: [], sessions: rows.rows };
  if (!(await commitRows(deps, batch, response))) return;
  answer(response, 200, { stored: bodyOnly ? lines : rows.rows.length });
}

/** A final newline ends the last line rather than starting another: 100,000 records with one are 100,000 lines. */
function countLines(text: string): number {
  let lines = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}

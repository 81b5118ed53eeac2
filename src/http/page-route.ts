// GET /o/<org>/incidents/<identifier>?exp=…&sig=…: the incident page, for holders of a signed link only. The
// signature is checked before anything is looked up, so a guessed URL learns nothing (not even whether the
// incident exists); identifiers are plain positive decimals (`0x1`, `1e0`, `01` are not aliases of 1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.ts';
import { incidentPagePath } from '../card/page-link.ts';
import { incidentPage, notFoundPage } from './incident-page.ts';
import { sendHtml } from './send-html.ts';

export const PAGE_PATH = /^\/o\/([^/]+)\/incidents\/([^/]+)\/?$/;
const IDENTIFIER = /^[1-9]\d{0,14}$/;

const FORBIDDEN = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link not valid</title></head>
<body><h1>This link is not valid</h1><p>Incident pages open from the link in a card. This one is incomplete,
altered or expired: open the incident from a fresh card (Refresh, or show it again).</p></body></html>`;

const BAD_REQUEST = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head>
<body><h1>Bad request</h1><p>The address is not well formed.</p></body></html>`;

export async function serveIncidentPage(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
  match: RegExpExecArray,
): Promise<void> {
  const organizationId = decodeSegment(match[1]!);
  const identifierText = match[2]!;
  if (organizationId === null) return sendHtml(response, 400, BAD_REQUEST);
  if (!IDENTIFIER.test(identifierText))
    return sendHtml(response, 404, notFoundPage(organizationId, identifierText));
  const identifier = Number(identifierText);
  const query = new URL(request.url ?? '/', 'http://page').searchParams;
  // Verified against the canonical path, so `/o/acme/incidents/42/` and `/o/%61cme/…` sign the same as the link.
  const verdict = app.signer.verify(incidentPagePath(organizationId, identifier), query);
  if (!verdict.ok) return sendHtml(response, 403, FORBIDDEN);
  const record = app.repository.findIncident(organizationId, identifier);
  if (!record) return sendHtml(response, 404, notFoundPage(organizationId, identifierText));
  const [[card], activity] = await Promise.all([
    app.cards.build([record]),
    app.repository.incidentActivity(record.incident.id),
  ]);
  sendHtml(response, 200, incidentPage(card!, activity));
}

/** A path segment with its %-escapes decoded, or null when they are malformed (answered 400, not 500). */
export function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// GET /o/<org>/incidents/<identifier>/chart.png?v=…&exp=…&sig=…: the chart image of a card. The signature is
// checked before anything is looked up, so a bad URL learns nothing (403, never the image, never a 404).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChartImages } from '../chart/chart-images.ts';
import type { IncidentRepository } from '../repository.ts';
import { sendText } from './respond.ts';
import type { UrlSigner } from './signed-url.ts';

export const CHART_ROUTE = /^\/o\/([^/]+)\/incidents\/([^/]+)\/chart\.png$/;

/** The URL changes every minute (and with the state); a client may keep one image that long. */
const CACHE_CONTROL = 'public, max-age=60';

export type ChartRouteDeps = { repository: IncidentRepository; charts: ChartImages; signer: UrlSigner };

export async function serveChart(
  deps: ChartRouteDeps,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const match = CHART_ROUTE.exec(url.pathname);
  const verified = match ? deps.signer.verify(url.pathname, url.searchParams) : null;
  if (!match || !verified?.ok) {
    response.setHeader('cache-control', 'no-store');
    sendText(response, 403, 'forbidden: this chart link is not signed, altered or expired\n');
    return;
  }
  const organizationId = decodeSegment(match[1]!);
  const identifier = /^[1-9]\d{0,15}$/.test(match[2]!) ? Number(match[2]) : null;
  const record =
    organizationId !== null && identifier !== null
      ? deps.repository.findIncident(organizationId, identifier)
      : null;
  if (!record) {
    response.setHeader('cache-control', 'no-store');
    sendText(response, 404, 'no such incident\n');
    return;
  }
  const image = await deps.charts.image(record);
  if (!image.ok) {
    response.setHeader('cache-control', 'no-store');
    sendText(response, 503, `the chart cannot be computed right now (${image.detail})\n`);
    return;
  }
  const headers = { 'cache-control': CACHE_CONTROL, etag: image.etag };
  if (request.headers['if-none-match'] === image.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, 'content-type': 'image/png', 'content-length': image.png.length });
  response.end(image.png);
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

// Answers of the ingestion routes: JSON with Sentry's `detail` for errors, readable by browser SDKs (CORS).
import type { ServerResponse } from 'node:http';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-sentry-rate-limits, retry-after',
};

export function answer(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...CORS,
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function refuse(
  response: ServerResponse,
  status: number,
  detail: string,
  headers?: Record<string, string>,
) {
  answer(response, status, { detail }, headers);
}

// Every HTML answer goes out with the same security headers: no script at all (the pages have none), no
// framing, no referrer leaking a signed URL to another site, no shared caches holding an organization's page.
import type { ServerResponse } from 'node:http';

export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, no-store',
};

export function sendHtml(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    ...HTML_SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  response.end(html);
}

// The incident page link every card title and list row points to. Pages show an organization's data, so the
// link is signed (http/signed-url.ts): it opens for whoever was handed the card, and a guessed or altered one
// does not. The expiry is rounded up to a whole day so that a card refreshed many times keeps one URL a day
// (platforms compare embeds by URL, and caches key on it).
import type { UrlSigner } from '../http/signed-url.ts';
import { DEFAULT_EXPIRY_MS } from '../http/signed-url.ts';

export type PageLink = (organizationId: string, identifier: number) => string;

const DAY_MS = 86_400_000;

export function incidentPagePath(organizationId: string, identifier: number): string {
  return `/o/${encodeURIComponent(organizationId)}/incidents/${identifier}`;
}

/** Links without a signature: only for output that never reaches a browser (benchmarks, tests of text). */
export function plainPageLink(publicUrl: string): PageLink {
  return (organizationId, identifier) => `${publicUrl}${incidentPagePath(organizationId, identifier)}`;
}

export function signedPageLink(options: {
  publicUrl: string;
  signer: UrlSigner;
  now?: () => number;
  expiryMs?: number;
}): PageLink {
  const now = options.now ?? Date.now;
  const expiryMs = options.expiryMs ?? DEFAULT_EXPIRY_MS;
  return (organizationId, identifier) => {
    const expiresAt = Math.ceil((now() + expiryMs) / DAY_MS) * DAY_MS;
    return `${options.publicUrl}${options.signer.signedPath(incidentPagePath(organizationId, identifier), expiresAt)}`;
  };
}

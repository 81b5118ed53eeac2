// Finds incident references in free text: our own incident links, Sentry-style alert links
// and `#<identifier>` mentions. Used by message commands, message actions and link unfurling alike.
import type { IncidentRef } from './model.ts';

export type LinkSettings = {
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** Extra hosts whose `/organizations/<org>/alerts/rules/details/<ruleId>/?alert=<id>` links unfurl. */
  unfurlHosts: readonly string[];
};

const URL_PATTERN = /https?:\/\/[^\s<>"'|)\]]+/gi;
const HASH_PATTERN = /(?:^|[\s(,;:])#(\d{1,9})\b/g;
const ORG_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Parses one link; null when it is not an incident link this deployment understands. */
export function parseIncidentLink(link: string, settings: LinkSettings): IncidentRef | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  const own = ownIncidentPath(url, settings.publicUrl);
  if (own) return own;
  return sentryAlertLink(url, settings.unfurlHosts);
}

function ownIncidentPath(url: URL, publicUrl: string): IncidentRef | null {
  const base = new URL(publicUrl);
  if (url.host.toLowerCase() !== base.host.toLowerCase()) return null;
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(prefix)) return null;
  const match = /^\/o\/([^/]+)\/incidents\/(\d{1,9})\/?$/.exec(url.pathname.slice(prefix.length));
  return match ? ref(match[1], match[2]) : null;
}

function sentryAlertLink(url: URL, unfurlHosts: readonly string[]): IncidentRef | null {
  const alert = url.searchParams.get('alert');
  if (!alert || !/^\d{1,9}$/.test(alert)) return null;
  const host = url.hostname.toLowerCase();
  const subdomain = /^([a-z0-9][a-z0-9-]*)\.sentry\.io$/.exec(host);
  if (subdomain && /^\/alerts\/rules\/details\/\d+\/?$/.test(url.pathname)) return ref(subdomain[1], alert);
  if (!unfurlHosts.includes(host) && !unfurlHosts.includes(url.host.toLowerCase())) return null;
  const match = /^\/organizations\/([^/]+)\/alerts\/rules\/details\/\d+\/?$/.exec(url.pathname);
  return match ? ref(match[1], alert) : null;
}

function ref(organizationId: string | undefined, identifier: string | undefined): IncidentRef | null {
  if (!organizationId || !identifier) return null;
  const org = decodeURIComponent(organizationId).toLowerCase();
  const id = Number(identifier);
  if (!ORG_PATTERN.test(org) || !Number.isSafeInteger(id) || id < 1) return null;
  return { organizationId: org, identifier: id };
}

/**
 * Every incident referenced in `text` (links and `#<identifier>` mentions) in the order they appear, without
 * duplicates: a reader ticking them off in a dialog expects the message's own order. The caller caps the
 * count (a message shows at most ten cards).
 */
export function findIncidentRefs(text: string, settings: LinkSettings): IncidentRef[] {
  const candidates: { at: number; ref: IncidentRef | null }[] = [];
  // Punctuation right after a link ends the sentence, not the link ("see https://…/42, then …").
  for (const match of text.matchAll(URL_PATTERN))
    candidates.push({
      at: match.index,
      ref: parseIncidentLink(match[0].replace(/[.,;:!?]+$/, ''), settings),
    });
  // Blanked to the same length, so a mention's position still counts in the original text.
  const withoutUrls = text.replace(URL_PATTERN, (url) => ' '.repeat(url.length));
  for (const match of withoutUrls.matchAll(HASH_PATTERN)) {
    const identifier = Number(match[1]);
    if (identifier > 0) candidates.push({ at: match.index, ref: { organizationId: null, identifier } });
  }
  const found: IncidentRef[] = [];
  const seen = new Set<string>();
  for (const { ref: candidate } of candidates.sort((a, b) => a.at - b.at)) {
    if (!candidate) continue;
    const key = sameIncidentKey(candidate.organizationId, candidate.identifier);
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(candidate);
  }
  return found;
}

/** One key per incident: two references with the same key name the same incident. */
export function sameIncidentKey(organizationId: string | null, identifier: number): string {
  return `${organizationId ?? ''}/${identifier}`;
}

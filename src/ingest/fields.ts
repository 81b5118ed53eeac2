// Reading Sentry payload fields into the store's columns: times, ids, text within the dataset's limits (the same
// numbers as src/store/dataset.ts, so an ingested row could have been imported).
import { randomUUID } from 'node:crypto';
import { EVENT_LIMITS } from '../event-limits.ts';

export const FIELD_LIMITS = {
  environment: 200,
  level: 50,
  message: 100_000,
  user: 200,
  release: 200,
  transaction: 1_000,
  status: 100,
  tagName: 200,
  tagValue: 1_000,
} as const;

export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
}

/** A string (numbers and booleans written out) clipped to `limit`, or null. */
export function text(value: unknown, limit: number): string | null {
  if (typeof value === 'string') return value === '' ? null : value.slice(0, limit);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).slice(0, limit);
  return null;
}

/**
 * The times the dataset format can write (four-digit ISO years): an SDK clock far off, or a fuzzer's 1e308, is
 * refused with a reason rather than reaching the store, which cannot hold it (found by fuzzing: a 503).
 */
const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Sentry sends times as float seconds since the epoch or as ISO-8601 strings; epoch milliseconds, or null. */
export function epochMs(value: unknown): number | null {
  const ms = anyEpochMs(value);
  return ms !== null && ms >= EARLIEST_MS && ms <= LATEST_MS ? ms : null;
}

function anyEpochMs(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(value * 1000);
  if (typeof value === 'string') {
    const number = Number(value);
    if (value.trim() !== '' && Number.isFinite(number)) return Math.round(number * 1000);
    // A time without zone is UTC in Sentry's protocol.
    const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

const HEX_ID = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type IdResult = { ok: true; id: string } | { ok: false; reason: string };

/** Sentry's event_id (32 hex characters or a UUID) as 32 lowercase hex: both spellings name the same event. */
export function sentryId(value: unknown, field: string): IdResult {
  if (value === undefined || value === null) return { ok: true, id: freshId() };
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  if (HEX_ID.test(lower)) return { ok: true, id: lower };
  if (UUID.test(lower)) return { ok: true, id: lower.replaceAll('-', '') };
  return { ok: false, reason: `${field}: must be 32 hex characters or a UUID` };
}

export function freshId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Sentry's user interface: the first of id, email, IP address, username. */
export function userOf(value: unknown): string | null {
  const user = asObject(value);
  if (!user) return null;
  return (
    text(user.id, FIELD_LIMITS.user) ??
    text(user.email, FIELD_LIMITS.user) ??
    text(user.ip_address, FIELD_LIMITS.user) ??
    text(user.username, FIELD_LIMITS.user)
  );
}

/**
 * Tags as an object or as `[name, value]` pairs (both are Sentry's): the first ones within the count and bytes of
 * event-limits.ts are kept and the rest dropped, as Sentry trims an event rather than refusing it.
 */
export function tagsOf(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  let count = 0;
  let bytes = 0;
  const add = (name: unknown, tag: unknown) => {
    const key = text(name, FIELD_LIMITS.tagName);
    const content = text(tag, FIELD_LIMITS.tagValue);
    if (key === null || content === null || count >= EVENT_LIMITS.maxTags) return;
    const size = Buffer.byteLength(key) + Buffer.byteLength(content);
    if (bytes + size > EVENT_LIMITS.maxTagBytes) return;
    if (!Object.hasOwn(tags, key)) count++;
    else bytes -= Buffer.byteLength(key) + Buffer.byteLength(tags[key]!);
    bytes += size;
    tags[key] = content;
  };
  if (Array.isArray(value)) {
    for (const pair of value) if (Array.isArray(pair)) add(pair[0], pair[1]);
  } else {
    const object = asObject(value);
    if (object) for (const [name, tag] of Object.entries(object)) add(name, tag);
  }
  return tags;
}

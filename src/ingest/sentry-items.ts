// Turns a parsed envelope's items into rows. Any malformed item refuses the whole envelope (the SDK gets a 400 with
// the reason); item types the store has no place for are accepted and dropped, and counted.
import type { EventRow, SessionRow } from '../query/backend.ts';
import type { Envelope } from './envelope.ts';
import { asObject, type Json } from './fields.ts';
import { mapEvent, mapTransaction } from './sentry-event.ts';
import { mapSessionAggregates, mapSession } from './sentry-sessions.ts';
import { mapSpanContainer } from './sentry-spans.ts';

export type MappedEnvelope =
  | { ok: true; events: EventRow[]; sessions: SessionRow[]; dropped: Map<string, number> }
  | { ok: false; reason: string };

/**
 * How a store takes a session's updates: `replace` (DuckDB upserts by sid, so every update replaces the last), or
 * `final` (ClickHouse keeps the first row of an id: only the update that ends a session is written, so the session
 * counts once, with its final status, from the moment it ends).
 */
export type SessionUpdates = 'replace' | 'final';

export function mapEnvelope(
  envelope: Envelope,
  projectId: number,
  receivedAt: number,
  sessionUpdates: SessionUpdates = 'replace',
): MappedEnvelope {
  const events: EventRow[] = [];
  const sessions: SessionRow[] = [];
  const dropped = new Map<string, number>();
  const drop = (type: string, count = 1) => dropped.set(type, (dropped.get(type) ?? 0) + count);
  for (const [index, item] of envelope.items.entries()) {
    const type = item.header.type;
    const where = `item ${index + 1} (${type})`;
    if (!MAPPED.has(type)) {
      drop(type);
      continue;
    }
    const payload = parsePayload(item.payload);
    if (!payload) return { ok: false, reason: `${where}: payload is not a JSON object` };
    const context = { projectId, receivedAt, envelopeEventId: envelope.header.event_id };
    if (type === 'event' || type === 'transaction') {
      const mapped = type === 'event' ? mapEvent(payload, context) : mapTransaction(payload, context);
      if (!mapped.ok) return { ok: false, reason: `${where}: ${mapped.reason}` };
      events.push(mapped.row);
    } else if (type === 'span') {
      const container = payload.version === 2 ? payload : { version: 2, items: [payload] };
      const mapped = mapSpanContainer(container, projectId);
      if (!mapped.ok) return { ok: false, reason: `${where}: ${mapped.reason}` };
      events.push(...mapped.rows);
      if (mapped.dropped > 0) drop('span', mapped.dropped);
    } else {
      const mapped =
        type === 'session'
          ? mapSession(payload, projectId, receivedAt)
          : mapSessionAggregates(payload, projectId);
      if (!mapped.ok) return { ok: false, reason: `${where}: ${mapped.reason}` };
      if (mapped.final || sessionUpdates === 'replace') sessions.push(...mapped.rows);
    }
  }
  return { ok: true, events, sessions, dropped };
}

const MAPPED = new Set(['event', 'transaction', 'span', 'session', 'sessions']);

function parsePayload(bytes: Buffer): Json | null {
  try {
    return asObject(JSON.parse(bytes.toString('utf8')));
  } catch {
    return null;
  }
}

// Turns validated dataset events and sessions into stored rows: epoch-ms times, a stable id, the event type.
import { createHash } from 'node:crypto';
import type { EventRow, SessionRow } from '../../query/backend.ts';
import type { Event, Session } from '../dataset.ts';

/**
 * The digest of a whole file (or in-memory dataset): with a record's ordinal it identifies a record that has no
 * `id`. Identical lines of one file stay distinct records (a burst of the same error is a burst), while importing
 * the same file again replaces what the first import wrote.
 */
export function fileDigest(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}

/** `<file digest>:<ordinal>`, the ordinal counting records from 1 (non-blank NDJSON lines, array positions). */
export function recordId(digest: string, ordinal: number): string {
  return `${digest}:${ordinal}`;
}

export function toEventRow(event: Event, id: string): EventRow {
  const transaction = event.transaction ?? null;
  const duration = event.duration ?? null;
  return {
    id,
    timestamp: Date.parse(event.timestamp),
    projectId: event.projectId,
    // docs/dataset-format.md: a transaction is an event with a transaction and a duration; every other event is an error.
    eventType: transaction !== null && duration !== null ? 'transaction' : 'error',
    environment: event.environment ?? null,
    level: event.level ?? null,
    message: event.message ?? null,
    user: event.user ?? null,
    release: event.release ?? null,
    transaction,
    duration,
    status: event.status ?? null,
    tags: event.tags ?? {},
  };
}

export function toSessionRow(session: Session, id: string): SessionRow {
  return {
    id,
    timestamp: Date.parse(session.timestamp),
    projectId: session.projectId,
    environment: session.environment ?? null,
    release: session.release ?? null,
    user: session.user ?? null,
    status: session.status,
    quantity: session.quantity,
  };
}

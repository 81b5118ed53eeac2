// Turns validated dataset events and sessions into stored rows: epoch-ms times, a stable id, the event type.
import { createHash } from 'node:crypto';
import type { EventRow, SessionRow } from '../../query/backend.ts';
import type { Event, Session } from '../dataset.ts';

/** Without an explicit id the content is the identity, so importing the same file twice stores it once. */
export function contentId(source: unknown): string {
  return createHash('md5').update(JSON.stringify(source)).digest('hex');
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

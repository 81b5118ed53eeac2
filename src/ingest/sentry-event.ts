// Maps an `event` item (or a legacy /store/ body) and a `transaction` item onto a stored event row.
import type { EventRow } from '../query/backend.ts';
import { asObject, epochMs, FIELD_LIMITS, type Json, sentryId, tagsOf, text, userOf } from './fields.ts';

export type RowResult<Row> = { ok: true; row: Row } | { ok: false; reason: string };

export type EventContext = { projectId: number; receivedAt: number; envelopeEventId?: unknown };

export function mapEvent(payload: Json, context: EventContext): RowResult<EventRow> {
  if (payload.type === 'transaction') return mapTransaction(payload, context);
  const common = commonFields(payload, context);
  if (!common.ok) return common;
  return {
    ok: true,
    row: {
      ...common.row,
      eventType: 'error',
      // Sentry's default level for an event is error.
      level: text(payload.level, FIELD_LIMITS.level) ?? 'error',
      message: messageOf(payload),
      transaction: text(payload.transaction, FIELD_LIMITS.transaction),
      duration: null,
      status: null,
    },
  };
}

export function mapTransaction(payload: Json, context: EventContext): RowResult<EventRow> {
  const common = commonFields(payload, context);
  if (!common.ok) return common;
  const name = text(payload.transaction, FIELD_LIMITS.transaction);
  if (name === null) return { ok: false, reason: 'transaction: a transaction needs its name' };
  const start = epochMs(payload.start_timestamp);
  const end = epochMs(payload.timestamp);
  if (start === null || end === null) {
    return { ok: false, reason: 'transaction: needs start_timestamp and timestamp' };
  }
  const trace = asObject(asObject(payload.contexts)?.trace);
  return {
    ok: true,
    row: {
      ...common.row,
      eventType: 'transaction',
      level: null,
      message: name,
      transaction: name,
      duration: Math.max(0, end - start),
      status: text(trace?.status, FIELD_LIMITS.status) ?? 'ok',
    },
  };
}

type Common = Pick<EventRow, 'id' | 'timestamp' | 'projectId' | 'environment' | 'user' | 'release' | 'tags'>;

function commonFields(payload: Json, context: EventContext): RowResult<Common> {
  const id = sentryId(payload.event_id ?? context.envelopeEventId, 'event_id');
  if (!id.ok) return id;
  const timestamp = payload.timestamp === undefined ? context.receivedAt : epochMs(payload.timestamp);
  if (timestamp === null) {
    return { ok: false, reason: 'timestamp: must be seconds since the epoch or an ISO-8601 time' };
  }
  return {
    ok: true,
    row: {
      id: id.id,
      timestamp,
      projectId: context.projectId,
      environment: text(payload.environment, FIELD_LIMITS.environment),
      user: userOf(payload.user),
      release: text(payload.release, FIELD_LIMITS.release),
      tags: tagsOf(payload.tags),
    },
  };
}

/** `message` (a string or `{formatted, message}`), else `logentry`, else the first exception's `type: value`. */
function messageOf(payload: Json): string | null {
  const clip = (value: string | null) => (value === null ? null : value.slice(0, FIELD_LIMITS.message));
  const formatted = (value: unknown) => {
    const object = asObject(value);
    return object
      ? (text(object.formatted, FIELD_LIMITS.message) ?? text(object.message, FIELD_LIMITS.message))
      : null;
  };
  const direct = text(payload.message, FIELD_LIMITS.message) ?? formatted(payload.message);
  if (direct !== null) return direct;
  const logentry = formatted(payload.logentry);
  if (logentry !== null) return logentry;
  const exception = asObject(payload.exception);
  const values = Array.isArray(exception?.values)
    ? exception.values
    : Array.isArray(payload.exception)
      ? payload.exception
      : [];
  const first = asObject(values[0]);
  if (!first) return null;
  const type = text(first.type, FIELD_LIMITS.message);
  const value = text(first.value, FIELD_LIMITS.message);
  return clip(type && value ? `${type}: ${value}` : (type ?? value));
}

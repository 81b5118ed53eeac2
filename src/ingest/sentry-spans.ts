// Maps a span container item (`application/vnd.sentry.items.span.v2+json`, what current JavaScript SDKs send
// instead of transactions): each segment (root) span is a transaction; child spans are dropped.
import type { EventRow } from '../query/backend.ts';
import { asObject, epochMs, FIELD_LIMITS, type Json, text } from './fields.ts';

export type SpanRows = { ok: true; rows: EventRow[]; dropped: number } | { ok: false; reason: string };

export function mapSpanContainer(payload: Json, projectId: number): SpanRows {
  if (payload.version !== 2 || !Array.isArray(payload.items)) {
    return { ok: false, reason: 'span: expected {"version": 2, "items": [...]}' };
  }
  const rows: EventRow[] = [];
  let dropped = 0;
  for (const [index, value] of payload.items.entries()) {
    const span = asObject(value);
    if (!span) return { ok: false, reason: `span ${index + 1}: not an object` };
    const isSegment = span.is_segment === true || (span.is_segment === undefined && !span.parent_span_id);
    if (!isSegment) {
      dropped++;
      continue;
    }
    const row = segmentRow(span, projectId);
    if (!row.ok) return { ok: false, reason: `span ${index + 1}: ${row.reason}` };
    rows.push(row.row);
  }
  return { ok: true, rows, dropped };
}

function segmentRow(
  span: Json,
  projectId: number,
): { ok: true; row: EventRow } | { ok: false; reason: string } {
  const traceId = text(span.trace_id, 64);
  const spanId = text(span.span_id, 32);
  if (!traceId || !spanId) return { ok: false, reason: 'needs trace_id and span_id' };
  const start = epochMs(span.start_timestamp);
  const end = epochMs(span.end_timestamp ?? span.start_timestamp);
  if (start === null || end === null) return { ok: false, reason: 'needs start_timestamp and end_timestamp' };
  const attributes = asObject(span.attributes) ?? {};
  const attribute = (name: string, limit: number) =>
    text(asObject(attributes[name])?.value ?? attributes[name], limit);
  const name =
    text(span.name, FIELD_LIMITS.transaction) ?? attribute('sentry.segment.name', FIELD_LIMITS.transaction);
  if (name === null) return { ok: false, reason: 'a segment span needs its name' };
  return {
    ok: true,
    row: {
      // The trace and span ids together are the span's identity: a re-sent span replaces itself.
      id: `${traceId}:${spanId}`.toLowerCase(),
      timestamp: end,
      projectId,
      eventType: 'transaction',
      environment: attribute('sentry.environment', FIELD_LIMITS.environment),
      level: null,
      message: name,
      user:
        attribute('user.id', FIELD_LIMITS.user) ??
        attribute('user.email', FIELD_LIMITS.user) ??
        attribute('user.ip_address', FIELD_LIMITS.user) ??
        attribute('user.name', FIELD_LIMITS.user),
      release: attribute('sentry.release', FIELD_LIMITS.release),
      transaction: name,
      duration: Math.max(0, end - start),
      // v2 spans say only ok or error; the detail (e.g. "not_found") travels in sentry.status.message.
      status:
        span.status === 'error'
          ? (attribute('sentry.status.message', FIELD_LIMITS.status) ?? 'internal_error')
          : 'ok',
      tags: {},
    },
  };
}

// Maps `session` items (one session's update) and `sessions` items (aggregates) onto session rows. A session is one
// record keyed by its sid, so its updates replace each other and it counts once, with its latest status.
import type { SessionRow } from '../query/backend.ts';
import { asObject, epochMs, FIELD_LIMITS, freshId, type Json, sentryId, text } from './fields.ts';

/** `final`: the update ends the session (exited, crashed, abnormal); no later update may change it. */
export type SessionRows = { ok: true; rows: SessionRow[]; final: boolean } | { ok: false; reason: string };

const STATUSES = ['ok', 'exited', 'crashed', 'abnormal', 'errored'] as const;
type Status = (typeof STATUSES)[number];

export function mapSession(payload: Json, projectId: number, receivedAt: number): SessionRows {
  const sid = sentryId(payload.sid, 'sid');
  if (!sid.ok || payload.sid === undefined) return { ok: false, reason: 'session: needs sid (a UUID)' };
  const reported = payload.status ?? 'ok';
  if (!STATUSES.includes(reported as Status))
    return { ok: false, reason: `session: unknown status "${String(reported)}"` };
  const errors = typeof payload.errors === 'number' ? payload.errors : 0;
  // Sentry's rule: a healthy session that saw errors is an errored one.
  const status: Status =
    errors > 0 && (reported === 'ok' || reported === 'exited') ? 'errored' : (reported as Status);
  const started = epochMs(payload.started) ?? epochMs(payload.timestamp) ?? receivedAt;
  const attrs = asObject(payload.attrs) ?? {};
  return {
    ok: true,
    final: reported !== 'ok',
    rows: [
      {
        id: sid.id,
        timestamp: started,
        projectId,
        environment: text(attrs.environment, FIELD_LIMITS.environment),
        release: text(attrs.release, FIELD_LIMITS.release),
        user: text(payload.did, FIELD_LIMITS.user),
        status,
        quantity: 1,
      },
    ],
  };
}

/** `{aggregates: [{started, did?, exited, errored, abnormal, crashed}], attrs}`: one row per bucket and status. */
export function mapSessionAggregates(payload: Json, projectId: number): SessionRows {
  if (!Array.isArray(payload.aggregates)) return { ok: false, reason: 'sessions: needs aggregates' };
  const attrs = asObject(payload.attrs) ?? {};
  const environment = text(attrs.environment, FIELD_LIMITS.environment);
  const release = text(attrs.release, FIELD_LIMITS.release);
  const rows: SessionRow[] = [];
  for (const [index, value] of payload.aggregates.entries()) {
    const bucket = asObject(value);
    const started = epochMs(bucket?.started);
    if (!bucket || started === null)
      return { ok: false, reason: `sessions: aggregate ${index + 1} needs started` };
    for (const status of ['exited', 'errored', 'abnormal', 'crashed'] as const) {
      const quantity = bucket[status];
      if (quantity === undefined || quantity === 0) continue;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
        return { ok: false, reason: `sessions: aggregate ${index + 1}: ${status} must be a whole number` };
      }
      // An aggregate has no identity of its own: every report is new sessions.
      rows.push({
        id: freshId(),
        timestamp: started,
        projectId,
        environment,
        release,
        user: text(bucket.did, FIELD_LIMITS.user),
        status,
        quantity,
      });
    }
  }
  return { ok: true, rows, final: true };
}

// A fast, conservative check of one NDJSON event: true only for values the Event schema accepts unchanged (no
// defaults to fill in), so a million-line import skips zod for its ordinary lines. Anything else goes through zod,
// which decides and explains. A property test holds it to that (test/store/event-check.test.ts).
import { Event } from '../dataset.ts';
import { tagsProblem } from '../../event-limits.ts';

/** The schema's own ISO-8601 pattern, so the two can never disagree on what a time is. */
const TIME_PATTERN: RegExp = (Event.shape.timestamp as unknown as { _zod: { pattern: RegExp } })._zod.pattern;

const TEXT_LIMITS: readonly (readonly [string, number])[] = [
  ['environment', 200],
  ['level', 50],
  ['message', 100_000],
  ['user', 200],
  ['release', 200],
  ['transaction', 1_000],
  ['status', 100],
];

export function isOrdinaryEvent(value: unknown): value is Event {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const event = value as Record<string, unknown>;
  const { id, timestamp, projectId, duration, tags } = event;
  if (id !== undefined && !(typeof id === 'string' && id.length >= 1 && id.length <= 100)) return false;
  if (typeof timestamp !== 'string' || !TIME_PATTERN.test(timestamp)) return false;
  if (typeof projectId !== 'number' || !Number.isSafeInteger(projectId) || projectId <= 0) return false;
  for (const [name, limit] of TEXT_LIMITS) {
    const text = event[name];
    if (text !== undefined && text !== null && !(typeof text === 'string' && text.length <= limit))
      return false;
  }
  if (duration !== undefined && duration !== null) {
    if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0) return false;
  }
  if (tags !== undefined) {
    if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return false;
    for (const name in tags) {
      if (!Object.hasOwn(tags, name)) continue;
      const tag = (tags as Record<string, unknown>)[name];
      if (name.length > 200 || typeof tag !== 'string' || tag.length > 1_000) return false;
    }
    // Past the bounds: the schema check says why.
    if (tagsProblem(tags as Record<string, string>) !== null) return false;
  }
  return true;
}

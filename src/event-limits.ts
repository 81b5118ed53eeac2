// Bounds on one event, the same for `import`, the NDJSON endpoints and the Sentry endpoints: a few events with
// thousands of tags must not cost what millions of ordinary ones do (every tag is a row in the tag map of the
// store, and each card query may read them). Import and NDJSON refuse what is past them (`file:line: reason`);
// the Sentry endpoints keep the first tags that fit, as Sentry itself trims rather than drops an event.
export const EVENT_LIMITS = {
  /** Tags per event (Sentry's UI shows far fewer; SDKs send a dozen or two). */
  maxTags: 100,
  /** Names and values together, UTF-8. */
  maxTagBytes: 8 * 1024,
  /** One event as sent (an NDJSON line; an envelope item has the same 1 MiB bound, relay's max_event_size). */
  maxEventBytes: 1024 * 1024,
} as const;

/** UTF-8 length, computed only when the text could be past `limit` (the common case is one length read). */
export function bytesOver(text: string, limit: number): boolean {
  return text.length > limit || (text.length * 3 > limit && Buffer.byteLength(text) > limit);
}

/** Null when the tags are within the bounds, else why not. */
export function tagsProblem(tags: Readonly<Record<string, string>>): string | null {
  let count = 0;
  let bytes = 0;
  for (const name in tags) {
    if (!Object.hasOwn(tags, name)) continue;
    count++;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(tags[name]!);
  }
  if (count > EVENT_LIMITS.maxTags) return `${count} tags; an event has at most ${EVENT_LIMITS.maxTags}`;
  if (bytes > EVENT_LIMITS.maxTagBytes)
    return `tags of ${bytes} bytes; an event's tag names and values are at most ${EVENT_LIMITS.maxTagBytes} bytes`;
  return null;
}

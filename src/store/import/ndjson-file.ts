// Validates an `.ndjson` file of events or sessions, one object a line, and (optionally) normalizes its rows.
import type { EventRow, SessionRow } from '../../query/backend.ts';
import { Event, Session } from '../dataset.ts';
import { describeIssue, type ErrorList } from './errors.ts';
import { isOrdinaryEvent } from './event-check.ts';
import { recordId, toEventRow, toSessionRow } from './normalize.ts';
import { bytesOver, EVENT_LIMITS } from '../../event-limits.ts';

export type NdjsonKind = 'events' | 'sessions';

export type NdjsonRows = { kind: 'events'; rows: EventRow[] } | { kind: 'sessions'; rows: SessionRow[] };

/**
 * Returns the count of valid lines, and their rows when a `digest` is given (the embedded store loads the file
 * itself and only needs the verdict). Stops collecting errors once the list is full but keeps counting lines.
 */
/** Lines validated between yields to the event loop, so a load running beside the validation keeps moving. */
const LINES_PER_SLICE = 20_000;

export async function validateNdjson(
  file: string,
  text: string,
  kind: NdjsonKind,
  knownProjects: ReadonlySet<number>,
  errors: ErrorList,
  /** The file's digest (normalize.ts) to name rows without an id; null: only validate, collect no rows. */
  digest: string | null,
): Promise<{ lines: number; rows: NdjsonRows }> {
  const schema = kind === 'events' ? Event : Session;
  const eventRows: EventRow[] = [];
  const sessionRows: SessionRow[] = [];
  let lines = 0;
  let lineNumber = 0;
  let ordinal = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    if (lineNumber % LINES_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    ordinal++;
    if (bytesOver(line, EVENT_LIMITS.maxEventBytes)) {
      errors.add(file, lineNumber, `a record is at most ${EVENT_LIMITS.maxEventBytes} bytes`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      errors.add(file, lineNumber, `invalid JSON: ${(error as Error).message}`);
      continue;
    }
    let record: Event | Session;
    if (kind === 'events' && isOrdinaryEvent(value)) record = value;
    else {
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        errors.add(file, lineNumber, parsed.error.issues.map((issue) => describeIssue(issue)).join('; '));
        continue;
      }
      record = parsed.data;
    }
    if (!knownProjects.has(record.projectId)) {
      errors.add(file, lineNumber, `projectId: unknown project ${record.projectId}`);
      continue;
    }
    lines++;
    if (digest === null) continue;
    if (kind === 'events') {
      const event = record as Event;
      eventRows.push(toEventRow(event, event.id ?? recordId(digest, ordinal)));
    } else {
      const session = record as Session;
      sessionRows.push(toSessionRow(session, session.id ?? recordId(digest, ordinal)));
    }
  }
  return { lines, rows: kind === 'events' ? { kind, rows: eventRows } : { kind, rows: sessionRows } };
}

// Arbitraries for the ingestion endpoints: a Sentry envelope (an event, a transaction, a session) and NDJSON
// lines, each mutated by the shared mutator and serialized the way the wire carries them, so that the fuzzer
// reaches the item parsers and the mappers behind the envelope framing, not only the first refusal.
import fc from 'fast-check';
import { mutated } from './fuzz-inputs.ts';

const AT = Date.parse('2026-11-20T12:00:00Z') / 1000;

const BASE_ENVELOPE = {
  header: { event_id: '0123456789abcdef0123456789abcdef', sent_at: '2026-11-20T12:00:00Z' },
  items: [
    {
      header: { type: 'event' },
      payload: {
        event_id: '0123456789abcdef0123456789abcdef',
        timestamp: AT,
        level: 'error',
        environment: 'production',
        release: 'checkout@1.4.2',
        user: { id: 'u-1', email: 'a@example.com' },
        tags: { region: 'eu', '**bold**': '[x](y)' },
        exception: { values: [{ type: 'TypeError', value: 'x is undefined' }] },
      },
    },
    {
      header: { type: 'transaction' },
      payload: {
        type: 'transaction',
        transaction: 'GET /checkout',
        start_timestamp: AT - 1,
        timestamp: AT,
        contexts: { trace: { status: 'ok', op: 'http.server' } },
      },
    },
    {
      header: { type: 'session' },
      payload: {
        sid: '7c3e1b2a-4d5f-4a6b-8c7d-9e0f1a2b3c4d',
        did: 'u-1',
        started: '2026-11-20T11:59:00Z',
        status: 'ok',
        init: true,
        attrs: { release: 'checkout@1.4.2', environment: 'production' },
      },
    },
  ],
};

const BASE_LINE = {
  timestamp: '2026-11-20T12:00:00Z',
  projectId: 11,
  level: 'error',
  message: 'boom',
  environment: 'production',
  tags: { region: 'eu' },
};

/** An envelope as bytes: the header line, then each item's header (with its length, unless mutated) and payload. */
function envelopeText(value: unknown): string {
  const envelope = (value ?? {}) as { header?: unknown; items?: unknown };
  const lines = [JSON.stringify(envelope.header ?? null) ?? ''];
  for (const item of Array.isArray(envelope.items) ? envelope.items : []) {
    const { header, payload } = (item ?? {}) as { header?: unknown; payload?: unknown };
    const body = JSON.stringify(payload) ?? '';
    const itemHeader =
      header && typeof header === 'object' ? { length: Buffer.byteLength(body), ...header } : header;
    lines.push(JSON.stringify(itemHeader) ?? '', body);
  }
  return `${lines.join('\n')}\n`;
}

/** A Sentry envelope body: mostly a mutated real one, sometimes bytes that are no envelope at all. */
export const envelopeBodies: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: mutated(BASE_ENVELOPE).map(envelopeText) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '\n', '{}\n{"type":"event","length":-1}\n', '{}\n{"length":1e9}\nx'),
  },
);

/** A `store` body: one mutated event. */
export const storeBodies: fc.Arbitrary<string> = mutated(BASE_ENVELOPE.items[0]!.payload).map(
  (event) => JSON.stringify(event) ?? '',
);

/** An NDJSON batch: a few mutated lines, sometimes with a line that is not JSON. */
export const ndjsonBodies: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: mutated(BASE_LINE).map((line) => JSON.stringify(line) ?? '') },
      { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((lines) => lines.join('\n'));

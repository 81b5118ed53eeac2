// POST /api/<projectId>/envelope/ and /store/ with hand-built bodies: auth, encodings, limits, malformed items,
// other SDKs' transactions, sessions, dropped item types and back-pressure.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { envelope, errorEvent, eventId, post } from './envelope.ts';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

let harness: IngestHarness;
afterEach(() => harness.close());

const keyOf = (dsn: string) => new URL(dsn).username;
const events = () => harness.count('SELECT count(*) FROM events');
const auth = (key: string) => ({
  'x-sentry-auth': `Sentry sentry_key=${key}, sentry_version=7, sentry_client=test/1.0`,
});

async function start(options: Parameters<typeof startIngestHarness>[0] = {}) {
  harness = await startIngestHarness({ keyRecheckMs: 0, ...options });
  const key11 = keyOf((await harness.keys('create', 'acme', '11')).at(-1)!);
  const key12 = keyOf((await harness.keys('create', 'acme', '12')).at(-1)!);
  const orgKey = (await harness.keys('create', 'acme')).at(-1)!;
  return {
    key11,
    key12,
    orgKey,
    url: (projectId: number, path = 'envelope') => `${harness.server.url}/api/${projectId}/${path}/`,
  };
}

describe('authentication', () => {
  it.each([
    ['no key at all', () => ({}), 401],
    ['an unknown key', () => auth('0'.repeat(32)), 401],
    ["another project's key", (keys: { key12: string }) => auth(keys.key12), 403],
  ] as const)('refuses %s with a JSON detail and writes nothing', async (_case, headers, status) => {
    const keys = await start();
    const answer = await post(keys.url(11), envelope({}, [errorEvent(1)]), headers(keys));
    expect(answer.status).toBe(status);
    expect(answer.body.detail).toEqual(expect.any(String));
    expect(await events()).toBe(0);
  });

  it('accepts the key from X-Sentry-Auth, ?sentry_key= and the envelope dsn', async () => {
    const keys = await start();
    expect((await post(keys.url(11), envelope({}, [errorEvent(1)]), auth(keys.key11))).status).toBe(200);
    expect(
      (await post(`${keys.url(11)}?sentry_key=${keys.key11}&sentry_version=7`, envelope({}, [errorEvent(2)])))
        .status,
    ).toBe(200);
    const dsn = `http://${keys.key11}@127.0.0.1/11`;
    expect((await post(keys.url(11), envelope({ dsn }, [errorEvent(3)]))).status).toBe(200);
    expect(await events()).toBe(3);
  });

  it('refuses a revoked key without a restart', async () => {
    const keys = await start();
    expect((await post(keys.url(11), envelope({}, [errorEvent(1)]), auth(keys.key11))).status).toBe(200);
    await harness.keys('revoke', keys.key11);
    const refused = await post(keys.url(11), envelope({}, [errorEvent(2)]), auth(keys.key11));
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/revoked/);
    expect(await events()).toBe(1);
  });

  it("refuses a project that is not the key's organization's", async () => {
    const keys = await start();
    const answer = await post(keys.url(21), envelope({}, [errorEvent(1)]), auth(keys.orgKey));
    expect(answer.status).toBe(403);
    expect(await events()).toBe(0);
  });
});

describe('bodies', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decodes Content-Encoding %s', async (encoding, compress) => {
    const keys = await start();
    const body = compress(envelope({}, [errorEvent(1), errorEvent(2)]));
    const answer = await post(keys.url(11), body, { ...auth(keys.key11), 'content-encoding': encoding });
    expect(answer.status).toBe(200);
    expect(await events()).toBe(2);
  });

  it('refuses a body that inflates past the limit with 413', async () => {
    const keys = await start();
    const bomb = gzipSync(Buffer.alloc(101 * 1024 * 1024, 0x20));
    const answer = await post(keys.url(11), bomb, { ...auth(keys.key11), 'content-encoding': 'gzip' });
    expect(answer.status).toBe(413);
  });

  it('refuses an item over 1 MiB with 413', async () => {
    const keys = await start();
    const answer = await post(
      keys.url(11),
      envelope({}, [errorEvent(1, { message: 'x'.repeat(1_100_000) })]),
      auth(keys.key11),
    );
    expect(answer.status).toBe(413);
    expect(await events()).toBe(0);
  });

  it.each([
    ['a header that is not JSON', Buffer.from('{oops\n{"type":"event"}\n{}\n')],
    ['an item without a type', Buffer.from('{}\n{"length":2}\n{}\n')],
    ['a length past the end', Buffer.from('{}\n{"type":"event","length":999}\n{}\n')],
    ['an event that is not JSON', envelope({}, [{ header: { type: 'event' }, payload: 'not json' }])],
    ['a bad event_id', envelope({}, [errorEvent(1, { event_id: 'nope' })])],
    ['a bad timestamp', envelope({}, [errorEvent(1, { timestamp: 'yesterday' })])],
    // Found by fuzzing: it reached the commit and failed it (503) for every envelope in the same group.
    ['a timestamp no store can hold', envelope({}, [errorEvent(1, { timestamp: 1e308 })])],
  ])('refuses %s with 400 and a reason, keeping other envelopes', async (_case, body) => {
    const keys = await start();
    const [bad, good] = await Promise.all([
      post(keys.url(11), body, auth(keys.key11)),
      post(keys.url(11), envelope({}, [errorEvent(7)]), auth(keys.key11)),
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toEqual(expect.any(String));
    expect(good.status).toBe(200);
    expect(await events()).toBe(1);
  });
});

describe('items', () => {
  it('maps an event: level, logentry or exception, user, tags (object or pairs), float or ISO times', async () => {
    const keys = await start();
    const body = envelope({ event_id: eventId(1) }, [
      errorEvent(1, {
        user: { email: 'ann@example.com' },
        tags: [['browser.name', 'Chrome']],
        timestamp: '2026-11-20T10:03:12Z',
      }),
      {
        header: { type: 'event' },
        payload: {
          event_id: eventId(2),
          level: 'warning',
          logentry: { formatted: 'slow: 3 s' },
          tags: { shard: 4 },
          release: 'r1',
        },
      },
    ]);
    expect((await post(keys.url(11), body, auth(keys.key11))).status).toBe(200);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE id = '${eventId(1)}' AND message = 'TypeError: x is undefined' AND "user" = 'ann@example.com' AND tags = '{"browser.name":"Chrome"}' AND ts = ${Date.parse('2026-11-20T10:03:12Z')}`,
      ),
    ).toBe(1);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE level = 'warning' AND message = 'slow: 3 s' AND tags = '{"shard":"4"}' AND "release" = 'r1'`,
      ),
    ).toBe(1);
  });

  it('re-sending an event_id with its time replaces the event, in either UUID spelling', async () => {
    const keys = await start();
    const uuid = '9f3c2a1b-0d4e-4f56-8a7b-1c2d3e4f5a6b';
    const timestamp = Date.now() / 1000;
    await post(
      keys.url(11),
      envelope({}, [errorEvent(0, { event_id: uuid, level: 'warning', timestamp })]),
      auth(keys.key11),
    );
    await post(
      keys.url(11),
      envelope({}, [errorEvent(0, { event_id: uuid.replaceAll('-', ''), level: 'fatal', timestamp })]),
      auth(keys.key11),
    );
    expect(await harness.count(`SELECT count(*) FROM events WHERE level = 'fatal'`)).toBe(1);
    expect(await events()).toBe(1);
  });

  it("maps another SDK's transaction item: name, duration from start_timestamp, status from the trace context", async () => {
    const keys = await start();
    const end = Date.now() / 1000;
    const transaction = {
      event_id: eventId(9),
      type: 'transaction',
      transaction: '/checkout/pay',
      start_timestamp: end - 0.2315,
      timestamp: end,
      contexts: { trace: { status: 'internal_error' } },
      environment: 'production',
    };
    expect(
      (
        await post(
          keys.url(11),
          envelope({}, [{ header: { type: 'transaction' }, payload: transaction }]),
          auth(keys.key11),
        )
      ).status,
    ).toBe(200);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE event_type = 'transaction' AND "transaction" = '/checkout/pay' AND status = 'internal_error' AND abs(duration - 231.5) < 1`,
      ),
    ).toBe(1);
  });

  it('keeps segment spans of a span v2 container as transactions and drops child spans', async () => {
    const keys = await start();
    const now = Date.now() / 1000;
    const span = (id: string, extra: object) => ({
      trace_id: 'a'.repeat(32),
      span_id: id,
      start_timestamp: now - 1,
      end_timestamp: now,
      name: 'GET /cart',
      status: 'ok',
      ...extra,
    });
    const container = {
      version: 2,
      items: [
        span('1'.repeat(16), {
          is_segment: true,
          status: 'error',
          attributes: { 'sentry.environment': { type: 'string', value: 'production' } },
        }),
        span('2'.repeat(16), { is_segment: false, parent_span_id: '1'.repeat(16) }),
      ],
    };
    const item = {
      header: { type: 'span', item_count: 2, content_type: 'application/vnd.sentry.items.span.v2+json' },
      payload: container,
    };
    expect((await post(keys.url(11), envelope({}, [item]), auth(keys.key11))).status).toBe(200);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE event_type = 'transaction' AND status = 'internal_error' AND environment = 'production' AND duration = 1000`,
      ),
    ).toBe(1);
    expect(await events()).toBe(1);
  });

  it('counts a session once with its latest status; errors make a healthy session errored; aggregates give quantities', async () => {
    const keys = await start();
    const started = new Date().toISOString();
    const session = (sid: string, extra: object) => ({
      header: { type: 'session' },
      payload: { sid, did: 'u-1', started, attrs: { release: 'r1', environment: 'production' }, ...extra },
    });
    const a = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    const b = '2b4e28ba-2fa1-11d2-883f-0016d3cca427';
    await post(
      keys.url(11),
      envelope({}, [session(a, { init: true, status: 'ok' }), session(b, { init: true, status: 'ok' })]),
      auth(keys.key11),
    );
    await post(keys.url(11), envelope({}, [session(a, { status: 'crashed', errors: 1 })]), auth(keys.key11));
    await post(keys.url(11), envelope({}, [session(b, { status: 'exited', errors: 2 })]), auth(keys.key11));
    const aggregates = {
      header: { type: 'sessions' },
      payload: { aggregates: [{ started, exited: 5, crashed: 2 }], attrs: { release: 'r1' } },
    };
    await post(keys.url(11), envelope({}, [aggregates]), auth(keys.key11));
    expect(
      await harness.count(
        `SELECT count(*) FROM sessions WHERE id = '${a.replaceAll('-', '')}' AND status = 'crashed'`,
      ),
    ).toBe(1);
    expect(
      await harness.count(
        `SELECT count(*) FROM sessions WHERE id = '${b.replaceAll('-', '')}' AND status = 'errored'`,
      ),
    ).toBe(1);
    expect(await harness.count(`SELECT sum(quantity) FROM sessions`)).toBe(9);
    expect(await harness.count(`SELECT sum(quantity) FROM sessions WHERE status = 'crashed'`)).toBe(3);
  });

  it('accepts other item types, drops them and counts them in /metrics', async () => {
    const keys = await start();
    const body = envelope({ event_id: eventId(3) }, [
      errorEvent(3),
      { header: { type: 'attachment', filename: 'a.txt' }, payload: 'hello' },
      { header: { type: 'client_report' }, payload: { discarded_events: [] } },
      { header: { type: 'check_in' }, payload: { check_in_id: 'x' } },
    ]);
    const answer = await post(keys.url(11), body, auth(keys.key11));
    expect(answer).toMatchObject({ status: 200, body: { id: eventId(3) } });
    expect(await events()).toBe(1);
    const metrics = await (await fetch(`${harness.server.url}/metrics`)).text();
    for (const type of ['attachment', 'client_report', 'check_in']) {
      expect(metrics).toContain(`incident_cards_ingest_items_total{type="${type}",outcome="dropped"} 1`);
    }
    expect(metrics).toContain('incident_cards_ingest_items_total{type="event",outcome="stored"} 1');
  });

  it('stores a legacy /store/ event', async () => {
    const keys = await start();
    const answer = await post(keys.url(11, 'store'), JSON.stringify(errorEvent(5).payload), auth(keys.key11));
    expect(answer).toMatchObject({ status: 200, body: { id: eventId(5) } });
    expect(await events()).toBe(1);
  });
});

describe('back-pressure', () => {
  it('answers 429 with Retry-After and X-Sentry-Rate-Limits when the write queue is full, and 200 only once stored', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const keys = await start({
      maxQueuedRows: 1,
      writer: {
        writeEvents: async (rows) => {
          await gate;
          return harness.store.backend.writeEvents(rows);
        },
        writeSessions: (rows) => harness.store.backend.writeSessions(rows),
      },
    });
    let firstDone = false;
    const first = post(keys.url(11), envelope({}, [errorEvent(1)]), auth(keys.key11)).then((answer) => {
      firstDone = true;
      return answer;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await post(keys.url(11), envelope({}, [errorEvent(2)]), auth(keys.key11));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-sentry-rate-limits')).toMatch(/^1::/);
    expect(firstDone).toBe(false);
    open();
    expect((await first).status).toBe(200);
    expect(await events()).toBe(1);
  });
});

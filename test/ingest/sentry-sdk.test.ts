// A real Sentry SDK (@sentry/node) with a DSN from `keys create` sends errors, messages, a transaction (span v2
// items) and a session to the running server; the cards then show exactly what was sent.
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestHarness, startIngestHarness } from './ingest-harness.ts';

const BURST = 25;
const SKIPPED = ['Dedupe', 'Http', 'ProcessSession'];
let harness: IngestHarness;

beforeAll(async () => {
  harness = await startIngestHarness();
  const dsn = (await harness.keys('create', 'acme', '11', '--name', 'sdk test')).at(-1)!;
  expect(dsn).toMatch(new RegExp(`^http://[0-9a-f]{32}@127\\.0\\.0\\.1:${harness.server.port}/11$`));
  Sentry.init({
    dsn,
    release: 'checkout@1.4.2',
    environment: 'production',
    tracesSampleRate: 1,
    // Dedupe drops consecutive identical errors: off, so a burst is a burst. Http would trace this very server,
    // ProcessSession would add a session of its own.
    integrations: (defaults) => defaults.filter((integration) => !SKIPPED.includes(integration.name)),
  });
});
afterAll(async () => {
  await Sentry.close(2_000);
  await harness.close();
});

describe('@sentry/node against the ingestion endpoint', () => {
  it('stores every error of a burst, the messages, the transaction and the session', async () => {
    Sentry.setUser({ id: 'u-81' });
    Sentry.startSession();
    Sentry.captureSession();
    for (let i = 0; i < BURST; i++) Sentry.captureException(new TypeError('x is undefined'));
    Sentry.captureMessage('payment provider slow', 'warning');
    Sentry.captureMessage('payment provider slow', 'warning');
    Sentry.startSpan({ name: 'POST /checkout/pay', op: 'http.server' }, () => undefined);
    Sentry.endSession();
    expect(await Sentry.flush(10_000)).toBe(true);

    expect(
      await harness.count(`SELECT count(*) FROM events WHERE event_type = 'error' AND level = 'error'`),
    ).toBe(BURST);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE message = 'TypeError: x is undefined' AND "user" = 'u-81' AND environment = 'production' AND "release" = 'checkout@1.4.2'`,
      ),
    ).toBe(BURST);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE level = 'warning' AND message = 'payment provider slow'`,
      ),
    ).toBe(2);
    expect(
      await harness.count(
        `SELECT count(*) FROM events WHERE event_type = 'transaction' AND "transaction" = 'POST /checkout/pay' AND status = 'ok' AND duration >= 0`,
      ),
    ).toBe(1);
    // The session's updates (init, then end) replace each other: one session, with its latest status.
    expect(await harness.count(`SELECT count(*) FROM sessions`)).toBe(1);
    expect(
      await harness.count(
        `SELECT count(*) FROM sessions WHERE status = 'exited' AND "release" = 'checkout@1.4.2' AND "user" IS NOT NULL`,
      ),
    ).toBe(1);

    const cards = await harness.app.cards.build(
      [42, 43, 44].map((identifier) => harness.app.repository.findIncident('acme', identifier)!),
    );
    expect(cards.map((card) => card.metric.value)).toEqual([BURST + 2, 1, 100]);
    expect(cards[0]!.statusText).toContain(`${BURST + 2} events`);
  });
});

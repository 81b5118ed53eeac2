// An open incident without triggers: its window ends "now + timeWindow", so before the window was rounded every
// request was a new query. Requests in the same minute now share one cached answer.
import { afterEach, describe, expect, it } from 'vitest';
import type { QueryBackend } from '../../src/query/backend.ts';
import { CHECKOUT_INCIDENT, checkoutDataset, checkoutErrors } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let opened: TestApp | undefined;
afterEach(async () => opened?.close());

describe('metric window of an open incident without triggers', () => {
  it('is the same query for every request in a minute, so the cache answers', async () => {
    let now = Date.parse('2026-11-20T12:00:05Z');
    // Batches that ask for the card's value; the chart's series has its own cache (series-cache.ts).
    let batches = 0;
    const counting = (backend: QueryBackend): QueryBackend => ({
      ...backend,
      runMetrics: (queries, signal) => {
        if (queries.some((query) => query.kind !== 'series')) batches++;
        return backend.runMetrics(queries, signal);
      },
    });
    const dataset = checkoutDataset(checkoutErrors(3));
    dataset.incidents = [{ ...CHECKOUT_INCIDENT, status: 'open', triggers: [] }];
    opened = await createTestApp({
      dataset,
      now: () => now,
      wrapBackend: counting,
      env: { METRIC_CACHE_MS: '60000' },
    });
    const record = opened.app.repository.findIncident('acme', 42)!;
    const [first] = await opened.app.cards.build([record]);
    now += 20_000;
    const [second] = await opened.app.cards.build([record]);
    expect(batches).toBe(1);
    expect(second!.metric).toEqual(first!.metric);
    expect(first!.metric.windowEnd).toBe('2026-11-20T12:11:00.000Z');
    now += 60_000;
    await opened.app.cards.build([record]);
    expect(batches).toBe(2);
  });
});

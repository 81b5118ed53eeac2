// The dispatcher parses every command once: defaults fill what an adapter leaves out, limits refuse the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutDataset } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ dataset: checkoutDataset() });
});
afterAll(() => test.close());

const actor = { platform: 'cli' as const, userId: 'u-1', tenantId: 'acme' };

describe('dispatch parses the command', () => {
  it('fills the defaults an adapter leaves out (first page of open incidents)', async () => {
    const reply = await test.app.dispatch({ kind: 'incident.list', actor });
    expect(reply).toMatchObject({ kind: 'list', skip: 0, total: 1 });
    expect(reply.kind === 'list' && reply.items.map((item) => item.identifier)).toEqual([42]);
  });

  it.each([
    ['a page larger than 25', { kind: 'incident.list', actor, count: 26 }],
    ['a negative skip', { kind: 'incident.list', actor, skip: -1 }],
    ['search text over 200 characters', { kind: 'incident.search', actor, text: 'x'.repeat(201) }],
    [
      'more than 10 incidents in one message',
      {
        kind: 'incident.unfurl',
        actor,
        refs: Array.from({ length: 11 }, (_, index) => ({ identifier: index + 1 })),
      },
    ],
    ['an identifier that is not positive', { kind: 'incident.show', actor, ref: { identifier: 0 } }],
  ] as const)('refuses %s as a bad request, before any handler runs', async (_name, command) => {
    const reply = await test.app.dispatch(command);
    expect(reply).toMatchObject({ kind: 'error', code: 'bad_request' });
  });

  it('accepts the largest allowed page', async () => {
    const reply = await test.app.dispatch({ kind: 'incident.list', actor, count: 25 });
    expect(reply.kind).toBe('list');
  });
});

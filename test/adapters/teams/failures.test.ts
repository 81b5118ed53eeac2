// Unexpected failures inside a turn: logged once at the boundary, answered without a stack trace.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTeamsHarness, type TeamsHarness } from './harness.ts';

let harness: TeamsHarness;
beforeAll(async () => {
  harness = await startTeamsHarness();
  harness.breakDispatch(true);
});
afterAll(() => harness?.close());

it('answers an invoke whose handling failed with a bare 500', async () => {
  const answer = await harness.post(harness.fixture('query-link-own-incident'));
  expect(answer.status).toBe(500);
  expect(answer.text).not.toContain('the store fell over');
});

it('acknowledges a message whose handling failed and sends nothing', async () => {
  const before = harness.connector.calls.length;
  const answer = await harness.post(harness.fixture('message-incident-42-in-channel'));
  expect(answer.status).toBe(200);
  expect(harness.connector.calls.length).toBe(before);
});

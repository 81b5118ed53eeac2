// One contract for both adapters: the same situations, put through each platform's real HTTP route with real
// signatures or tokens, must give the same outcome, each in its own platform's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discord } from './contract/discord-driver.ts';
import { type Driver, failingBackend } from './contract/driver.ts';
import { teams } from './contract/teams-driver.ts';

describe.each([discord, teams])('the $name adapter', (platform) => {
  let driver: Driver;
  beforeAll(async () => {
    driver = await platform.start();
  });
  afterAll(() => driver?.close());

  it('answers help with its own commands, in its own words', async () => {
    const outcome = await driver.ask('acme', { kind: 'help' });
    expect(outcome).toMatchObject({ status: 200, kind: 'help' });
    expect(outcome.text).toContain(`${platform.commandPrefix} help`);
    expect(outcome.text).not.toMatch(platform.foreignWords);
  });

  it('shows an incident of the asking organization as a live card', async () => {
    const outcome = await driver.ask('acme', { kind: 'show', identifier: 42 });
    expect(outcome).toMatchObject({ status: 200, kind: 'card' });
    expect(outcome.text).toContain('Critical: Checkout errors');
    expect(outcome.text).toContain('4 events in the last 10 minutes');
  });

  it('says an unknown incident is not found, and how to list the open ones here', async () => {
    const outcome = await driver.ask('acme', { kind: 'show', identifier: 4242 });
    expect(outcome).toMatchObject({ status: 200, kind: 'error' });
    expect(outcome.text).toContain('No incident #4242 in Acme');
    expect(outcome.text).toContain(platform.listHint);
    expect(outcome.text).not.toMatch(platform.foreignWords);
  });

  it("treats another organization's incident exactly like a missing one", async () => {
    const outcome = await driver.ask('globex', { kind: 'show', identifier: 42 });
    expect(outcome).toMatchObject({ status: 200, kind: 'error' });
    expect(outcome.text).toContain('No incident #42 in Globex');
    expect(outcome.text).not.toContain('Checkout');
  });

  it('tells a workspace that was never connected how to connect it', async () => {
    const outcome = await driver.ask('unknown', { kind: 'show', identifier: 42 });
    expect(outcome).toMatchObject({ status: 200, kind: 'error' });
    expect(outcome.text).toMatch(/not connected to an organization/);
    expect(outcome.text).not.toContain('Checkout');
    expect(outcome.text).not.toMatch(platform.foreignWords);
  });

  describe('with the event store down', () => {
    let down: Driver;
    beforeAll(async () => {
      down = await platform.start({ wrapBackend: failingBackend });
    });
    afterAll(() => down?.close());

    it('still shows the card, saying the value is unavailable', async () => {
      const outcome = await down.ask('acme', { kind: 'show', identifier: 42 });
      expect(outcome).toMatchObject({ status: 200, kind: 'card' });
      expect(outcome.text).toContain('Critical: Checkout errors');
      expect(outcome.text).toContain('Metric unavailable');
    });
  });
});

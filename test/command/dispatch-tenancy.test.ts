// Tenancy: a chat tenant reaches an organization only through an installation for *its* platform. The same
// tenant id on Discord and Teams is two different installations (ids are only unique per platform).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Command } from '../../src/command/model.ts';
import { CHECKOUT_INCIDENT, CHECKOUT_RULE } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const SHARED_ID = 'shared-tenant-id';
const DISCORD_ONLY = '111122223333444455';

const dataset = {
  version: 1,
  organizations: [
    { id: 'acme', name: 'Acme' },
    { id: 'globex', name: 'Globex' },
  ],
  installations: [
    { platform: 'discord', tenantId: SHARED_ID, organizationId: 'acme' },
    { platform: 'teams', tenantId: SHARED_ID, organizationId: 'globex' },
    { platform: 'discord', tenantId: DISCORD_ONLY, organizationId: 'acme' },
  ],
  projects: [
    { id: 11, organizationId: 'acme', slug: 'checkout-api' },
    { id: 21, organizationId: 'globex', slug: 'billing' },
  ],
  alertRules: [
    CHECKOUT_RULE,
    { ...CHECKOUT_RULE, id: 201, organizationId: 'globex', name: 'Billing errors', projects: [21] },
  ],
  incidents: [
    CHECKOUT_INCIDENT,
    {
      ...CHECKOUT_INCIDENT,
      id: 6001,
      organizationId: 'globex',
      alertRuleId: 201,
      title: 'Billing errors',
      projects: [21],
    },
  ],
  events: [],
};

const actor = (platform: Actor['platform'], tenantId: string | null): Actor => ({
  platform,
  userId: 'u-1',
  tenantId,
  channelId: null,
  locale: 'en-US',
  permissions: null,
  name: null,
  roles: [],
  defaultResponder: false,
});
const show = (who: Actor): Command => ({
  kind: 'incident.show',
  actor: who,
  ref: { organizationId: null, identifier: 42 },
});

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp({ dataset, env: { PUBLIC_URL: 'https://cards.example.com' } });
});
afterAll(() => test.close());

describe('tenant → organization', () => {
  it.each([
    ['discord', SHARED_ID, 'acme', 'Critical: Checkout errors'],
    ['teams', SHARED_ID, 'globex', 'Critical: Billing errors'],
    ['discord', DISCORD_ONLY, 'acme', 'Critical: Checkout errors'],
  ] as const)('%s tenant %s sees %s', async (platform, tenantId, organizationId, title) => {
    const reply = await test.app.dispatch(show(actor(platform, tenantId)));
    expect(reply).toMatchObject({ kind: 'cards', cards: [{ organizationId, identifier: 42, title }] });
  });

  it('does not let a Teams tenant borrow a Discord installation with the same id', async () => {
    const reply = await test.app.dispatch(show(actor('teams', DISCORD_ONLY)));
    expect(reply).toMatchObject({ kind: 'error', code: 'not_installed' });
  });

  it('answers "not installed" with no tenant at all (a Discord DM)', async () => {
    const reply = await test.app.dispatch(show(actor('discord', null)));
    expect(reply).toMatchObject({ kind: 'error', code: 'not_installed' });
  });

  it('the repository lookup itself keys on the platform', () => {
    expect(test.app.repository.organizationForTenant('discord', SHARED_ID)?.id).toBe('acme');
    expect(test.app.repository.organizationForTenant('teams', SHARED_ID)?.id).toBe('globex');
    expect(test.app.repository.organizationForTenant('teams', DISCORD_ONLY)).toBeNull();
  });
});

describe("another organization's incident", () => {
  const acme = actor('discord', SHARED_ID);
  const unfurl = (refs: { organizationId: string | null; identifier: number }[]): Command => ({
    kind: 'incident.unfurl',
    actor: acme,
    refs,
  });

  // globex has a #42 too, and acme has its own #42: the answer must neither show globex's nor call it missing.
  it('says the card belongs to another organization, naming only the asker’s own', async () => {
    expect(await test.app.dispatch(unfurl([{ organizationId: 'globex', identifier: 42 }]))).toEqual({
      kind: 'error',
      code: 'other_organization',
      refs: [{ organizationId: 'globex', identifier: 42 }],
      missing: [],
      organization: 'Acme',
    });
  });

  it('keeps the missing ones of the own organization apart', async () => {
    const reply = await test.app.dispatch(
      unfurl([
        { organizationId: null, identifier: 7 },
        { organizationId: 'globex', identifier: 42 },
      ]),
    );
    expect(reply).toMatchObject({
      code: 'other_organization',
      refs: [{ organizationId: 'globex', identifier: 42 }],
      missing: [{ organizationId: null, identifier: 7 }],
    });
  });

  it('shows the own cards and lists the foreign reference as not found beside them', async () => {
    const reply = await test.app.dispatch(
      unfurl([
        { organizationId: 'globex', identifier: 42 },
        { organizationId: 'acme', identifier: 42 },
      ]),
    );
    expect(reply).toMatchObject({
      kind: 'cards',
      cards: [{ organizationId: 'acme', identifier: 42 }],
      notFound: [{ organizationId: 'globex', identifier: 42 }],
    });
  });
});

describe('routing: each command reaches its handler', () => {
  const acme = actor('discord', SHARED_ID);

  it.each<[string, Command, Record<string, unknown>]>([
    ['show', show(acme), { kind: 'cards', cards: [{ identifier: 42 }] }],
    [
      'refresh',
      { kind: 'incident.refresh', actor: acme, ref: { organizationId: 'acme', identifier: 42 } },
      { kind: 'cards', cards: [{ identifier: 42 }] },
    ],
    [
      'unfurl',
      { kind: 'incident.unfurl', actor: acme, refs: [{ organizationId: null, identifier: 42 }] },
      { kind: 'cards', cards: [{ identifier: 42 }] },
    ],
    [
      'list',
      { kind: 'incident.list', actor: acme, status: null, skip: 0, count: 10 },
      { kind: 'list', total: 1, items: [{ identifier: 42 }] },
    ],
    [
      'search',
      { kind: 'incident.search', actor: acme, text: 'checkout', skip: 0, count: 10 },
      { kind: 'list', items: [{ identifier: 42 }] },
    ],
    [
      'autocomplete',
      { kind: 'incident.autocomplete', actor: acme, text: '4', count: 25 },
      { kind: 'choices', choices: [{ value: '42' }] },
    ],
    ['help', { kind: 'help', actor: actor('teams', 'nobody') }, { kind: 'help' }],
  ])('%s', async (_name, command, expected) => {
    expect(await test.app.dispatch(command)).toMatchObject(expected);
  });

  it('the CLI names the organization directly', async () => {
    expect(await test.app.dispatch(show(actor('cli', 'globex')))).toMatchObject({
      kind: 'cards',
      cards: [{ organizationId: 'globex', title: 'Critical: Billing errors' }],
    });
    expect(await test.app.dispatch(show(actor('cli', 'nobody')))).toMatchObject({
      kind: 'error',
      code: 'not_installed',
    });
  });

  it('answers a workspace with no installation "not installed" (each adapter says how to connect)', async () => {
    for (const platform of ['discord', 'teams'] as const) {
      expect(await test.app.dispatch(show(actor(platform, 'unknown-workspace')))).toEqual({
        kind: 'error',
        code: 'not_installed',
      });
    }
  });

  it('counts each command by platform, kind and reply', async () => {
    await test.app.dispatch({ kind: 'incident.autocomplete', actor: actor('teams', SHARED_ID), text: '4' });
    const text = await test.app.metrics.registry.getSingleMetricAsString('incident_cards_commands_total');
    expect(text).toMatch(/platform="teams",kind="incident.autocomplete",reply="choices"} [1-9]/);
  });
});

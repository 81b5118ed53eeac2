// Acting from a Discord card through the real signed route: each action by an allowed and a refused user, a
// stale card, a repeated delivery, a custom_id forged for another organization, two clicks at once, and the
// incident page's timeline. Every answer is checked against Discord's OpenAPI schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActivity, readIncident } from '../../../src/lifecycle/incident-rows.ts';
import { ANA, BORIS, CARD_MESSAGE_ID, CARL, click, RESPONDER_ROLE } from './action-clicks.ts';
import { DATASET, type Harness, startHarness } from './discord-harness.ts';
import { expectValidCallback } from './discord-schemas.ts';

const EPHEMERAL = 64;
const dataset = structuredClone(DATASET) as {
  installations: { platform: string; tenantId: string; responderRoleIds?: string[] }[];
  members?: unknown[];
  incidents: { id: number; organizationId: string; identifier: number }[];
};
dataset.installations[0]!.responderRoleIds = [RESPONDER_ROLE];
dataset.members = [
  { id: 'm-boris', organizationId: 'acme', name: 'Boris Petrov', discordUserId: BORIS.userId },
  { id: 'm-dana', organizationId: 'acme', name: 'Dana Ito', discordUserId: '1300000000000000499' },
];
const incidentId = (org: string, identifier: number) =>
  dataset.incidents.find((i) => i.organizationId === org && i.identifier === identifier)!.id;

describe('acting from a Discord card', () => {
  let harness: Harness;
  const post = async (body: Record<string, unknown>) => {
    const answer = await harness.post(body);
    expect(answer.status).toBe(200);
    expectValidCallback(answer.body);
    return answer.body;
  };
  const stored = (org: string, identifier: number) =>
    harness.test.store.database.withConnection((c) => readIncident(c, incidentId(org, identifier)));
  const activity = (org: string, identifier: number) =>
    harness.test.store.database.withConnection((c) => readActivity(c, incidentId(org, identifier)));
  const version = async (identifier: number) => (await stored('acme', identifier))!.version;

  beforeAll(async () => {
    harness = await startHarness({ dataset });
  });
  afterAll(() => harness.close());

  it('Acknowledge by a member with Manage Messages updates the message with who and when', async () => {
    const before = await version(42);
    const body = await post(click(`ic1:a:ack:acme:42:${before}`, ANA));
    expect(body.type).toBe(7);
    const [embed] = body.data.embeds;
    expect(embed.description).toMatch(/\nAcknowledged by ana · <t:\d+:R>$/);
    expect(embed.footer.text).toMatch(/Acknowledged by ana \d\d:\d\d UTC/);
    // The new card's actions carry the new version, and Acknowledge is gone.
    const ids = body.data.components.flatMap((row: { components: { custom_id?: string }[] }) =>
      row.components.map((c) => c.custom_id),
    );
    expect(ids).toContain(`ic1:a:res:acme:42:${before + 1}`);
    expect(ids.some((id: string) => id?.startsWith('ic1:a:ack'))).toBe(false);
    const after = await stored('acme', 42);
    expect(after!.version).toBe(before + 1);
    expect(after!.incident.acknowledged?.by).toEqual({
      platform: 'discord',
      userId: ANA.userId,
      name: 'ana',
    });
    expect((await activity('acme', 42)).at(-1)).toMatchObject({
      type: 'acknowledged',
      actor: 'ana',
      by: { platform: 'discord', userId: ANA.userId, name: 'ana' },
      card: `discord:message:${CARD_MESSAGE_ID}`,
    });
  });

  it('refuses a member without Manage Messages or a responder role, ephemerally, and changes nothing', async () => {
    const before = await stored('acme', 43);
    for (const verb of ['ack', 'res', 'me', 'una']) {
      const body = await post(click(`ic1:a:${verb}:acme:43:${before!.version}`, CARL));
      expect(body.type).toBe(4);
      expect(body.data.flags).toBe(EPHEMERAL);
      expect(body.data.content).toContain('Manage Messages');
      expect(body.data.content).toContain(`<@&${RESPONDER_ROLE}>`);
    }
    const snooze = click(`ic1:a:snz:acme:43:${before!.version}`, CARL, { componentType: 3, values: ['4'] });
    expect((await post(snooze)).data.flags).toBe(EPHEMERAL);
    expect(await stored('acme', 43)).toEqual(before);
  });

  it('Resolve by a responder role closes it manually: status, dateClosed, trigger rows, activity', async () => {
    const before = await version(43);
    const body = await post(click(`ic1:a:res:acme:43:${before}`, BORIS));
    expect(body.type).toBe(7);
    expect(body.data.embeds[0].title).toBe('Resolved: Slow checkout');
    const { incident } = (await stored('acme', 43))!;
    expect(incident.status).toBe('resolved');
    expect(Date.now() - Date.parse(incident.dateClosed!)).toBeLessThan(60_000);
    expect(incident.triggers.every((row) => row.status === 'resolved')).toBe(true);
    // Boris is a member: his member name is used.
    expect((await activity('acme', 43)).at(-1)).toMatchObject({
      type: 'status_changed',
      to: 'resolved',
      method: 'manual',
      by: { userId: BORIS.userId, name: 'Boris Petrov', memberId: 'm-boris' },
    });
    expect(body.data.embeds[0].footer.text).toContain('Resolved by Boris Petrov');
  });

  it('a stale card never undoes the newer action: the card is redrawn and the clicker told what changed', async () => {
    const stale = (await version(43)) - 1;
    const before = await stored('acme', 43);
    const payload = click(`ic1:a:ack:acme:43:${stale}`, ANA);
    const body = await post(payload);
    expect(body.type).toBe(7);
    expect(body.data.embeds[0].title).toBe('Resolved: Slow checkout');
    expect(await stored('acme', 43)).toEqual(before);
    const note = await harness.rest.waitFor(
      (request) => request.method === 'POST' && request.path.includes(String(payload.token)),
    );
    expect(note.body).toMatchObject({ flags: EPHEMERAL });
    expect((note.body as { content: string }).content).toMatch(
      /^Not applied: the card was out of date\. Resolved by Boris Petrov <t:\d+:R>\./,
    );
  });

  it('Reopen: offered after a manual resolve, refused to Carl, not applied while the rule does not breach', async () => {
    const before = await stored('acme', 43);
    const refused = await post(click(`ic1:a:reo:acme:43:${before!.version}`, CARL));
    expect(refused.data.flags).toBe(EPHEMERAL);
    const payload = click(`ic1:a:reo:acme:43:${before!.version}`, ANA);
    const body = await post(payload);
    expect(body.type).toBe(7);
    const ids = JSON.stringify(body.data.components);
    expect(ids).toContain(`ic1:a:reo:acme:43:${before!.version}`);
    const note = await harness.rest.waitFor((request) => request.path.includes(String(payload.token)));
    expect((note.body as { content: string }).content).toMatch(
      /^Not applied: The alert rule no longer breaches, so the incident stays resolved\./,
    );
    expect(await stored('acme', 43)).toEqual(before);
  });

  it('the same click delivered twice is recorded once', async () => {
    const before = await version(45);
    const payload = click(`ic1:a:me:acme:45:${before}`, BORIS, { id: '1300000000000009999' });
    const first = await post(payload);
    expect(first.type).toBe(7);
    expect(first.data.embeds[0].description).toContain('Assigned to Boris Petrov');
    // A signed interaction is answered once: its repeat within Discord's 5-minute window is refused.
    expect((await harness.post(payload)).status).toBe(409);
    expect(await version(45)).toBe(before + 1);
    expect((await activity('acme', 45)).filter((entry) => entry.type === 'assigned')).toHaveLength(1);
  });

  it('assigns to a member picked in the user select, snoozes from the menu and unassigns', async () => {
    let v = await version(45);
    const picked = await post(
      click(`ic1:a:asg:acme:45:${v}`, ANA, {
        componentType: 5,
        values: ['1300000000000000499'],
        resolved: { users: { '1300000000000000499': { id: '1300000000000000499', username: 'dana' } } },
      }),
    );
    expect(picked.data.embeds[0].description).toContain('Assigned to Dana Ito');
    v += 1;
    const snoozed = await post(click(`ic1:a:snz:acme:45:${v}`, ANA, { componentType: 3, values: ['4'] }));
    expect(snoozed.data.embeds[0].description).toMatch(/Notifications snoozed until <t:\d+:t>/);
    const until = (await stored('acme', 45))!.incident.snoozedUntil!;
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(4 * 3_600_000 - 60_000);
    v += 1;
    const unassigned = await post(click(`ic1:a:una:acme:45:${v}`, ANA));
    expect(unassigned.data.embeds[0].description).not.toContain('Assigned to');
    expect((await stored('acme', 45))!.incident.assignee).toBeNull();
  });

  it('a custom_id forged to name another organization is refused and changes nothing there', async () => {
    const before = await stored('globex', 7);
    const body = await post(click(`ic1:a:res:globex:7:${before!.version}`, ANA));
    expect(body.type).toBe(4);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.content).toContain('No incident #7 in Acme');
    expect(await stored('globex', 7)).toEqual(before);
  });

  it('two clicks at once on one version: exactly one wins, the other sees its result', async () => {
    const v = await version(42);
    const [a, b] = await Promise.all([
      harness.post(click(`ic1:a:res:acme:42:${v}`, ANA)),
      harness.post(click(`ic1:a:una:acme:42:${v}`, BORIS)),
      harness.post(click(`ic1:a:me:acme:42:${v}`, BORIS)),
    ]);
    for (const answer of [a, b]) expectValidCallback(answer!.body);
    expect(await version(42)).toBe(v + 1);
    const changed = (await activity('acme', 42)).filter(
      (entry) => Date.now() - Date.parse(entry.date) < 60_000,
    );
    expect(changed.filter((entry) => entry.type !== 'acknowledged')).toHaveLength(1);
  });

  it('the incident page shows the timeline: what, who (platform and user id), from which card', async () => {
    const page = await fetch(
      `${harness.server.url}${harness.test.app.pageLink('acme', 43).replace(/^https?:\/\/[^/]+/, '')}`,
    );
    const html = await page.text();
    expect(html).toContain('<h2>Timeline</h2>');
    expect(html).toMatch(
      /Resolved · Boris Petrov <small>\(discord 1300000000000000401\)<\/small> <small>from discord:message:/,
    );
    const other = await (
      await fetch(
        `${harness.server.url}${harness.test.app.pageLink('acme', 42).replace(/^https?:\/\/[^/]+/, '')}`,
      )
    ).text();
    expect(other).toMatch(/Acknowledged · ana <small>\(discord 1300000000000000400\)/);
    // The evaluator's and the import's history is there too, oldest first.
    expect(other.indexOf('Acknowledged')).toBeLessThan(other.lastIndexOf('</ol>'));
  });
});

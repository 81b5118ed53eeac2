// The interaction side of unfurls, through the signed HTTP route: `/incident unfurl on|off` (Manage Channels,
// per channel or server, stored in DuckDB) and the Dismiss button (the author, or Manage Messages).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../discord-harness.ts';
import { expectValidCallback } from '../discord-schemas.ts';
import { fixture } from '../fixtures.ts';

const GUILD = '111122223333444455';
const CHANNEL = '1300000000000000100';
const MEMBER = '1300000000000000400';
const MANAGE_CHANNELS = String(1n << 4n);
const MANAGE_MESSAGES = String(1n << 13n);
const EPHEMERAL = 64;

type Payload = {
  member: { permissions: string; user: { id: string } };
  data: { custom_id?: string; options?: object[] };
};

function unfurlCommand(sub: 'on' | 'off', options: object[], permissions: string) {
  const payload = fixture('slash-help') as unknown as Payload;
  payload.member.permissions = permissions;
  payload.data = {
    ...payload.data,
    options: [{ name: 'unfurl', type: 2, options: [{ name: sub, type: 1, options }] }],
  };
  return payload;
}

function dismissClick(authorId: string, clicker: string, permissions: string) {
  const payload = fixture('button-refresh') as unknown as Payload;
  payload.data.custom_id = `ic1:x:${authorId}`;
  payload.member.user.id = clicker;
  payload.member.permissions = permissions;
  return payload;
}

describe('/incident unfurl', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  const setting = (channelId: string | null) =>
    harness.test.app.unfurlSettings.effective('discord', GUILD, channelId);

  it('is refused without Manage Channels, and nothing changes', async () => {
    const { status, body } = await harness.post(unfurlCommand('off', [], '0'));
    expect(status).toBe(200);
    expectValidCallback(body);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.content).toMatch(/Manage Channels/);
    expect(setting(CHANNEL)).toEqual({ enabled: true, identifiers: false });
  });

  it('switches this channel off, and on again with #<number>', async () => {
    const off = await harness.post(unfurlCommand('off', [], MANAGE_CHANNELS));
    expectValidCallback(off.body);
    expect(off.body.data.content).toMatch(/no longer get cards/);
    expect(setting(CHANNEL)).toEqual({ enabled: false, identifiers: false });
    expect(setting('1300000000000000999')).toEqual({ enabled: true, identifiers: false });
    const on = await harness.post(
      unfurlCommand('on', [{ name: 'ids', type: 5, value: true }], MANAGE_CHANNELS),
    );
    expectValidCallback(on.body);
    expect(on.body.data.content).toMatch(/#<number>/);
    expect(setting(CHANNEL)).toEqual({ enabled: true, identifiers: true });
  });

  it('switches the whole server off where channels have no setting of their own', async () => {
    const scope = { name: 'scope', type: 3, value: 'server' };
    const { body } = await harness.post(unfurlCommand('off', [scope], MANAGE_CHANNELS));
    expectValidCallback(body);
    expect(setting('1300000000000000999')).toEqual({ enabled: false, identifiers: false });
    expect(setting(CHANNEL)).toEqual({ enabled: true, identifiers: true });
  });

  it('keeps the settings in the store across restarts', async () => {
    const { createUnfurlSettings } = await import('../../../../src/store/unfurl-settings.ts');
    const reread = await createUnfurlSettings(harness.test.store.database);
    expect(reread.effective('discord', GUILD, CHANNEL)).toEqual({ enabled: true, identifiers: true });
    expect(reread.effective('discord', GUILD, '1300000000000000999')).toEqual({
      enabled: false,
      identifiers: false,
    });
  });
});

describe('the Dismiss button', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());

  const deletions = () =>
    harness.rest.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
  const REPLY_PATH = `/api/v10/channels/${CHANNEL}/messages/1300000000000000700`;

  it('deletes the reply for the author of the unfurled message, with the bot token', async () => {
    const { body } = await harness.post(dismissClick(MEMBER, MEMBER, '0'));
    expect(body).toEqual({ type: 6 });
    expectValidCallback(body);
    const request = await harness.rest.waitFor((candidate) => candidate.method === 'DELETE');
    expect(request.path).toBe(REPLY_PATH);
    expect(request.authorization).toBe('Bot test-bot-token');
  });

  it('is refused to someone else without Manage Messages', async () => {
    const before = deletions().length;
    const { body } = await harness.post(dismissClick('1300000000000000999', MEMBER, MANAGE_CHANNELS));
    expectValidCallback(body);
    expect(body.data.flags).toBe(EPHEMERAL);
    expect(body.data.content).toMatch(/Only the author/);
    expect(deletions()).toHaveLength(before);
  });

  it('works for a moderator with Manage Messages', async () => {
    const before = deletions().length;
    const { body } = await harness.post(dismissClick('1300000000000000999', MEMBER, MANAGE_MESSAGES));
    expect(body).toEqual({ type: 6 });
    await harness.rest.waitFor(() => deletions().length > before);
  });
});

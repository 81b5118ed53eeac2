// Metadata writes that arrive at the same moment (Teams sends installationUpdate and conversationUpdate
// together; two admins switch a channel's unfurls at once) each land, on a real DuckDB file with its pool of
// connections: the last write wins and none fails with a write-write conflict. All of them go through
// Database.write (write-lane.ts), the one mechanism for metadata writes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../../src/store/duckdb/database.ts';
import { saveConversationReference, upsertMetadata } from '../../../src/store/duckdb/metadata.ts';
import { loadUnfurlSettings, saveUnfurlSetting } from '../../../src/store/duckdb/unfurl-settings.ts';
import { createDuckDbNotificationStore } from '../../../src/notify/duckdb-store.ts';

let dataDir: string;
let database: Database;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-writes-'));
  const opened = await openDatabase(dataDir, { connections: 4 });
  if (!opened.ok) throw new Error(opened.reason);
  database = opened.database;
});

afterEach(async () => {
  database.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function rows(sql: string): Promise<unknown[][]> {
  return database.withConnection(async (connection) => (await connection.runAndReadAll(sql)).getRows());
}

const reference = (activity: string) => ({
  platform: 'teams' as const,
  tenantId: '3f9c2a71-5d4e-4b8a-9e21-6c0d8f4a7b13',
  conversationId: 'personal-chat-id',
  reference: { activityId: activity },
});

describe('concurrent metadata writes on one key', () => {
  it('stores a conversation reference sent twice at once (installationUpdate + conversationUpdate)', async () => {
    // The first write creates the row, so both of a pair race on an insert; later pairs race on a replace.
    for (let round = 0; round < 5; round++) {
      const writes = Array.from({ length: 4 }, (_, i) =>
        saveConversationReference(database, reference(`${round}-${i}`)),
      );
      await expect(Promise.all(writes)).resolves.toBeDefined();
    }
    const stored = await rows('SELECT conversation_id, reference FROM conversation_references');
    expect(stored).toEqual([['personal-chat-id', JSON.stringify({ activityId: '4-3' })]]);
  });

  it('stores unfurl settings switched for the same channel at once, the last one winning', async () => {
    const setting = (enabled: boolean) => ({
      platform: 'discord' as const,
      tenantId: '918273645501928374',
      channelId: '1111',
      enabled,
      identifiers: false,
    });
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        [true, false, true, false].map((enabled) => saveUnfurlSetting(database, setting(enabled))),
      );
    }
    expect(await loadUnfurlSettings(database)).toEqual([setting(false)]);
  });

  it('subscribes one channel twice at once (a double click): one subscription, both answered', async () => {
    const notifications = await createDuckDbNotificationStore(database);
    const subscription = {
      platform: 'teams' as const,
      organizationId: 'acme',
      channelId: '19:general@thread.tacv2',
      conversation: { serviceUrl: 'http://127.0.0.1:1/' },
      ruleId: null,
    };
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => notifications.subscribe(subscription, '2026-11-27T08:00:00Z')),
      );
      expect(answers.filter((answer) => answer.created)).toHaveLength(round === 0 ? 1 : 0);
    }
    const key = { platform: 'teams' as const, channelId: subscription.channelId };
    expect(await notifications.subscriptionsOf(key)).toHaveLength(1);
    expect(await Promise.all([1, 2].map(() => notifications.unsubscribe(key, 'acme', null)))).toEqual([1, 0]);
  });

  it('upserts the same organization from two imports at once', async () => {
    const organization = (name: string) => ({ id: 'acme', name, retentionDays: 90 });
    const write = (name: string) =>
      database.write(async (connection) => {
        await upsertMetadata(connection, {
          organizations: [organization(name)],
          installations: [],
          members: [],
          projects: [],
          alertRules: [],
          incidents: [],
        });
      });
    await Promise.all([write('Acme one'), write('Acme two'), write('Acme three')]);
    const stored = await rows('SELECT body FROM organizations');
    expect(stored).toHaveLength(1);
    expect(JSON.parse(String(stored[0]![0])).name).toBe('Acme three');
  });
});

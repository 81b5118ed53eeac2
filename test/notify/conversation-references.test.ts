// Teams sends installationUpdate and conversationUpdate together (and retries them): saving the same conversation's
// reference from several turns at once must neither fail nor leave more than one row, and the latest one wins.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.ts';

let testApp: TestApp;
afterEach(() => testApp?.close());

const CONVERSATION = '19:8a2b4c6d8e0f4a1b9c3d5e7f9a1b3c5d@thread.tacv2';

async function storedReferences(): Promise<unknown[]> {
  return testApp.store.database.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT reference FROM conversation_references WHERE platform = 'teams' AND conversation_id = ?`,
      [CONVERSATION],
    );
    return reader.getRows().map(([reference]) => JSON.parse(String(reference)));
  });
}

describe('conversation references', () => {
  it('survive 20 concurrent saves of one conversation as one row', async () => {
    testApp = await createTestApp();
    const saves = Array.from({ length: 20 }, (_, n) =>
      testApp.app.repository.saveConversationReference({
        platform: 'teams',
        tenantId: 'tenant-a',
        conversationId: CONVERSATION,
        reference: { serviceUrl: 'https://smba.example/', n },
      }),
    );
    await expect(Promise.all(saves)).resolves.toHaveLength(20);
    const rows = await storedReferences();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ serviceUrl: 'https://smba.example/' });
  });

  it('keep the newest reference when the bot is added again', async () => {
    testApp = await createTestApp();
    const save = (serviceUrl: string) =>
      testApp.app.repository.saveConversationReference({
        platform: 'teams',
        tenantId: 'tenant-a',
        conversationId: CONVERSATION,
        reference: { serviceUrl },
      });
    await save('https://old.example/');
    await save('https://new.example/');
    expect(await storedReferences()).toEqual([{ serviceUrl: 'https://new.example/' }]);
  });
});

// Teams sends installationUpdate and conversationUpdate for the same conversation at the same moment when the
// app is added (the Agents Playground does exactly that). Both turns store the conversation reference; both
// must succeed, through the real route, server and DuckDB store, with nothing logged at error level.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsAdapter } from '../../../adapters/teams/index.ts';
import { type RunningServer, startServer } from '../../../src/server.ts';
import { dataset } from '../../fixtures/teams/dataset.ts';
import { type FakeConnector, startFakeConnector } from '../../support/teams-connector.ts';
import { createTestApp, type TestApp } from '../../support/test-app.ts';
import { loadFixture, postActivity } from './harness.ts';

let testApp: TestApp;
let server: RunningServer;
let connector: FakeConnector;
const records: { level: number; msg: string }[] = [];

beforeAll(async () => {
  connector = await startFakeConnector();
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) records.push(JSON.parse(line));
      done();
    },
  });
  testApp = await createTestApp({
    dataset,
    env: { TEAMS_AUTH: 'off', MICROSOFT_APP_ID: '' },
    logger: pino({ level: 'info' }, sink),
  });
  server = await startServer(testApp.app, [teamsAdapter], { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await testApp?.close();
  await connector?.close();
});

async function storedReferences(conversationId: string): Promise<number> {
  return testApp.store.database.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      'SELECT count(*) FROM conversation_references WHERE conversation_id = ?',
      [conversationId],
    );
    return Number(reader.getRows()[0]?.[0]);
  });
}

describe('installing the app', () => {
  it('stores the conversation once when installationUpdate and conversationUpdate arrive together', async () => {
    const conversation = (round: number) => ({
      ...(loadFixture('conversation-update-bot-added-to-group-chat').conversation as Record<string, unknown>),
      id: `19:install-pair-${round}@thread.v2`,
    });
    for (let round = 0; round < 5; round++) {
      const activities = [
        'installation-update-added-to-team',
        'conversation-update-bot-added-to-group-chat',
      ].map((name) => ({
        ...loadFixture(name),
        serviceUrl: connector.serviceUrl,
        conversation: conversation(round),
      }));
      // Twice each: the first pair races on creating the row, the second on replacing it.
      const answers = await Promise.all(
        [...activities, ...activities].map((activity) => postActivity(server.url, activity, null)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(await storedReferences(`19:install-pair-${round}@thread.v2`)).toBe(1);
    }
    expect(records.filter((record) => record.level >= 50)).toEqual([]);
  });
});

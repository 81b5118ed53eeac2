// The contract's Teams side: @mention messages to POST /api/messages with real Bot Framework JWTs; the
// reply is what the bot posts to the (loopback) connector, every card validated against Adaptive Card 1.5.
import { teamsAdapter } from '../../../adapters/teams/index.ts';
import { startServer } from '../../../src/server.ts';
import { ACME_TENANT, GLOBEX_TENANT, NOW, UNKNOWN_TENANT } from '../../fixtures/teams/dataset.ts';
import { startFakeConnector } from '../../support/teams-connector.ts';
import { startOpenIdServer } from '../../support/teams-openid.ts';
import { createTestApp } from '../../support/test-app.ts';
import { APP_ID, loadFixture, postActivity } from '../teams/harness.ts';
import { checkedCards } from '../teams/schemas.ts';
import { type Ask, contractDataset, type Outcome, type Platform, type Tenant } from './driver.ts';

const TENANTS: Record<Tenant, string> = { acme: ACME_TENANT, globex: GLOBEX_TENANT, unknown: UNKNOWN_TENANT };

function message(
  tenant: Tenant,
  ask: Ask,
  serviceUrl: string,
): Record<string, unknown> & { serviceUrl: string } {
  const base = loadFixture('message-incident-42-in-channel');
  const tenantId = TENANTS[tenant];
  const words = ask.kind === 'help' ? 'help' : `incident ${ask.identifier}`;
  return {
    ...base,
    serviceUrl,
    text: `<at>Incident cards</at> ${words}`,
    conversation: { ...(base.conversation as object), tenantId },
    channelData: { ...(base.channelData as object), tenant: { id: tenantId } },
  };
}

function outcome(status: number, activity: Record<string, unknown>): Outcome {
  const [card] = checkedCards(activity);
  const text = JSON.stringify(activity);
  if (card?.refresh) return { status, kind: 'card', text };
  if (JSON.stringify(card?.body).includes('"FactSet"')) return { status, kind: 'help', text };
  return { status, kind: 'error', text };
}

export const teams: Platform = {
  name: 'teams',
  commandPrefix: '@bot',
  listHint: '`@bot list`',
  foreignWords: /\/incident|Discord|server/,
  async start(options = {}) {
    const openId = await startOpenIdServer();
    const connector = await startFakeConnector();
    const test = await createTestApp({
      dataset: contractDataset,
      now: () => NOW,
      wrapBackend: options.wrapBackend,
      env: {
        PUBLIC_URL: 'https://incidents.example.com',
        MICROSOFT_APP_ID: APP_ID,
        TEAMS_OPENID_METADATA_URL: openId.metadataUrl,
      },
    });
    const server = await startServer(test.app, [teamsAdapter], { port: 0, host: '127.0.0.1' });
    return {
      async ask(tenant, ask) {
        const activity = message(tenant, ask, connector.serviceUrl);
        const before = connector.calls.length;
        const answer = await postActivity(
          server.url,
          activity,
          await openId.sign(APP_ID, activity.serviceUrl),
        );
        const sent = connector.calls.slice(before);
        if (sent.length !== 1) throw new Error(`expected one reply, the bot sent ${sent.length}`);
        return outcome(answer.status, sent[0]!.activity);
      },
      async close() {
        await server.close();
        await test.close();
        await connector.close();
        await openId.close();
      },
    };
  },
};

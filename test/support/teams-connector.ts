// A loopback Bot Framework connector (the `serviceUrl` side): records the activities the bot sends and
// updates, and answers like the real one. The bot sends without a token here: no MICROSOFT_APP_PASSWORD is
// configured, so botbuilder signs nothing (see adapters/teams/verify.ts, InboundOnly).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorCall = {
  method: string;
  path: string;
  conversationId: string;
  /** The activity id in the path: the one replied to (POST) or updated (PUT). */
  activityId: string | null;
  authorization: string | undefined;
  activity: Record<string, unknown>;
};

export type FakeConnector = {
  /** The serviceUrl to put in activities (with the trailing slash Teams uses). */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Answer the next requests with this status (403/404: the conversation is gone) until called with null. */
  failWith(status: number | null): void;
  close(): Promise<void>;
};

const ACTIVITY_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;

export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  let sent = 0;
  let failure: number | null = null;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = ACTIVITY_PATH.exec((request.url ?? '').split('?')[0] ?? '');
    if (!match || (request.method !== 'POST' && request.method !== 'PUT')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}');
      return;
    }
    calls.push({
      method: request.method,
      path: request.url ?? '',
      conversationId: decodeURIComponent(match[1] ?? ''),
      activityId: match[2] ? decodeURIComponent(match[2]) : null,
      authorization: request.headers.authorization,
      activity: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
    });
    if (failure !== null) {
      response.writeHead(failure, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'ConversationNotFound', message: 'fake failure' } }));
      return;
    }
    sent += 1;
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: `sent-${sent}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    calls,
    failWith(status) {
      failure = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

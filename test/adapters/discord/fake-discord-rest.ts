// A loopback stand-in for Discord's REST API: records every request (path decoded, JSON body parsed) and
// answers like Discord would, or with a chosen failure.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedRequest = {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
};

export type FakeDiscordRest = {
  /** The API base without version, as DISCORD_API_BASE_URL takes it. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Answer the next requests with this status (e.g. 401) instead of success. */
  failWith(status: number | null): void;
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
};

export async function startFakeDiscordRest(): Promise<FakeDiscordRest> {
  const requests: RecordedRequest[] = [];
  let failure: number | null = null;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    requests.push({
      method: request.method ?? '',
      path: decodeURIComponent((request.url ?? '').split('?')[0] ?? ''),
      body: text ? JSON.parse(text) : null,
      authorization: request.headers.authorization,
    });
    const status = failure ?? 200;
    const body = failure
      ? { message: 'fake failure', code: 0 }
      : { id: '1300000000000000999', ...(text ? JSON.parse(text) : {}) };
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(Array.isArray(body) ? body : body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    requests,
    failWith(status) {
      failure = status;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const found = requests.find(predicate);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(
        `no matching request within ${timeoutMs} ms; got ${JSON.stringify(requests.map((r) => `${r.method} ${r.path}`))}`,
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

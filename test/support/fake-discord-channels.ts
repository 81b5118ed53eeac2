// A loopback stand-in for Discord's channel message API as a bot sees it: channels that exist (or not, or deny
// access), messages created with nonce + enforce_nonce de-duplication, edits, and Discord's global limit of
// 50 requests per second counted over any sliding second (the strictest reading), answered with 429s.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMessage = {
  id: string;
  channelId: string;
  body: Record<string, unknown>;
  edits: Record<string, unknown>[];
};

export type FakeRequest = {
  method: string;
  path: string;
  body: Record<string, unknown>;
  at: number;
  status: number;
};

/** A scripted answer for the next request(s), before the normal handling. */
export type ScriptedAnswer = { status: number; retryAfterSeconds?: number };

export type FakeDiscordChannels = {
  baseUrl: string;
  requests: FakeRequest[];
  messages: FakeMessage[];
  /** How many requests were refused by the global limit. */
  globalLimited(): number;
  addChannel(id: string): void;
  deleteChannel(id: string): void;
  /** Someone deletes a message in the channel (as a moderator would). */
  deleteMessage(id: string): void;
  script(answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
};

const MESSAGES = /^\/api\/v10\/channels\/(\d+)\/messages(?:\/(\d+))?$/;

export async function startFakeDiscordChannels(
  options: { channels?: string[]; globalPerSecond?: number } = {},
): Promise<FakeDiscordChannels> {
  const channels = new Set(options.channels ?? []);
  const limit = options.globalPerSecond ?? 50;
  const requests: FakeRequest[] = [];
  const messages: FakeMessage[] = [];
  const nonces = new Map<string, FakeMessage>();
  const recent: number[] = [];
  const scripted: ScriptedAnswer[] = [];
  let limited = 0;
  let nextId = 1_300_000_000_000_000_000n;

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    const at = Date.now();
    const path = (request.url ?? '').split('?')[0] ?? '';
    const method = request.method ?? '';
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method, path, body, at, status });
      response
        .writeHead(status, { 'content-type': 'application/json', ...headers })
        .end(JSON.stringify(json));
    };
    while (recent.length > 0 && recent[0]! <= at - 1000) recent.shift();
    if (recent.length >= limit) {
      limited += 1;
      const retryAfter = (recent[0]! + 1000 - at) / 1000;
      return answer(
        429,
        { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
        {
          'retry-after': String(Math.ceil(retryAfter)),
          'x-ratelimit-global': 'true',
          'x-ratelimit-scope': 'global',
        },
      );
    }
    recent.push(at);
    const next = scripted.shift();
    if (next) {
      const headers: Record<string, string> = next.retryAfterSeconds
        ? { 'retry-after': String(next.retryAfterSeconds), 'x-ratelimit-scope': 'user' }
        : {};
      return answer(
        next.status,
        { message: `scripted ${next.status}`, code: 0, retry_after: next.retryAfterSeconds },
        headers,
      );
    }
    if (request.headers.authorization !== 'Bot test-bot-token')
      return answer(401, { message: '401: Unauthorized', code: 0 });
    const match = MESSAGES.exec(path);
    if (!match) return answer(404, { message: '404: Not Found', code: 0 });
    const [, channelId, messageId] = match as unknown as [string, string, string | undefined];
    if (!channels.has(channelId)) return answer(404, { message: 'Unknown Channel', code: 10003 });
    if (method === 'POST' && !messageId) {
      const nonce =
        body.enforce_nonce === true && typeof body.nonce === 'string' ? `${channelId}:${body.nonce}` : null;
      const existing = nonce ? nonces.get(nonce) : undefined;
      if (existing) return answer(200, { id: existing.id, channel_id: channelId, ...existing.body });
      nextId += 1n;
      const message: FakeMessage = { id: String(nextId), channelId, body, edits: [] };
      messages.push(message);
      if (nonce) nonces.set(nonce, message);
      return answer(200, { id: message.id, channel_id: channelId, ...body });
    }
    if (method === 'PATCH' && messageId) {
      const message = messages.find(
        (candidate) => candidate.id === messageId && candidate.channelId === channelId,
      );
      if (!message) return answer(404, { message: 'Unknown Message', code: 10008 });
      message.edits.push(body);
      return answer(200, { id: message.id, channel_id: channelId, ...message.body, ...body });
    }
    return answer(405, { message: '405: Method Not Allowed', code: 0 });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api`,
    requests,
    messages,
    globalLimited: () => limited,
    addChannel: (id) => channels.add(id),
    deleteChannel: (id) => channels.delete(id),
    deleteMessage(id) {
      const index = messages.findIndex((message) => message.id === id);
      if (index >= 0) messages.splice(index, 1);
    },
    script: (answers) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

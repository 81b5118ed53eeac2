// A loopback stand-in for Discord as the gateway client sees it: REST (`/gateway/bot` pointing at the fake
// gateway; channel messages created, edited, deleted) and the gateway itself over a real WebSocket (`ws`):
// HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats and their ACKs, dispatches with sequence numbers, op 7
// RECONNECT answered by RESUME (missed events replayed, then RESUMED), and close code 4014 on request.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  type APIMessage,
  GatewayCloseCodes,
  GatewayIntentBits,
  GatewayOpcodes,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import WebSocket from 'ws';

export const BOT_USER_ID = '1300000000000000777';
export const FAKE_APPLICATION_ID = '1300000000000000001';

export type RecordedMessageRequest = {
  method: 'POST' | 'PATCH' | 'DELETE';
  channelId: string;
  /** The reply's id (PATCH, DELETE) or the id given to the new message (POST). */
  messageId: string;
  body: unknown;
  authorization: string | undefined;
  /** performance.now() when the request arrived. */
  at: number;
};

type Session = { id: string; shard: [number, number]; seq: number; log: object[]; socket: WebSocket | null };

export type FakeDiscordOptions = {
  guilds: { id: string; channels: string[] }[];
  /** What `/gateway/bot` recommends. */
  shards?: number;
  heartbeatIntervalMs?: number;
  /** Close with 4014 when IDENTIFY asks for Message Content, as Discord does when the portal switch is off. */
  refuseMessageContent?: boolean;
};

export type FakeDiscord = {
  /** The API base without version, as DISCORD_API_BASE_URL takes it. */
  apiBaseUrl: string;
  messageRequests: RecordedMessageRequest[];
  identifies: { intents: number; shard: [number, number]; token: string }[];
  resumes: { sessionId: string; seq: number }[];
  heartbeats(): number;
  gatewayBotRequests(): number;
  /** Dispatches an event to the shard that owns `guildId`; kept for replay while that shard is reconnecting. */
  dispatch(event: string, data: object, guildId: string): void;
  /** op 7 to every connected shard. */
  requestReconnect(): void;
  /** Resolves once every shard identified or resumed and got its READY / RESUMED. */
  waitForSessions(count: number, timeoutMs?: number): Promise<void>;
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedMessageRequest[]>;
  /** Closes of the gateway connections, with their codes. */
  closes: number[];
  close(): Promise<void>;
};

export async function startFakeDiscord(options: FakeDiscordOptions): Promise<FakeDiscord> {
  const shardCount = options.shards ?? 1;
  const heartbeatInterval = options.heartbeatIntervalMs ?? 1_000;
  const messageRequests: RecordedMessageRequest[] = [];
  const identifies: FakeDiscord['identifies'] = [];
  const resumes: FakeDiscord['resumes'] = [];
  const closes: number[] = [];
  const sessions = new Map<string, Session>();
  const deleted = new Set<string>();
  let ready = 0;
  let heartbeats = 0;
  let gatewayBot = 0;
  let nextId = 1_400_000_000_000_000_000n;

  const server = createServer((request, response) => {
    void handleRest(request, response);
  });
  const sockets = new WebSocket.Server({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.handleUpgrade(request, socket as never, head, (ws) => onConnection(ws));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gatewayUrl = `ws://127.0.0.1:${port}/gateway`;

  async function handleRest(request: IncomingMessage, response: ServerResponse) {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = (request.url ?? '').split('?')[0] ?? '';
    const send = (status: number, body?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (request.method === 'GET' && path === '/api/v10/gateway/bot') {
      gatewayBot++;
      return send(200, {
        url: gatewayUrl,
        shards: shardCount,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 60_000, max_concurrency: 1 },
      });
    }
    const match = /^\/api\/v10\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(path);
    const method = request.method as RecordedMessageRequest['method'];
    if (!match || !['POST', 'PATCH', 'DELETE'].includes(method) || (method === 'POST') !== !match[2]) {
      return send(404, { message: `no fake route ${request.method} ${path}`, code: 0 });
    }
    const channelId = match[1]!;
    const messageId = match[2] ?? String(nextId++);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    messageRequests.push({
      method,
      channelId,
      messageId,
      body,
      authorization: request.headers.authorization,
      at,
    });
    if (method !== 'POST' && deleted.has(messageId)) {
      return send(404, { message: 'Unknown Message', code: RESTJSONErrorCodes.UnknownMessage });
    }
    if (method === 'DELETE') {
      deleted.add(messageId);
      return send(204);
    }
    const message: Partial<APIMessage> = { id: messageId, channel_id: channelId, ...body, type: 19 };
    return send(200, message);
  }

  function onConnection(ws: WebSocket) {
    let session: Session | null = null;
    ws.on('close', (code: number) => {
      closes.push(code);
      if (session?.socket === ws) session.socket = null;
    });
    ws.on('message', (raw: WebSocket.Data) => {
      const payload = JSON.parse(String(raw)) as { op: number; d: never };
      switch (payload.op) {
        case GatewayOpcodes.Heartbeat:
          heartbeats++;
          ws.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck }));
          return;
        case GatewayOpcodes.Identify: {
          const d = payload.d as { intents: number; shard: [number, number]; token: string };
          identifies.push({ intents: d.intents, shard: d.shard, token: d.token });
          if (options.refuseMessageContent && (d.intents & GatewayIntentBits.MessageContent) !== 0) {
            ws.close(GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
            return;
          }
          session = { id: randomUUID(), shard: d.shard, seq: 0, log: [], socket: ws };
          sessions.set(session.id, session);
          const own = options.guilds.filter((guild) => shardOf(guild.id, d.shard[1]) === d.shard[0]);
          send(session, 'READY', {
            v: 10,
            user: {
              id: BOT_USER_ID,
              username: 'Incident cards',
              discriminator: '0',
              avatar: null,
              bot: true,
            },
            guilds: own.map((guild) => ({ id: guild.id, unavailable: true })),
            session_id: session.id,
            resume_gateway_url: gatewayUrl,
            shard: d.shard,
            application: { id: FAKE_APPLICATION_ID, flags: 0 },
          });
          for (const guild of own) send(session, 'GUILD_CREATE', guildCreate(guild));
          ready++;
          return;
        }
        case GatewayOpcodes.Resume: {
          const d = payload.d as { session_id: string; seq: number };
          resumes.push({ sessionId: d.session_id, seq: d.seq });
          const known = sessions.get(d.session_id);
          if (!known) {
            ws.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false }));
            return;
          }
          session = known;
          known.socket = ws;
          for (const missed of known.log.filter((event) => (event as { s: number }).s > d.seq)) {
            ws.send(JSON.stringify(missed));
          }
          send(known, 'RESUMED', {});
          ready++;
          return;
        }
      }
    });
    ws.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: heartbeatInterval } }));
  }

  function send(session: Session, event: string, data: object) {
    session.seq++;
    const payload = { op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data };
    session.log.push(payload);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify(payload));
  }

  async function until(predicate: () => boolean, timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`fake Discord: no ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return {
    apiBaseUrl: `http://127.0.0.1:${port}/api`,
    messageRequests,
    identifies,
    resumes,
    closes,
    heartbeats: () => heartbeats,
    gatewayBotRequests: () => gatewayBot,
    dispatch(event, data, guildId) {
      const target = [...sessions.values()].find(
        (session) => shardOf(guildId, session.shard[1]) === session.shard[0],
      );
      if (!target) throw new Error(`fake Discord: no session for guild ${guildId}`);
      send(target, event, data);
    },
    requestReconnect() {
      ready -= sessions.size;
      for (const session of sessions.values())
        session.socket?.send(JSON.stringify({ op: GatewayOpcodes.Reconnect, d: null }));
    },
    waitForSessions: (count, timeoutMs = 10_000) =>
      until(() => ready >= count, timeoutMs, `${count} sessions`),
    async waitForRequests(count, timeoutMs = 10_000) {
      await until(() => messageRequests.length >= count, timeoutMs, `${count} message requests`);
      return messageRequests.slice(0, count);
    },
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Discord's shard formula: (guild_id >> 22) % shard_count. */
function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

function guildCreate(guild: { id: string; channels: string[] }) {
  return {
    id: guild.id,
    name: `Guild ${guild.id}`,
    icon: null,
    owner_id: '1300000000000000100',
    unavailable: false,
    member_count: 2,
    large: false,
    joined_at: '2026-01-01T00:00:00.000000+00:00',
    features: [],
    emojis: [],
    stickers: [],
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        permissions: '0',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    channels: guild.channels.map((id, position) => ({
      id,
      type: 0,
      name: `channel-${position}`,
      position,
      permission_overwrites: [],
      guild_id: guild.id,
    })),
    threads: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}

/** A MESSAGE_CREATE / MESSAGE_UPDATE payload as Discord sends it (v10 updates carry the whole message). */
export function messagePayload(fields: {
  id: string;
  channelId: string;
  guildId: string;
  content: string;
  author?: { id: string; bot?: boolean };
  webhookId?: string;
  edited?: boolean;
}) {
  const author = fields.author ?? { id: '1300000000000000200' };
  return {
    id: fields.id,
    channel_id: fields.channelId,
    guild_id: fields.guildId,
    author: {
      id: author.id,
      username: `user-${author.id.slice(-3)}`,
      discriminator: '0',
      avatar: null,
      bot: author.bot,
    },
    member: { roles: [], joined_at: '2026-01-01T00:00:00.000000+00:00', deaf: false, mute: false, flags: 0 },
    content: fields.content,
    timestamp: '2026-11-20T10:00:00.000000+00:00',
    edited_timestamp: fields.edited ? '2026-11-20T10:01:00.000000+00:00' : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...(fields.webhookId ? { webhook_id: fields.webhookId } : {}),
  };
}

// Drives the Microsoft 365 Agents Playground (a Teams client nobody here wrote) against the real server
// process: the bot runs as `incident-cards serve` with TEAMS_AUTH=off, the playground as its own CLI, and the
// test talks to the playground's HTTP API and WebSocket exactly as the playground's web UI does
// (dist/client: `/_conversation/v1/...`, `/_internal/v1/config`, `/_debug/conversation/:id/installation`,
// `/_ws_conversation/v1/conversations/stream`). Both processes are stopped by PID and killed on exit.
import { createUrlSigner } from '../../src/http/signed-url.ts';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BOT_BIN = join(ROOT, 'bin/incident-cards.mjs');
const PLAYGROUND_CLI = join(ROOT, 'node_modules/@microsoft/m365agentsplayground/cli.js');
/** The checked-in playground config: the demo's acme tenant, so a newcomer needs no import step. */
export const PLAYGROUND_CONFIG = join(ROOT, '.m365agentsplayground.yml');

export type LogRecord = { level: number; msg?: string; [key: string]: unknown };

export type BotProcess = {
  url: string;
  pid: number;
  dataDir: string;
  /** Every stderr line, in order. */
  stderr: string[];
  stdout: string[];
  /** stderr lines that are not JSON log records, or records at level error (50) or above. */
  problems(): string[];
  records(): LogRecord[];
  /** An absolute URL of the bot's with a valid signature (incident pages open only from signed links). */
  signed(path: string): string;
  stop(): Promise<void>;
};

/** The bot's SIGNING_SECRET in these tests, so they can sign page links as the cards do. */
const SIGNING_SECRET = 'playground tests sign their own links';

export type BotOptions = {
  env?: Record<string, string>;
  /** Events of the generated demo dataset (the store starts empty). */
  demoEvents?: number;
  /** A data dir prepared beforehand (imported, keys created), served without the demo. Removed when the bot
   * stops, like a fresh one. */
  dataDir?: string;
};

/** `incident-cards serve` on a fresh data dir and a free loopback port, authentication off. */
export async function startBot(options: BotOptions = {}): Promise<BotProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'incident-cards-playground-')));
  const child = spawn(
    process.execPath,
    [
      BOT_BIN,
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      ...(options.dataDir ? ['--no-demo'] : ['--demo-events', String(options.demoEvents ?? 20_000)]),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        TEAMS_AUTH: 'off',
        MICROSOFT_APP_ID: '',
        LOG_LEVEL: 'info',
        SIGNING_SECRET,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const guard = killOnExit(child);
  const stderr = lines(child.stderr);
  const stdout = lines(child.stdout);
  const records = () =>
    stderr.flatMap((line) => {
      const record = parseRecord(line);
      return record ? [record] : [];
    });
  let url: string;
  try {
    url = await waitUntil(child, 60_000, 'the bot to listen', () => {
      const listening = records().find((record) => record.msg === 'incident-cards is listening');
      return typeof listening?.url === 'string' ? listening.url : undefined;
    });
  } catch (error) {
    await stop(child, guard);
    throw new Error(`${(error as Error).message}\n${stderr.join('\n')}`);
  }
  return {
    url,
    pid: child.pid!,
    dataDir,
    stderr,
    stdout,
    records,
    signed: (path) => `${url}${createUrlSigner(SIGNING_SECRET).signedPath(path, Date.now() + 3_600_000)}`,
    problems: () =>
      stderr.filter((line) => {
        const record = parseRecord(line);
        return !record || record.level >= 50;
      }),
    async stop() {
      await stop(child, guard);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One message as the playground's UI holds it (what its WebSocket streams). */
export type PlaygroundMessage = {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments?: { contentType: string; content: unknown }[];
  attachmentLayout?: string;
  [key: string]: unknown;
};

export type StreamEvent = {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message?: PlaygroundMessage;
};

/** What `POST /_conversation/v1/invoke` answers: the UI switches on `type` (adaptiveCard, message, error, …). */
export type InvokeAnswer = { type?: string; value?: unknown; [key: string]: unknown };

export type PlaygroundConfig = {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: { id: string; name: string };
  personalChat: { id: string };
  groupChats: { id: string }[];
  teams: { id: string; channels: { id: string; name: string }[] }[];
};

export type Playground = {
  url: string;
  pid: number;
  /** Every action the WebSocket streamed, in order. */
  events: StreamEvent[];
  config(): Promise<PlaygroundConfig>;
  /** What the UI does when the app is added to a conversation: installationUpdate + conversationUpdate at once. */
  install(conversationId: string): Promise<void>;
  /** Types a message into a conversation; answers the playground's message id. In a channel or group chat the
   * bot hears only messages that @mention it: `mention` prefixes `<at>bot name</at>` as Teams does. */
  send(conversationId: string, text: string, options?: { mention?: boolean }): Promise<string>;
  /** Sends a message that only carries cards, as "Send to conversation" after a link unfurl does. */
  sendCards(
    conversationId: string,
    attachments: { contentType: string; content: unknown }[],
  ): Promise<string>;
  invoke(name: string, conversationId: string, value: unknown, replyToId?: string): Promise<InvokeAnswer>;
  /** The playground's own answer, whatever its status: a bot's non-200 invoke response comes back as 502
   * `UserBotError` with the bot's status and body in `innerHttpError`. */
  invokeResult(
    name: string,
    conversationId: string,
    value: unknown,
    replyToId?: string,
  ): Promise<{ status: number; body: unknown }>;
  /** Action.Submit on a card: the UI posts the card's data, the bot updates the message. */
  submit(conversationId: string, replyToId: string, value: Record<string, unknown>): Promise<number>;
  /** The conversation's messages as the UI shows them now (updates applied in place), for any conversation:
   * personal chat, group chat, or a channel with the replies in its threads (posts the bot makes on its own,
   * e.g. notifications, included). */
  messages(conversationId: string): PlaygroundMessage[];
  /** The message payload the UI attaches to a message action (Teams' `messagePayload` shape). */
  messagePayload(conversationId: string, messageId: string): Record<string, unknown>;
  /** Waits until `find` answers something over the streamed events. */
  waitFor<T>(what: string, find: () => T | undefined, timeoutMs?: number): Promise<T>;
  stderr: string[];
  stop(): Promise<void>;
};

export type PlaygroundOptions = { endpoint: string; configPath?: string };

/** The playground CLI against `endpoint`, on a free port, headless, telemetry off, its log file in a temp dir. */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const workDir = await mkdtemp(join(tmpdir(), 'agents-playground-'));
  const wanted = await freePort();
  const child = spawn(
    process.execPath,
    [PLAYGROUND_CLI, '-e', options.endpoint, '-c', 'msteams', '-p', String(wanted), '--disable-telemetry'],
    {
      cwd: workDir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: workDir,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configPath ?? PLAYGROUND_CONFIG,
        M365_AGENTS_PLAYGROUND_LOGFILE: join(workDir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const guard = killOnExit(child);
  const stdout = lines(child.stdout);
  const stderr = lines(child.stderr);
  const cleanUp = async () => {
    await stop(child, guard);
    await rm(workDir, { recursive: true, force: true });
  };
  let port: number;
  try {
    // It takes another port when the one asked for is taken meanwhile, and says which.
    port = await waitUntil(child, 30_000, 'the playground to listen', () => {
      const line = stdout.find((l) => /^Listening on \d+/.test(l));
      return line ? Number(/\d+/.exec(line)![0]) : undefined;
    });
  } catch (error) {
    await cleanUp();
    throw new Error(`${(error as Error).message}\n${[...stdout, ...stderr].join('\n')}`);
  }
  const url = `http://127.0.0.1:${port}`;
  const events: StreamEvent[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${port}/_ws_conversation/v1/conversations/stream`);
  socket.on('message', (data) => events.push(JSON.parse(String(data)) as StreamEvent));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const sentByUser = new Map<string, PlaygroundMessage[]>();

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  let me = '';
  const config = async () => {
    const response = await fetch(`${url}/_internal/v1/config`);
    const body = (await response.json()) as { config: PlaygroundConfig };
    me = body.config.currentUser.id;
    return body.config;
  };
  const createMessage = async (conversationId: string, body: Record<string, unknown>) => {
    const sent = await post(
      `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      {
        from: { id: me },
        ...body,
      },
    );
    if (sent.status !== 200)
      throw new Error(`the playground refused the message: ${JSON.stringify(sent.body)}`);
    const { messageId, timestamp } = sent.body as { messageId: string; timestamp: number };
    const mine = sentByUser.get(conversationId) ?? [];
    mine.push({ messageId, timestamp, from: { id: me }, ...body } as PlaygroundMessage);
    sentByUser.set(conversationId, mine);
    return messageId;
  };
  const messages = (conversationId: string) => {
    const shown = new Map<string, PlaygroundMessage>();
    for (const message of sentByUser.get(conversationId) ?? []) shown.set(message.messageId, message);
    // A channel's replies live in threads, `<channel id>;messageid=<post id>` as in Teams: the channel shows them.
    const inConversation = (id: string) =>
      id === conversationId || id.startsWith(`${conversationId};messageid=`);
    for (const event of events) {
      if (!inConversation(event.actionConversationId) || !event.message) continue;
      if (event.action === 'createMessage' || event.action === 'updateMessage')
        shown.set(event.message.messageId, event.message);
    }
    return [...shown.values()].sort((a, b) => a.timestamp - b.timestamp);
  };
  const invokeResult = async (name: string, conversationId: string, value: unknown, replyToId?: string) =>
    post('/_conversation/v1/invoke', {
      name,
      from: { id: me },
      conversation: { id: conversationId },
      value,
      ...(replyToId ? { replyToId } : {}),
    });
  const waitFor = async <T>(what: string, find: () => T | undefined, timeoutMs = 10_000) =>
    waitUntil(child, timeoutMs, what, find);

  return {
    url,
    pid: child.pid!,
    events,
    stderr,
    config,
    async install(conversationId) {
      const answer = await post(
        `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`,
        {},
      );
      if (answer.status !== 200) throw new Error(`installation refused: ${answer.status}`);
    },
    async send(conversationId, text, options = {}) {
      if (!options.mention) return createMessage(conversationId, { text, textFormat: 'plain' });
      const { bot } = await config();
      const at = `<at>${bot.name}</at>`;
      return createMessage(conversationId, {
        text: `${at} ${text}`,
        textFormat: 'plain',
        mentions: [{ mentioned: { id: bot.id }, text: at }],
      });
    },
    sendCards: (conversationId, attachments) =>
      createMessage(conversationId, { attachments, attachmentLayout: 'list' }),
    async invoke(name, conversationId, value, replyToId) {
      const answer = await invokeResult(name, conversationId, value, replyToId);
      if (answer.status !== 200)
        throw new Error(`invoke ${name} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return (answer.body ?? {}) as InvokeAnswer;
    },
    invokeResult,
    async submit(conversationId, replyToId, value) {
      const answer = await post('/_conversation/v1/submit', {
        conversation: { id: conversationId },
        from: { id: me },
        replyToId,
        value,
      });
      return answer.status;
    },
    messages,
    messagePayload(conversationId, messageId) {
      const message = messages(conversationId).find((m) => m.messageId === messageId);
      if (!message) throw new Error(`no message ${messageId} in ${conversationId}`);
      return uiMessagePayload(message);
    },
    waitFor,
    async stop() {
      socket.terminate();
      await cleanUp();
    },
  };
}

/** As the UI's selector builds it (dist/client `zM`): Teams' message payload for message actions. */
function uiMessagePayload(message: PlaygroundMessage): Record<string, unknown> {
  return {
    id: message.messageId,
    createdDateTime: new Date(message.timestamp).toISOString(),
    deleted: false,
    importance: 'normal',
    locale: 'en-us',
    from: { user: { userIdentityType: 'aadUser', id: message.from.id, displayName: '' } },
    body: { contentType: 'html', content: message.text ?? '' },
    attachments: (message.attachments ?? []).map((attachment, index) => ({
      id: String(index),
      contentType: attachment.contentType,
      content: JSON.stringify(attachment.content),
    })),
    mentions: [],
    reactions: [],
    linkToMessage: '',
  };
}

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The cards of a message (Adaptive Card contents). */
export function cardsOf(message: PlaygroundMessage | undefined): Record<string, unknown>[] {
  return (message?.attachments ?? [])
    .filter((attachment) => attachment.contentType === ADAPTIVE_CARD)
    .map((attachment) => attachment.content as Record<string, unknown>);
}

/** Every `text` of a card's elements, in document order: what a reader sees. */
export function textsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (!value || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  const own = typeof node.text === 'string' ? [node.text] : [];
  const facts = Array.isArray(node.facts)
    ? (node.facts as { title: string; value: string }[]).map((fact) => `${fact.title}: ${fact.value}`)
    : [];
  const children = Object.entries(node)
    .filter(([key]) => key !== 'facts' && key !== 'refresh' && key !== 'actions')
    .flatMap(([, child]) => textsOf(child));
  return [...own, ...facts, ...children];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function lines(stream: NodeJS.ReadableStream | null): string[] {
  const collected: string[] = [];
  let partial = '';
  stream?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    collected.push(...parts.filter((line) => line.length > 0));
  });
  stream?.on('end', () => {
    if (partial) collected.push(partial);
  });
  return collected;
}

function parseRecord(line: string): LogRecord | null {
  try {
    const value = JSON.parse(line) as unknown;
    return value && typeof value === 'object' && typeof (value as LogRecord).level === 'number'
      ? (value as LogRecord)
      : null;
  } catch {
    return null;
  }
}

async function waitUntil<T>(
  child: ChildProcess,
  timeoutMs: number,
  what: string,
  find: () => T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`waiting for ${what}: the process exited (${child.exitCode ?? child.signalCode})`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A child left behind by a crashed test run would hold its port: kill it when this process exits. */
function killOnExit(child: ChildProcess): () => void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  return () => process.off('exit', kill);
}

async function stop(child: ChildProcess, guard: () => void): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  guard();
}

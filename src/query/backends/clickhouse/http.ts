// ClickHouse's HTTP interface over one keep-alive undici pool: the statement in the POST body (or, for INSERT,
// in the URL with the rows as the body), settings as URL parameters, credentials in the X-ClickHouse-User/Key
// headers (accepted since 18.16). Every failure becomes a ClickHouseError whose message says what went wrong.
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { escapedField } from './tsv.ts';

export type Settings = Record<string, string | number>;

export type RequestOptions = {
  signal?: AbortSignal;
  settings?: Settings;
  /** Rows for `INSERT … FORMAT …`: the statement then travels in the URL and the rows in the body (streamed). */
  data?: string | AsyncIterable<string | Uint8Array>;
  /**
   * A table the statement can read by name, sent with it as ClickHouse "external data" (multipart); a
   * Distributed query forwards it to every shard. Keeps long value lists out of the statement text.
   */
  external?: ExternalTable;
  /**
   * Values of the statement's `{name:Type}` placeholders (servers from 19.11, see features.ts), sent as
   * `param_<name>` URL parameters in ClickHouse's escaped text form.
   */
  params?: Record<string, string | number>;
  /** A read-only statement is retried once when a reused keep-alive connection was closed under it. */
  idempotent?: boolean;
  /**
   * The statement gets a query_id, and when `signal` aborts the server is told to stop it (KILL QUERY): closing
   * the HTTP request alone does not stop a running SELECT on older servers, and abandoned work must not run on.
   */
  cancelOnAbort?: boolean;
};

/** `rows` in TabSeparated, already escaped; `structure` like `id String`. */
export type ExternalTable = { name: string; structure: string; rows: string };

export type ClickHouseHttpOptions = {
  url: string;
  user?: string;
  password?: string;
  /** Limit for calls that bring no signal of their own. */
  defaultTimeoutMs: number;
  connections?: number;
};

export type FailureKind = 'unreachable' | 'server' | 'aborted' | 'protocol';

export class ClickHouseError extends Error {
  override readonly name = 'ClickHouseError';
  constructor(
    message: string,
    readonly kind: FailureKind,
    /** ClickHouse's own error code (`Code: 62` is a syntax error), when the server answered with one. */
    readonly code?: number,
  ) {
    super(message);
  }
}

/** Opens a client for another server of the same deployment (same credentials). */
export type Connect = (url: string) => ClickHouseHttp;

export type ClickHouseHttp = {
  /** Where this client points, without credentials: for messages and logs. */
  readonly url: string;
  query(sql: string, options?: RequestOptions): Promise<string>;
  close(): Promise<void>;
};

const KILL_TIMEOUT_MS = 2_000;

/** Errors on a connection the pool had reused: the server may simply have closed an idle keep-alive socket. */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export function createClickHouseHttp(options: ClickHouseHttpOptions): ClickHouseHttp {
  const base = new URL(options.url);
  const where = `ClickHouse at ${base.origin}`;
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 16,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
    connect: { timeout: 2_000 },
  });
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  if (options.user) headers['x-clickhouse-user'] = options.user;
  if (options.password) headers['x-clickhouse-key'] = options.password;

  async function send(
    sql: string,
    request: RequestOptions,
    signal: AbortSignal,
    queryId?: string,
  ): Promise<string> {
    const params = new URLSearchParams();
    if (queryId) params.set('query_id', queryId);
    for (const [name, value] of Object.entries(request.settings ?? {})) params.set(name, String(value));
    for (const [name, value] of Object.entries(request.params ?? {}))
      params.set(`param_${name}`, typeof value === 'string' ? escapedField(value) : String(value));
    let body: string | AsyncIterable<string | Uint8Array> = request.data ?? sql;
    let requestHeaders = headers;
    if (request.data !== undefined) params.set('query', sql);
    if (request.external) {
      const { name, structure, rows } = request.external;
      params.set('query', sql);
      params.set(`${name}_structure`, structure);
      params.set(`${name}_format`, 'TabSeparated');
      const boundary = boundaryFor(rows);
      body = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}"\r\n\r\n${rows}\r\n--${boundary}--\r\n`;
      requestHeaders = { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` };
    }
    const query = params.toString();
    const response = await pool.request({
      method: 'POST',
      path: query ? `${path}?${query}` : path,
      headers: requestHeaders,
      body: typeof body === 'string' ? body : Readable.from(body),
      signal,
    });
    const text = await response.body.text();
    if (response.statusCode === 200) return text;
    const code = /^Code: (\d+)/.exec(text)?.[1];
    throw new ClickHouseError(
      `${where} answered HTTP ${response.statusCode}: ${summarize(text)}`,
      'server',
      code === undefined ? undefined : Number(code),
    );
  }

  async function query(sql: string, request: RequestOptions = {}): Promise<string> {
    const signal = request.signal ?? AbortSignal.timeout(options.defaultTimeoutMs);
    const queryId = request.cancelOnAbort ? randomUUID() : undefined;
    try {
      return await send(sql, request, signal, queryId);
    } catch (error) {
      if (queryId && signal.aborted) void kill(queryId);
      if (request.idempotent && !signal.aborted && isStaleSocket(error)) {
        try {
          return await send(sql, request, signal, queryId);
        } catch (retryError) {
          throw toClickHouseError(retryError, signal, where);
        }
      }
      throw toClickHouseError(error, signal, where);
    }
  }

  /** Best effort, time-limited: a server that does not answer the query will not answer this either. */
  async function kill(queryId: string): Promise<void> {
    try {
      await send(`KILL QUERY WHERE query_id = '${queryId}' ASYNC`, {}, AbortSignal.timeout(KILL_TIMEOUT_MS));
    } catch {
      // The query may have finished, or the server is gone; either way nothing more can be done.
    }
  }

  return {
    url: base.origin + base.pathname,
    query,
    close: () => pool.destroy(),
  };
}

/** A multipart boundary that does not occur in the part it delimits. */
function boundaryFor(content: string): string {
  for (;;) {
    const boundary = `clickhouse-${randomBytes(12).toString('hex')}`;
    if (!content.includes(boundary)) return boundary;
  }
}

function isStaleSocket(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_SOCKET_CODES.has(code);
}

function toClickHouseError(error: unknown, signal: AbortSignal, where: string): ClickHouseError {
  if (error instanceof ClickHouseError) return error;
  if (signal.aborted) {
    const reason =
      signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
    return new ClickHouseError(`${where}: request abandoned (${reason})`, 'aborted');
  }
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  // llhttp's parse errors (HPE_*): something answered on the port, but not HTTP.
  const kind: FailureKind = typeof code === 'string' && code.startsWith('HPE_') ? 'protocol' : 'unreachable';
  return new ClickHouseError(
    kind === 'unreachable'
      ? `${where} is unreachable: ${detail}${typeof code === 'string' ? ` (${code})` : ''}`
      : `${where} answered something that is not HTTP: ${detail}`,
    kind,
  );
}

/** The server's message in one line, short enough for a log field or a /readyz reason. */
export function summarize(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat || '(empty body)';
}

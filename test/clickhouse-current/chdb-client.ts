// A current ClickHouse (26.7, in-process through chdb) behind the backend's own client interface, so every
// statement the backend would send a server runs unchanged on a current release. Only the transport differs:
// settings become SET, an INSERT's RowBinary body and an external table travel through a temporary file, and
// query parameters are bound by the engine (queryBindAsync) instead of travelling as param_<name> URL parameters.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClickHouseError,
  type ClickHouseHttp,
  type Connect,
} from '../../src/query/backends/clickhouse/http.ts';

type ChdbResult = { text(): string };
type ChdbSession = {
  queryAsync(query: string, options?: { format?: string }): Promise<ChdbResult>;
  queryBindAsync(query: string, params: object, options?: { format?: string }): Promise<ChdbResult>;
  close(): void;
};
type ChdbModule = { Session: new (path?: string) => ChdbSession };

const PACKAGE_DIR = join(import.meta.dirname);

/** How to install the engine, for the one line a run without it prints. */
export const INSTALL_HINT = 'npm install --prefix test/clickhouse-current';

/** chdb from this folder's own package, or null when that package is not installed. */
export function loadChdb(): ChdbModule | null {
  if (!existsSync(join(PACKAGE_DIR, 'node_modules', 'chdb', 'package.json'))) return null;
  return createRequire(join(PACKAGE_DIR, 'package.json'))('chdb') as ChdbModule;
}

/** Settings that belong to the HTTP interface, not to a query; the engine refuses them with SET. */
const HTTP_ONLY_SETTINGS = new Set(['wait_end_of_query']);

const INSERT_ROW_BINARY = /^INSERT INTO (\S+) \(([^)]*)\) FORMAT RowBinary$/;

export type Sent = { sql: string; params: Record<string, string | number> };

export type ChdbServer = {
  /** Opens a client, as `Connect` does for a URL; every client shares the one in-process engine. */
  connect: Connect;
  /** Runs one statement directly (test setup and checks), answering TabSeparated unless it says FORMAT. */
  sql(statement: string): Promise<string>;
  /** The latest statements clients sent (at most 500), with the parameters bound to each. */
  sent(): Sent[];
  /** Like `sql`, with `{name:Type}` parameters bound by the engine. */
  sqlBound(statement: string, params: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
};

export async function openChdb(chdb: ChdbModule): Promise<ChdbServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'incident-cards-chdb-'));
  const scratch = await mkdtemp(join(tmpdir(), 'incident-cards-chdb-files-'));
  const session = new chdb.Session(join(dataDir, 'engine'));

  // One statement at a time: SET and temporary tables are session state, shared by every caller.
  let queue: Promise<unknown> = Promise.resolve();
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  }

  async function run(statement: string, params?: Record<string, string | number>): Promise<string> {
    try {
      const options = { format: 'TabSeparated' };
      const result =
        params && Object.keys(params).length > 0
          ? await session.queryBindAsync(statement, params, options)
          : await session.queryAsync(statement, options);
      return result.text();
    } catch (error) {
      throw toClickHouseError(error);
    }
  }

  async function tempFile(contents: string | Buffer): Promise<string> {
    const path = join(scratch, randomBytes(8).toString('hex'));
    await writeFile(path, contents);
    return path;
  }

  async function columnTypes(table: string, columns: string[]): Promise<string> {
    const [database, name] = table.split('.').map((part) => part.replaceAll('`', ''));
    const text = await run(
      `SELECT name, type FROM system.columns WHERE database = '${database}' AND table = '${name}'`,
    );
    const types = new Map(
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t') as [string, string]),
    );
    return columns
      .map((column) => {
        const plain = column.trim().replaceAll('`', '');
        return `${plain} ${types.get(plain)}`;
      })
      .join(', ');
  }

  const sent: Sent[] = [];
  const applied = new Map<string, string | number>();
  const client: ClickHouseHttp = {
    url: 'chdb://in-process',
    query: (sql, request = {}) =>
      serialized(async () => {
        sent.push({ sql, params: { ...request.params } });
        if (sent.length > 500) sent.shift();
        for (const [name, value] of Object.entries(request.settings ?? {})) {
          // SET is a statement of its own here (over HTTP settings ride along in the URL): only when it changes.
          if (HTTP_ONLY_SETTINGS.has(name) || applied.get(name) === value) continue;
          await run(`SET ${name} = ${JSON.stringify(value)}`);
          applied.set(name, value);
        }
        if (request.data !== undefined) {
          const insert = INSERT_ROW_BINARY.exec(sql.trim());
          if (!insert) throw new Error(`the chdb client only streams RowBinary inserts, not: ${sql}`);
          const [, table, columnList] = insert as unknown as [string, string, string];
          const chunks: Buffer[] = [];
          const data = request.data;
          if (typeof data === 'string') chunks.push(Buffer.from(data));
          else for await (const chunk of data) chunks.push(Buffer.from(chunk));
          const path = await tempFile(Buffer.concat(chunks));
          const structure = await columnTypes(table, columnList.split(','));
          try {
            return await run(
              `INSERT INTO ${table} (${columnList}) SELECT * FROM file('${path}', 'RowBinary', '${structure}')`,
            );
          } finally {
            await rm(path, { force: true });
          }
        }
        if (request.external) {
          const { name, structure, rows } = request.external;
          const path = await tempFile(rows);
          await run(`CREATE TEMPORARY TABLE ${name} (${structure})`);
          try {
            await run(`INSERT INTO ${name} SELECT * FROM file('${path}', 'TabSeparated', '${structure}')`);
            return await run(sql, request.params);
          } finally {
            await run(`DROP TEMPORARY TABLE IF EXISTS ${name}`).catch(() => undefined);
            await rm(path, { force: true });
          }
        }
        return run(sql, request.params);
      }),
    close: async () => undefined,
  };

  return {
    connect: () => client,
    sql: (statement) => serialized(() => run(statement)),
    sqlBound: (statement, params) =>
      serialized(async () => {
        try {
          return (await session.queryBindAsync(statement, params, { format: 'TabSeparated' })).text();
        } catch (error) {
          throw toClickHouseError(error);
        }
      }),
    sent: () => [...sent],
    async close() {
      await queue;
      session.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

function toClickHouseError(error: unknown): ClickHouseError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { clickhouseCode?: unknown }).clickhouseCode;
  const parsed = typeof code === 'number' ? code : Number(/Code: (\d+)/.exec(message)?.[1]);
  return new ClickHouseError(
    `ClickHouse (chdb) refused the statement: ${message}`,
    'server',
    Number.isFinite(parsed) ? parsed : undefined,
  );
}

// Which server gets which SQL: the version switch (features.ts) and the two ways a value reaches a statement
// (literals.ts) — escaped into the text on 18.16, bound as `{pN:Type}` parameters from 19.11 on — and how the
// HTTP client sends parameters. The 18.16 server proves the escaped path end to end here and in
// clickhouse.test.ts; ClickHouse 26.7 (chdb) proves the parameter path in clickhouse-current.test.ts.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { compileBatch } from '../../../src/query/backends/clickhouse/compile.ts';
import { serverFeatures } from '../../../src/query/backends/clickhouse/features.ts';
import { createClickHouseHttp } from '../../../src/query/backends/clickhouse/http.ts';
import {
  escapedLiterals,
  literalsFor,
  parameterLiterals,
} from '../../../src/query/backends/clickhouse/literals.ts';
import { createSchema } from '../../../src/query/backends/clickhouse/schema.ts';
import type { MetricQuery } from '../../../src/query/model.ts';
import {
  CLICKHOUSE_URL,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';

const tables = { events: '`db`.`events`', sessions: '`db`.`sessions`' };
const NASTY = "prod'\\\t\n\u0000 決済";
const query = (start: number, environment: string | null = NASTY): MetricQuery => ({
  dataset: 'events',
  aggregate: { fn: 'percentile', field: 'duration', p: 0.95 },
  filter: { type: 'wildcard', field: { kind: 'tag', name: 'region' }, parts: ['', 'eu', ''], negated: false },
  projectIds: [7, 9],
  environment,
  start,
  end: start + 60_000,
});

describe('serverFeatures: what each release gets, decided in one place', () => {
  it.each([
    ['18.16.1', { ttl: false, parameters: false, dateTime64: false, statementPerScan: false }],
    ['19.6.2.11', { ttl: true, parameters: false, dateTime64: false, statementPerScan: false }],
    ['19.11.3.11', { ttl: true, parameters: true, dateTime64: false, statementPerScan: false }],
    ['20.5.2.7', { ttl: true, parameters: true, dateTime64: true, statementPerScan: false }],
    ['24.8.4.13', { ttl: true, parameters: true, dateTime64: true, statementPerScan: false }],
    ['26.7.2.1', { ttl: true, parameters: true, dateTime64: true, statementPerScan: true }],
  ])('%s', (version, expected) => {
    expect(serverFeatures(version)).toEqual({ version, ...expected });
    expect(literalsFor(expected)().params).toEqual({});
  });
});

describe('Literals', () => {
  it('escaped: every value in the statement text, nothing to bind', () => {
    const batch = compileBatch([query(0)], tables, escapedLiterals());
    expect(batch.params).toEqual({});
    expect(batch.sql).toContain("'prod\\'\\\\\\x09\\x0a\\x00 決済'");
    expect(batch.sql).not.toMatch(/\{p\d+:/);
  });

  it('parameters: no value in the statement text, each distinct value bound once', () => {
    // Two windows of one rule an hour apart (not a shared scan) and another environment.
    const batch = compileBatch(
      [query(0), query(3_600_000), query(0, 'staging')],
      tables,
      parameterLiterals(),
    );
    expect(batch.sql).not.toContain('prod');
    expect(batch.sql).not.toContain('staging');
    expect(batch.sql).not.toContain('%eu%');
    expect(batch.sql).toMatch(/project_id IN \(\{p\d+:Int64\}, \{p\d+:Int64\}\)/);
    expect(batch.sql).toMatch(/`date` >= \{p\d+:Date\}/);
    expect(batch.sql).toMatch(/\* \{p\d+:Float64\} AS _rank0/);
    const values = Object.values(batch.params);
    expect(values.filter((value) => value === NASTY)).toHaveLength(1);
    expect(values.filter((value) => value === 7)).toHaveLength(1);
    expect(values).toEqual(expect.arrayContaining(['staging', '%eu%', 'region', '1970-01-01', 0.95]));
    for (const name of Object.keys(batch.params)) expect(batch.sql).toContain(`{${name}:`);
  });

  it('parameters are checked like escaped values', () => {
    const literals = parameterLiterals();
    expect(() => literals.number(Number.NaN)).toThrow(/finite/);
    expect(() => literals.integer(1.5)).toThrow(/integer/);
    expect(() => literals.string(1 as unknown as string)).toThrow(/string/);
    expect(literals.params).toEqual({});
  });
});

describe('HTTP client: parameters as param_<name> in the Escaped form', () => {
  const requests: { url: string; body: string }[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ url: request.url ?? '', body });
      response.end('1\n');
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('escapes backslash, tab, newline and NUL, sends numbers as written', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const http = createClickHouseHttp({ url: `http://127.0.0.1:${port}`, defaultTimeoutMs: 5_000 });
    try {
      await http.query('SELECT {s:String}, {n:Float64}', { params: { s: NASTY, n: 1e-310 } });
    } finally {
      await http.close();
    }
    const sent = new URL(requests[0]!.url, 'http://x').searchParams;
    expect(sent.get('param_s')).toBe("prod'\\\\\\t\\n\\0 決済");
    expect(sent.get('param_n')).toBe('1e-310');
    expect(requests[0]!.body).toBe('SELECT {s:String}, {n:Float64}');
  });
});

await describeWithClickHouse(
  'ClickHouse 18.16: escaped values, no DateTime64 column',
  [CLICKHOUSE_URL],
  () => {
    const database = uniqueDatabase('literals');
    const connect = (url: string) => createClickHouseHttp({ url, defaultTimeoutMs: 10_000 });
    const http = connect(CLICKHOUSE_URL);
    afterAll(async () => {
      await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      await http.close();
    });

    it('detects the release and keeps its tables and statements to what it accepts', async () => {
      const schema = await createSchema(http, { database, retentionDays: 30 }, connect);
      if (schema.features.parameters) return; // a newer server: clickhouse-current.test.ts covers that path
      expect(schema.features).toMatchObject({ ttl: false, dateTime64: false });
      const columns = await sql(
        CLICKHOUSE_URL,
        `SELECT name FROM system.columns WHERE database = '${database}' AND table = 'events' FORMAT TabSeparated`,
      );
      expect(columns.split('\n')).not.toContain('time');
      // The escaped statement runs as is; a parameterized one is refused (18.16 cannot bind `{p0:Int64}`).
      const escaped = compileBatch([query(0)], schema.tables, literalsFor(schema.features)());
      expect(await http.query(escaped.sql)).toBe('0\t\\N\n');
      const bound = compileBatch([query(0)], schema.tables, parameterLiterals());
      await expect(http.query(bound.sql, { params: bound.params })).rejects.toThrow(/HTTP/);
    });
  },
);

// escape.ts is the only way values enter ClickHouse SQL (18.16 has no query parameters), so it is fuzzed against
// a live server: every literal must come back byte for byte and never change the statement's structure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRow, QueryBackend } from '../../../src/query/backend.ts';
import { createClickHouseBackend } from '../../../src/query/backends/clickhouse.ts';
import { likePattern } from '../../../src/query/backends/clickhouse/filter.ts';
import {
  sqlIdentifier,
  sqlInteger,
  sqlNumber,
  sqlString,
} from '../../../src/query/backends/clickhouse/escape.ts';
import { random } from '../../fixtures/clickhouse/rows.ts';
import {
  CLICKHOUSE_URL,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';

const FRAGMENTS = [
  "'",
  "''",
  '\\',
  "\\'",
  '\\\\',
  '\\N',
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '"',
  '`',
  '%',
  '_',
  '*',
  '?',
  '{x}',
  '$1',
  "'); DROP TABLE x; --",
  "' OR 1=1 --",
  '/* comment',
  '*/',
  '-- comment',
  ' FORMAT JSON',
  ' UNION ALL SELECT 1',
  'é',
  '決済',
  'Ünïcödé',
  '🚀',
  '\u200b',
  '\ufeff',
  'x',
  ' ',
];

function randomString(next: () => number): string {
  const length = Math.floor(next() * 12);
  let text = '';
  for (let i = 0; i < length; i++) {
    text +=
      next() < 0.7
        ? FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]!
        : String.fromCodePoint(Math.floor(next() * (next() < 0.8 ? 0x80 : 0x3000)));
  }
  return text;
}

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex').toUpperCase();

describe('escape.ts without a server', () => {
  it.each([
    ["it's", "'it\\'s'"],
    ['a\\b', "'a\\\\b'"],
    ['nul\u0000', "'nul\\x00'"],
    ['line\nbreak', "'line\\x0abreak'"],
    ['', "''"],
  ])('sqlString(%j) is %s', (input, literal) => {
    expect(sqlString(input)).toBe(literal);
  });

  it('numbers must be finite; negative ones are parenthesized', () => {
    expect(sqlNumber(1.5)).toBe('1.5');
    expect(sqlNumber(-2)).toBe('(-2)');
    expect(sqlNumber(-0)).toBe('0');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => sqlNumber(bad)).toThrow(/finite/);
    }
    expect(() => sqlNumber('1; DROP' as unknown as number)).toThrow(/finite/);
    expect(() => sqlInteger(1.5)).toThrow(/integer/);
    expect(() => sqlInteger(2 ** 60)).toThrow(/integer/);
  });

  it('identifiers are plain names only', () => {
    expect(sqlIdentifier('incident_cards')).toBe('`incident_cards`');
    for (const bad of ['', '1abc', 'a-b', 'a`b', 'a b', 'db.table', "x'"])
      expect(() => sqlIdentifier(bad)).toThrow();
  });

  it("LIKE patterns escape LIKE's own wildcards and the escape character inside parts", () => {
    expect(likePattern(['', '100%_', ''])).toBe('%100\\%\\_%');
    expect(likePattern(['a\\b'])).toBe('a\\\\b');
  });
});

await describeWithClickHouse('escape.ts against ClickHouse', [CLICKHOUSE_URL], () => {
  const next = random(20_261_125);
  const samples = [...FRAGMENTS, ...Array.from({ length: 1_500 }, () => randomString(next))];

  it('every string literal round-trips byte for byte and the statement keeps its shape', async () => {
    for (let start = 0; start < samples.length; start += 150) {
      const batch = samples.slice(start, start + 150);
      const columns = batch.map((value, index) => `hex(${sqlString(value)}) AS c${index}`);
      const answer = JSON.parse(
        await sql(CLICKHOUSE_URL, `SELECT ${columns.join(', ')}, 'end' AS sentinel FORMAT JSONCompact`),
      ) as { meta: { name: string }[]; data: string[][] };
      expect(answer.meta.map((column) => column.name)).toEqual([
        ...batch.map((_, index) => `c${index}`),
        'sentinel',
      ]);
      expect(answer.data).toEqual([[...batch.map(hex), 'end']]);
    }
  });

  it('a lone UTF-16 surrogate arrives as U+FFFD (UTF-8 cannot carry it) and changes nothing else', async () => {
    const answer = await sql(CLICKHOUSE_URL, `SELECT hex(${sqlString("a\ud800'b")}) FORMAT TabSeparated`);
    expect(answer.trim()).toBe(hex("a\ufffd'b"));
  });

  it('numbers round-trip', async () => {
    const numbers = [
      0,
      1,
      -1,
      1.5,
      -2.25,
      1e-7,
      1e21,
      -1e300,
      0.1 + 0.2,
      Number.MAX_SAFE_INTEGER,
      5e-324,
      -1e-310,
      2.2250738585072014e-308,
    ];
    const answer = JSON.parse(
      await sql(
        CLICKHOUSE_URL,
        `SELECT ${numbers.map((n, i) => `toString(toFloat64(${sqlNumber(n)})) AS n${i}`).join(', ')} FORMAT JSONCompact`,
      ),
    ) as { data: string[][] };
    expect(answer.data[0]!.map(Number)).toEqual(numbers);
  });

  it('a LIKE pattern built from random parts matches the parts literally', async () => {
    const parts = samples.slice(0, 400).filter((part) => part.length > 0);
    const checks = parts.flatMap((part) => [
      `${sqlString(part)} LIKE ${sqlString(likePattern([part]))}`,
      `${sqlString(`<${part}>`)} LIKE ${sqlString(likePattern(['', part, '']))}`,
      `NOT (${sqlString(`${part}x`)} LIKE ${sqlString(likePattern([part]))})`,
    ]);
    for (let start = 0; start < checks.length; start += 300) {
      const batch = checks.slice(start, start + 300);
      const answer = await sql(CLICKHOUSE_URL, `SELECT ${batch.join(', ')} FORMAT TabSeparated`);
      expect(answer.trim().split('\t')).toEqual(batch.map(() => '1'));
    }
  });

  describe('ingestion', () => {
    const database = uniqueDatabase('escape');
    let backend: QueryBackend;
    beforeAll(async () => {
      backend = await createClickHouseBackend({ url: CLICKHOUSE_URL, database, timeoutMs: 5_000 });
    });
    afterAll(async () => {
      await backend?.close();
      await sql(CLICKHOUSE_URL, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
    });

    it('random strings in every text column and in tags are stored exactly', async () => {
      const rows: EventRow[] = samples.slice(0, 600).map((text, i) => ({
        id: `id-${i}-${text}`,
        timestamp: Date.UTC(2026, 10, 20) + i,
        projectId: 1,
        eventType: 'error',
        environment: text,
        level: null,
        message: text,
        user: `${text}|${i}`,
        release: text,
        transaction: text,
        duration: null,
        status: text,
        tags: { [`k${text.slice(0, 5)}`]: text },
      }));
      expect(await backend.writeEvents(rows)).toBe(rows.length);
      expect(await backend.writeEvents(rows)).toBe(0);
      const stored = await sql(
        CLICKHOUSE_URL,
        `SELECT hex(id), hex(message), hex(environment), hex(user), hex(tag_keys[1]), hex(tag_values[1])
         FROM ${database}.events ORDER BY timestamp FORMAT TabSeparated`,
      );
      expect(stored.trimEnd().split('\n')).toEqual(
        rows.map((row) =>
          [
            row.id,
            row.message!,
            row.environment!,
            row.user!,
            Object.keys(row.tags)[0]!,
            Object.values(row.tags)[0]!,
          ]
            .map(hex)
            .join('\t'),
        ),
      );
    });
  });
});

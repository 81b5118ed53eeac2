import { describe, expect, it } from 'vitest';
import type { EventColumn, Field, Filter } from '../../src/query/model.ts';
import { parseSearch } from '../../src/query/search-syntax.ts';
import type { RuleDataset } from '../../src/domain.ts';
import { seededRandom as random } from '../support/random.ts';

const col = (name: EventColumn): Field => ({ kind: 'column', name });
const tag = (name: string): Field => ({ kind: 'tag', name });
const level = col('level');
const duration = col('duration');
const eq = (field: Field, value: string, negated = false): Filter => ({
  type: 'equals',
  field,
  value,
  negated,
});
const isIn = (field: Field, values: string[], negated = false): Filter => ({
  type: 'in',
  field,
  values,
  negated,
});
const wild = (field: Field, parts: string[], negated = false): Filter => ({
  type: 'wildcard',
  field,
  parts,
  negated,
});
const has = (field: Field, negated = false): Filter => ({ type: 'has', field, negated });
const text = (value: string, negated = false): Filter => ({ type: 'text', value, negated });
const cmp = (op: '>' | '>=' | '<' | '<=', value: number, negated = false): Filter => ({
  type: 'compare',
  field: duration,
  op,
  value,
  negated,
});
const and = (...children: Filter[]): Filter => ({ type: 'and', children });
const or = (...children: Filter[]): Filter => ({ type: 'or', children });

function parsed(input: string, dataset: RuleDataset = 'events'): Filter | null {
  const result = parseSearch(input, dataset);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse, got: ${result.error}`);
  return result.filter;
}

function parseError(input: string, dataset: RuleDataset = 'events'): string {
  const result = parseSearch(input, dataset);
  if (result.ok)
    throw new Error(`expected ${JSON.stringify(input)} to fail, got: ${JSON.stringify(result.filter)}`);
  return result.error;
}

describe.each(['events', 'transactions'] as const)('parseSearch on a %s rule', (dataset) => {
  it.each<[string, Filter | null]>([
    // empty
    ['', null],
    [' \t\n ', null],
    // key:value, negation, columns and tags
    ['level:error', eq(level, 'error')],
    ['!level:error', eq(level, 'error', true)],
    ['event.type:transaction', eq(col('event.type'), 'transaction')],
    ['browser.name:Chrome', eq(tag('browser.name'), 'Chrome')],
    ['custom-tag_1.x:v', eq(tag('custom-tag_1.x'), 'v')],
    ['tags[level]:debug', eq(tag('level'), 'debug')],
    ['tags[a:b]:c', eq(tag('a:b'), 'c')],
    ['url:http://x.test/a', eq(tag('url'), 'http://x.test/a')],
    ['release:checkout@1.4.2', eq(col('release'), 'checkout@1.4.2')],
    // quoted values and escapes
    ['message:"quoted value"', eq(col('message'), 'quoted value')],
    ['message:"say \\"hi\\""', eq(col('message'), 'say "hi"')],
    ['message:"back\\\\slash"', eq(col('message'), 'back\\slash')],
    ['message:"a\\nb"', eq(col('message'), 'a\\nb')],
    ['message:""', eq(col('message'), '')],
    ['message:"multi\nline"', eq(col('message'), 'multi\nline')],
    ['message:"(not a group)"', eq(col('message'), '(not a group)')],
    ['message:"AND OR"', eq(col('message'), 'AND OR')],
    // in-lists
    ['key:[a,b,"c d"]', isIn(tag('key'), ['a', 'b', 'c d'])],
    ['!level:[error, fatal]', isIn(level, ['error', 'fatal'], true)],
    ['level:[ error ]', isIn(level, ['error'])],
    ['key:["a,b","x]"]', isIn(tag('key'), ['a,b', 'x]'])],
    ['key:[a*,b]', or(wild(tag('key'), ['a', '']), eq(tag('key'), 'b'))],
    ['!key:[a*,b]', and(wild(tag('key'), ['a', ''], true), eq(tag('key'), 'b', true))],
    // wildcards
    ['transaction:*part*', wild(col('transaction'), ['', 'part', ''])],
    ['!transaction:/health*', wild(col('transaction'), ['/health', ''], true)],
    ['user:a*b*c', wild(col('user'), ['a', 'b', 'c'])],
    ['user:*', wild(col('user'), ['', ''])],
    ['user:a\\*b', eq(col('user'), 'a*b')],
    ['user:a\\\\*', wild(col('user'), ['a\\', ''])],
    ['message:"*two words*"', wild(col('message'), ['', 'two words', ''])],
    // has
    ['has:user', has(col('user'))],
    ['!has:browser.name', has(tag('browser.name'), true)],
    ['has:transaction.duration', has(duration)],
    // numeric comparisons, aliases and units
    ['duration:>100', cmp('>', 100)],
    ['duration:>=100', cmp('>=', 100)],
    ['duration:<=2.5', cmp('<=', 2.5)],
    ['duration:<3', cmp('<', 3)],
    ['!duration:>100', cmp('>', 100, true)],
    ['transaction.duration:>1.5s', cmp('>', 1500)],
    ['transaction.duration:>1.1s', cmp('>', 1100)],
    ['duration:>250ms', cmp('>', 250)],
    ['duration:<2m', cmp('<', 120_000)],
    ['duration:>=1h', cmp('>=', 3_600_000)],
    ['duration:>.5s', cmp('>', 500)],
    // free text
    ['TypeError', text('TypeError')],
    ['!timeout', text('timeout', true)],
    ['"x is undefined"', text('x is undefined')],
    ['!"x is undefined"', text('x is undefined', true)],
    ['foo(bar)', text('foo(bar)')],
    ['and or', and(text('and'), text('or'))],
    ['ANDROID ORACLE', and(text('ANDROID'), text('ORACLE'))],
    ['1=1', text('1=1')],
    ['a\\', text('a\\')],
    // boolean structure: implicit AND, precedence, grouping, flattening
    ['level:error user:u-81', and(eq(level, 'error'), eq(col('user'), 'u-81'))],
    ['level:error AND user:u-81', and(eq(level, 'error'), eq(col('user'), 'u-81'))],
    ['a:1 OR b:2', or(eq(tag('a'), '1'), eq(tag('b'), '2'))],
    ['a:1 OR b:2 c:3', or(eq(tag('a'), '1'), and(eq(tag('b'), '2'), eq(tag('c'), '3')))],
    ['a:1 b:2 OR c:3', or(and(eq(tag('a'), '1'), eq(tag('b'), '2')), eq(tag('c'), '3'))],
    [
      'a:1 AND b:2 OR c:3 AND d:4',
      or(and(eq(tag('a'), '1'), eq(tag('b'), '2')), and(eq(tag('c'), '3'), eq(tag('d'), '4'))),
    ],
    ['(a:1 OR b:2) c:3', and(or(eq(tag('a'), '1'), eq(tag('b'), '2')), eq(tag('c'), '3'))],
    ['a OR (b OR c) OR d', or(text('a'), text('b'), text('c'), text('d'))],
    ['a (b c) d', and(text('a'), text('b'), text('c'), text('d'))],
    ['((((level:error))))', eq(level, 'error')],
    ['(level:error)', eq(level, 'error')],
    ['(has:user)', has(col('user'))],
    ['(message:fn(x))', eq(col('message'), 'fn(x)')],
    ['a OR(b)', or(text('a'), text('b'))],
    [
      'level:error\tuser:u\nrelease:r',
      and(eq(level, 'error'), eq(col('user'), 'u'), eq(col('release'), 'r')),
    ],
    [
      'level:error !transaction:/health*',
      and(eq(level, 'error'), wild(col('transaction'), ['/health', ''], true)),
    ],
    // SQL-looking input is just values and free text, character for character
    ["level:error' OR 1=1 --", or(eq(level, "error'"), and(text('1=1'), text('--')))],
    [
      "message:'; DROP TABLE events; --",
      and(eq(col('message'), "';"), text('DROP'), text('TABLE'), text('events;'), text('--')),
    ],
    ['user:"\\" OR \\"1\\"=\\"1"', eq(col('user'), '" OR "1"="1')],
  ])('%j', (input, expected) => {
    expect(parsed(input, dataset)).toEqual(expected);
  });
});

describe('parseSearch on a sessions rule', () => {
  it.each<[string, Filter]>([
    ['environment:production', eq(col('environment'), 'production')],
    ['release:checkout@1.4.2', eq(col('release'), 'checkout@1.4.2')],
    ['!user:u-81', eq(col('user'), 'u-81', true)],
    ['status:crashed', eq(col('status'), 'crashed')],
    ['session.status:[crashed,abnormal]', isIn(col('status'), ['crashed', 'abnormal'])],
    ['release:checkout@* OR has:user', or(wild(col('release'), ['checkout@', '']), has(col('user')))],
  ])('%j', (input, expected) => {
    expect(parsed(input, 'sessions')).toEqual(expected);
  });

  it.each([
    ['level:error', 'unknown key "level" for a sessions rule (allowed: environment, release, user, status)'],
    [
      'foo:bar',
      'unknown key "foo" for a sessions rule (allowed: environment, release, user, status) (column 1)',
    ],
    ['duration:>100', 'unknown key "duration"'],
    ['transaction.duration:>1s', 'unknown key "transaction.duration"'],
    ['tags[status]:x', 'unknown key "tags[status]"'],
    ['has:browser', 'unknown key "browser"'],
    ['crashed', 'free text "crashed" is not allowed in a sessions rule'],
    ['release:a "quoted text"', 'free text ""quoted text"" is not allowed in a sessions rule'],
  ])('%j is rejected', (input, message) => {
    expect(parseError(input, 'sessions')).toContain(message);
  });
});

describe('parseSearch errors', () => {
  it.each([
    // parentheses
    ['(level:error', 'unbalanced parenthesis: "(" at column 1 is never closed'],
    ['a OR (level:error', 'unbalanced parenthesis: "(" at column 6 is never closed'],
    ['a)', 'unbalanced parenthesis: ")" at column 2 has no matching "("'],
    [')', 'unbalanced parenthesis: ")" at column 1 has no matching "("'],
    ['(a))', 'unbalanced parenthesis: ")" at column 4 has no matching "("'],
    ['()', 'empty parentheses at column 1'],
    ['a ( ) b', 'empty parentheses at column 3'],
    ['!(a b)', '"!" at column 1 cannot negate a group'],
    // operators
    ['AND a', '"AND" at column 1 needs a search term on each side'],
    ['a OR', '"OR" at column 3 needs a search term on each side'],
    ['a AND AND b', '"AND" at column 7 needs a search term on each side'],
    ['a OR AND b', '"AND" at column 6 needs a search term on each side'],
    ['(OR a)', '"OR" at column 2 needs a search term on each side'],
    ['(a AND)', '"AND" at column 4 needs a search term on each side'],
    ['OR', '"OR" at column 1 needs a search term on each side'],
    // lone punctuation and missing values
    ['!', '"!" at column 1 must be followed by a search term'],
    ['a ! b', '"!" at column 3 must be followed by a search term'],
    [':', '":" at column 1 has no key before it'],
    ['level :error', '":" at column 7 has no key before it'],
    ['level:', 'expected a value after "level:" at column 7'],
    ['x level: y', 'expected a value after "level:" at column 9'],
    ['(level:)', 'expected a value after "level:" at column 8'],
    ['has:', 'expected a value after "has:" at column 5'],
    ['has:bad$key', 'invalid key "bad$key" at column 5'],
    // quotes and lists
    ['message:"never closed', 'unterminated quoted value starting at column 9'],
    ['"never closed', 'unterminated quoted value starting at column 1'],
    ['message:"ends in backslash\\', 'unterminated quoted value starting at column 9'],
    ['message:"escaped quote\\"', 'unterminated quoted value starting at column 9'],
    ['message:"a"b', 'unexpected "b" at column 12 after a closing quote'],
    ['key:[a,b', 'unterminated list starting at column 5'],
    ['key:[a,"b', 'unterminated quoted value starting at column 8'],
    ['key:[]', 'empty value in the list at column 6'],
    ['key:[a,,b]', 'empty value in the list at column 8'],
    ['key:["a"b]', 'expected "," or "]" at column 9'],
    ['key:[a]b', 'unexpected "b" at column 8 after "]"'],
    // numbers
    ['duration:>abc', '"duration:>abc": a numeric comparison needs a number'],
    ['duration:>', '"duration:>": a numeric comparison needs a number'],
    ['(duration:<=)', '"duration:<=": a numeric comparison needs a number'],
    ['duration:>1.5x', 'a numeric comparison needs a number'],
    ['duration:>1e3', 'a numeric comparison needs a number'],
    ['duration:>"100"', 'a numeric comparison needs a number'],
    ['duration:100', '"duration:100": duration is numeric; use a comparison such as duration:>100'],
    ['transaction.duration:1s', 'use a comparison such as transaction.duration:>1s'],
    ['duration:[1,2]', 'use a comparison such as duration:>100'],
    ['duration:*', 'use a comparison such as duration:>100'],
    ['level:>5', '"level:>5": level is not numeric, so it cannot be compared; quote the value'],
    ['browser.name:<=2', '"browser.name:<=2": browser.name is not numeric'],
  ])('%j', (input, message) => {
    expect(parseError(input)).toContain(message);
  });

  it('keeps every error on one short line', () => {
    const error = parseError(`message:"${'x'.repeat(5_000)}\n${'y'.repeat(4_000)}`);
    expect(error).toBe('unterminated quoted value starting at column 9');
    expect(parseError(`level:>${'x \n'.repeat(100)}`)).not.toContain('\n');
    expect(parseError(`"${'a\n'.repeat(100)}"`, 'sessions').length).toBeLessThan(200);
  });
});

describe('parseSearch on hostile input', () => {
  const many = (term: string, separator: string, count: number) => Array(count).fill(term).join(separator);

  it.each<[string, string, (filter: Filter | null) => void]>([
    ['a 10,000-character word', 'a'.repeat(10_000), (f) => expect(f).toEqual(text('a'.repeat(10_000)))],
    [
      '2,000 implicit-AND terms',
      many('a:1', ' ', 2_000),
      (f) => expect(f?.type === 'and' && f.children.length).toBe(2_000),
    ],
    [
      '2,000 OR terms',
      many('a', ' OR ', 1_999),
      (f) => expect(f?.type === 'or' && f.children.length).toBe(1_999),
    ],
    ['50 levels of nesting', `${'('.repeat(50)}a${')'.repeat(50)}`, (f) => expect(f).toEqual(text('a'))],
    [
      'alternating groups',
      many('(a OR b)', ' ', 1_000),
      (f) => expect(f?.type === 'and' && f.children.length).toBe(1_000),
    ],
    [
      'a long quoted value',
      `message:"${'\\"'.repeat(4_000)}"`,
      (f) => expect(f).toEqual(eq(col('message'), '"'.repeat(4_000))),
    ],
    [
      'a long wildcard',
      `user:${'*a'.repeat(4_000)}`,
      (f) => expect(f?.type === 'wildcard' && f.parts.length).toBe(4_001),
    ],
    [
      'a long list',
      `user:[${many('u', ',', 4_000)}]`,
      (f) => expect(f?.type === 'in' && f.values.length).toBe(4_000),
    ],
    ['many backslashes', '\\'.repeat(10_000), (f) => expect(f).toEqual(text('\\'.repeat(5_000)))],
    ['key-colon pairs', 'a:'.repeat(5_000), (f) => expect(f).toEqual(eq(tag('a'), 'a:'.repeat(4_999)))],
    ['bangs', '!'.repeat(10_000), (f) => expect(f).toEqual(text('!'.repeat(9_999), true))],
  ])('parses %s quickly', (_name, input, check) => {
    const started = performance.now();
    const result = parseSearch(input, 'events');
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.ok).toBe(true);
    if (result.ok) check(result.filter);
  });

  it.each([
    [
      'a query over 10,000 characters',
      'a'.repeat(10_001),
      'query is 10001 characters long; the limit is 10000',
    ],
    [
      '51 levels of nesting',
      `${'('.repeat(51)}a${')'.repeat(51)}`,
      'nesting deeper than 50 levels at column 51',
    ],
    ['opening parentheses', '('.repeat(10_000), 'nesting deeper than 50 levels at column 51'],
    ['closing parentheses', ')'.repeat(10_000), '")" at column 1 has no matching "("'],
    ['quotes', '"'.repeat(10_000), 'unexpected """ at column 3 after a closing quote'],
    ['odd quotes', '"'.repeat(9_999), 'unexpected """ at column 3 after a closing quote'],
    ['colons', ':'.repeat(10_000), '":" at column 1 has no key before it'],
    ['brackets', `k:${'['.repeat(9_000)}`, 'unterminated list starting at column 3'],
    ['operators', 'AND '.repeat(2_500), '"AND" at column 1 needs a search term on each side'],
    ['comparisons', `duration:>${'>'.repeat(9_000)}`, 'a numeric comparison needs a number'],
    ['digits', `duration:>${'9'.repeat(400)}`, 'a numeric comparison needs a number'],
    [
      'key characters',
      `${'k'.repeat(201)}:v`,
      'invalid key "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…" at column 1',
    ],
    [
      'terms before an unclosed quote',
      `${many('a', ' ', 4_000)} "`,
      'unterminated quoted value starting at column 8001',
    ],
  ])('rejects a wall of %s quickly', (_name, input, message) => {
    const started = performance.now();
    const result = parseSearch(input, 'events');
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.ok ? 'parsed' : result.error).toContain(message);
  });
});

describe('parseSearch on random input', () => {
  // Weighted towards the syntax's own characters so most strings exercise something.
  const alphabet = [
    ...'ab:!"\\()[],* \t\n<>=.-_0159msh',
    'AND',
    'OR',
    'level',
    'duration',
    'has',
    'tags[',
    ' OR ',
    ' AND ',
  ];
  const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

  /** Groups hold at least two children and never directly nest a group of their own type. */
  function wellFormed(filter: Filter, parent?: 'and' | 'or'): boolean {
    if (filter.type !== 'and' && filter.type !== 'or') return true;
    if (filter.type === parent || filter.children.length < 2) return false;
    return filter.children.every((child) => wellFormed(child, filter.type));
  }

  it.each([
    ['syntax-heavy', 1, alphabet],
    ['printable ASCII', 2, printable],
  ])('never throws on %s strings', (_name, seed, pieces) => {
    const next = random(seed);
    const datasets = ['events', 'transactions', 'sessions'] as const;
    for (let i = 0; i < 3_000; i++) {
      const length = Math.floor(next() * 40);
      const input = Array.from({ length }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const dataset = datasets[i % 3] ?? 'events';
      let result: ReturnType<typeof parseSearch>;
      try {
        result = parseSearch(input, dataset);
      } catch (error) {
        throw new Error(`parseSearch threw on ${JSON.stringify(input)} (${dataset}): ${error}`);
      }
      const fine = result.ok
        ? result.filter === null || wellFormed(result.filter)
        : /^[^\n]+$/.test(result.error);
      if (!fine) expect.fail(`${JSON.stringify(input)} (${dataset}) gave ${JSON.stringify(result)}`);
    }
  });
});

// Parses a rule's `query` (Sentry's search syntax, docs/dataset-format.md) into the backend-neutral Filter.
// Bad input is an error value that names a column. One left-to-right scan with one token of lookahead keeps
// hostile input linear, and the nesting cap is checked before recursing, so no query can exhaust the stack.
import type { RuleDataset } from '../domain.ts';
import type { EventColumn, Field, Filter } from './model.ts';
import { EVENT_COLUMNS, NUMERIC_COLUMNS, SESSION_COLUMNS } from './model.ts';

export type SearchParseResult = { ok: true; filter: Filter | null } | { ok: false; error: string };

const MAX_QUERY_LENGTH = 10_000;
const MAX_DEPTH = 50;
const MAX_KEY_LENGTH = 200;
const TAG_KEY = /^[A-Za-z0-9_.:-]+$/;
const KEY_CHAR = /[A-Za-z0-9_.-]/;
const NUMBER = /^(-?(?:\d+(?:\.\d*)?|\.\d+))(ms|s|m|h)?$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const ALIASES: Record<RuleDataset, Record<string, string>> = {
  events: { 'transaction.duration': 'duration' },
  transactions: { 'transaction.duration': 'duration' },
  sessions: { 'session.status': 'status' },
};
const COMPARISONS = ['>=', '<=', '>', '<'] as const;

type Token =
  | { kind: 'open' | 'close' | 'and' | 'or' | 'end'; at: number }
  | { kind: 'term'; at: number; filter: Filter };

/** A value split at its unescaped `*`s; a single part means no wildcard. */
type Parts = string[];

class SearchError extends Error {}

function fail(message: string): never {
  throw new SearchError(message);
}

export function parseSearch(input: string, dataset: RuleDataset): SearchParseResult {
  if (input.length > MAX_QUERY_LENGTH) {
    return { ok: false, error: `query is ${input.length} characters long; the limit is ${MAX_QUERY_LENGTH}` };
  }
  try {
    return { ok: true, filter: new Parser(new Lexer(input, dataset)).query() };
  } catch (error) {
    if (error instanceof SearchError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Grammar: query = or; or = and ("OR" and)*; and = unit ("AND"? unit)*; unit = term | "(" or ")". */
class Parser {
  private lookahead: Token | null = null;

  constructor(private readonly lexer: Lexer) {}

  query(): Filter | null {
    if (this.peek().kind === 'end') return null;
    const filter = this.or(0);
    const rest = this.peek();
    if (rest.kind === 'close') strayParenthesis(rest);
    return filter;
  }

  private or(depth: number): Filter {
    const children = [this.and(depth)];
    for (let next = this.peek(); next.kind === 'or'; next = this.peek()) {
      this.take();
      children.push(this.and(depth, next));
    }
    return combine('or', children);
  }

  private and(depth: number, after?: Token): Filter {
    const children = [this.unit(depth, after)];
    for (;;) {
      const next = this.peek();
      if (next.kind === 'and') {
        this.take();
        children.push(this.unit(depth, next));
      } else if (next.kind === 'term' || next.kind === 'open') {
        children.push(this.unit(depth));
      } else {
        return combine('and', children);
      }
    }
  }

  /** `after` is the operator that asked for this unit: the one to blame when there is none. */
  private unit(depth: number, after?: Token): Filter {
    const token = this.take();
    if (token.kind === 'term') return token.filter;
    if (token.kind === 'open') return this.group(token, depth + 1);
    if (token.kind === 'and' || token.kind === 'or') operatorWithoutTerm(token);
    if (after) operatorWithoutTerm(after);
    if (token.kind === 'close') strayParenthesis(token);
    fail(`expected a search term at column ${token.at + 1}`);
  }

  private group(open: Token, depth: number): Filter {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels at column ${open.at + 1}`);
    const first = this.peek();
    if (first.kind === 'close') fail(`empty parentheses at column ${open.at + 1}`);
    if (first.kind !== 'end') {
      const inner = this.or(depth);
      if (this.take().kind === 'close') return inner;
    }
    fail(`unbalanced parenthesis: "(" at column ${open.at + 1} is never closed`);
  }

  private peek(): Token {
    this.lookahead ??= this.lexer.next();
    return this.lookahead;
  }

  private take(): Token {
    const token = this.peek();
    this.lookahead = null;
    return token;
  }
}

function operatorWithoutTerm(token: Token): never {
  fail(`"${token.kind.toUpperCase()}" at column ${token.at + 1} needs a search term on each side`);
}

function strayParenthesis(token: Token): never {
  fail(`unbalanced parenthesis: ")" at column ${token.at + 1} has no matching "("`);
}

/** Turns the text into tokens on demand; each term token already carries its Filter. */
class Lexer {
  private pos = 0;

  constructor(
    private readonly src: string,
    private readonly dataset: RuleDataset,
  ) {}

  next(): Token {
    this.skipSpace();
    const at = this.pos;
    const c = this.src[at];
    if (c === undefined) return { kind: 'end', at };
    if (c === '(' || c === ')') {
      this.pos++;
      return { kind: c === '(' ? 'open' : 'close', at };
    }
    for (const word of ['AND', 'OR'] as const) {
      if (this.src.startsWith(word, at) && endsWord(this.src[at + word.length])) {
        this.pos += word.length;
        return { kind: word === 'AND' ? 'and' : 'or', at };
      }
    }
    return { kind: 'term', at, filter: this.term() };
  }

  private term(): Filter {
    const start = this.pos;
    const negated = this.src[start] === '!';
    if (negated) this.pos++;
    const bodyAt = this.pos;
    const first = this.src[bodyAt];
    if (first === '(') fail(`"!" at column ${start + 1} cannot negate a group; negate each term inside it`);
    if (endsValue(first)) fail(`"!" at column ${start + 1} must be followed by a search term`);
    if (first === ':') fail(`":" at column ${bodyAt + 1} has no key before it`);
    const key = this.readKey();
    if (key !== null && this.src[this.pos] === ':') {
      this.pos++;
      return this.keyed(key, bodyAt, negated);
    }
    this.pos = bodyAt;
    return this.freeText(start, negated);
  }

  /** Key characters, or Sentry's `tags[name]`, which reaches tags named like columns or containing `:`. */
  private readKey(): string | null {
    const start = this.pos;
    while (isKeyChar(this.src[this.pos])) this.pos++;
    if (this.pos - start === 4 && this.src.startsWith('tags[', start)) {
      this.pos++;
      while (isKeyChar(this.src[this.pos]) || this.src[this.pos] === ':') this.pos++;
      if (this.src[this.pos] !== ']') return null;
      this.pos++;
    }
    return this.pos > start ? this.src.slice(start, this.pos) : null;
  }

  private keyed(key: string, keyAt: number, negated: boolean): Filter {
    const valueAt = this.pos;
    const first = this.src[valueAt];
    if (endsValue(first)) fail(`expected a value after "${excerpt(key)}:" at column ${valueAt + 1}`);
    if (key === 'has') {
      return { type: 'has', field: resolveField(this.scanUnquoted(false), this.dataset, valueAt), negated };
    }
    const field = resolveField(key, this.dataset, keyAt);
    if (field.kind === 'column' && NUMERIC_COLUMNS.has(field.name)) {
      return this.comparison(field, key, keyAt, negated);
    }
    if (first === '>' || first === '<') {
      this.scanUnquoted(false);
      fail(
        `"${excerpt(this.src.slice(keyAt, this.pos))}": ${excerpt(key)} is not numeric, so it cannot be compared; ` +
          `quote the value to match it literally (column ${keyAt + 1})`,
      );
    }
    if (first === '[') return this.list(field, negated);
    return valueFilter(field, this.value(false), negated);
  }

  private comparison(field: Field, key: string, keyAt: number, negated: boolean): Filter {
    const op = COMPARISONS.find((candidate) => this.src.startsWith(candidate, this.pos));
    if (op) this.pos += op.length;
    const raw = this.scanUnquoted(false);
    const term = `"${excerpt(this.src.slice(keyAt, this.pos))}"`;
    if (!op) {
      const example = `${key}:>${NUMBER.test(raw) ? excerpt(raw) : '100'}`;
      fail(`${term}: ${key} is numeric; use a comparison such as ${example} (column ${keyAt + 1})`);
    }
    const value = parseDuration(raw);
    if (value === null) {
      fail(
        `${term}: a numeric comparison needs a number, e.g. ${key}:${op}250 or ${key}:${op}1.5s (column ${keyAt + 1})`,
      );
    }
    return { type: 'compare', field, op, value, negated };
  }

  private list(field: Field, negated: boolean): Filter {
    const open = this.pos++;
    const items: Parts[] = [];
    for (;;) {
      this.skipSpace();
      const at = this.pos;
      const first = this.src[at];
      if (first === undefined) break;
      items.push(this.value(true));
      if (this.pos === at) fail(`empty value in the list at column ${at + 1}`);
      this.skipSpace();
      const separator = this.src[this.pos++];
      if (separator === ']') {
        this.expectTermEnd('"]"');
        return listFilter(field, items, negated);
      }
      if (separator === undefined) break;
      if (separator !== ',')
        fail(`expected "," or "]" at column ${this.pos} in the list at column ${open + 1}`);
    }
    fail(`unterminated list starting at column ${open + 1}`);
  }

  private freeText(start: number, negated: boolean): Filter {
    const value = this.value(false).join('*');
    if (this.dataset === 'sessions') {
      fail(
        `free text "${excerpt(this.src.slice(start, this.pos))}" is not allowed in a sessions rule, which has no ` +
          `message (allowed keys: ${SESSION_COLUMNS.join(', ')}) (column ${start + 1})`,
      );
    }
    return { type: 'text', value, negated };
  }

  private value(inList: boolean): Parts {
    if (this.src[this.pos] !== '"') return splitWildcards(this.scanUnquoted(inList));
    const parts = splitWildcards(this.scanQuoted());
    if (!inList) this.expectTermEnd('a closing quote');
    return parts;
  }

  /** Returns the text between the quotes; a backslash always takes the next character with it. */
  private scanQuoted(): string {
    const open = this.pos++;
    while (this.src[this.pos] !== '"') {
      if (this.pos >= this.src.length) fail(`unterminated quoted value starting at column ${open + 1}`);
      this.pos += this.src[this.pos] === '\\' ? 2 : 1;
    }
    return this.src.slice(open + 1, this.pos++);
  }

  /** Outside a list, a `)` ends the value only if it closes a group: `message:fn(x)` keeps its parens. */
  private scanUnquoted(inList: boolean): string {
    const start = this.pos;
    let depth = 0;
    for (let c = this.src[this.pos]; c !== undefined && !isSpace(c); c = this.src[++this.pos]) {
      if (inList && (c === ',' || c === ']')) break;
      if (!inList) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      if (depth < 0) break;
    }
    return this.src.slice(start, this.pos);
  }

  private expectTermEnd(after: string): void {
    const c = this.src[this.pos];
    if (!endsValue(c))
      fail(`unexpected "${c}" at column ${this.pos + 1} after ${after}; separate terms with a space`);
  }

  private skipSpace(): void {
    while (isSpace(this.src[this.pos])) this.pos++;
  }
}

function resolveField(key: string, dataset: RuleDataset, at: number): Field {
  const explicitTag = key.startsWith('tags[') && key.endsWith(']') ? key.slice(5, -1) : null;
  const name = ALIASES[dataset][key] ?? key;
  const columns: readonly string[] = dataset === 'sessions' ? SESSION_COLUMNS : EVENT_COLUMNS;
  if (explicitTag === null && columns.includes(name)) return { kind: 'column', name: name as EventColumn };
  if (dataset === 'sessions') {
    fail(
      `unknown key "${excerpt(key)}" for a sessions rule (allowed: ${SESSION_COLUMNS.join(', ')}) (column ${at + 1})`,
    );
  }
  const tag = explicitTag ?? key;
  if (tag.length > MAX_KEY_LENGTH || !TAG_KEY.test(tag)) {
    fail(
      `invalid key "${excerpt(key)}" at column ${at + 1}: a key is up to ${MAX_KEY_LENGTH} letters, digits and _ . : -`,
    );
  }
  return { kind: 'tag', name: tag };
}

function parseDuration(raw: string): number | null {
  const match = NUMBER.exec(raw);
  if (!match) return null;
  const factor = UNIT_MS[match[2] ?? 'ms'] ?? 1;
  // toPrecision drops the float noise of scaling: 1.1s is 1100 ms, not 1100.0000000000002.
  const value = factor === 1 ? Number(match[1]) : Number((Number(match[1]) * factor).toPrecision(15));
  return Number.isFinite(value) ? value : null;
}

function valueFilter(field: Field, parts: Parts, negated: boolean): Filter {
  return parts.length === 1
    ? { type: 'equals', field, value: parts[0] ?? '', negated }
    : { type: 'wildcard', field, parts, negated };
}

function listFilter(field: Field, items: Parts[], negated: boolean): Filter {
  if (items.every((parts) => parts.length === 1)) {
    return { type: 'in', field, values: items.map((parts) => parts[0] ?? ''), negated };
  }
  // A list with wildcards is one term per item; `!key:[a*,b]` must exclude every item, hence AND.
  return combine(
    negated ? 'and' : 'or',
    items.map((parts) => valueFilter(field, parts, negated)),
  );
}

/** Flattens children of the same type and unwraps a group of one. */
function combine(type: 'and' | 'or', children: Filter[]): Filter {
  const flat = children.flatMap((child) =>
    child.type === type && 'children' in child ? child.children : [child],
  );
  return flat.length === 1 && flat[0] ? flat[0] : { type, children: flat };
}

/** `\"`, `\\` and `\*` are escapes; any other backslash is literal. Unescaped `*`s split the parts. */
function splitWildcards(raw: string): Parts {
  const parts = [''];
  for (const [token, escaped] of raw.matchAll(/\\([\\"*])|\*|[^\\*]+|\\/g)) {
    if (token === '*') parts.push('');
    else parts[parts.length - 1] += escaped ?? token;
  }
  return parts;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isKeyChar = (c: string | undefined): boolean => c !== undefined && KEY_CHAR.test(c);
const endsValue = (c: string | undefined): boolean => c === undefined || c === ')' || isSpace(c);
const endsWord = (c: string | undefined): boolean => endsValue(c) || c === '(';

/** Keeps error messages one short line whatever the user typed. */
function excerpt(text: string): string {
  const flat = text.slice(0, 41).replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 40)}…` : flat;
}

// Arbitraries for fuzzing the public endpoints: real payloads (the fixtures) with a few values replaced,
// removed or retyped, and raw text around them. Mutations keep most of a payload intact so that the fuzzer
// reaches the code behind the schema checks, not only the first refusal.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';

type Json = unknown;
type Path = (string | number)[];

/** Every path to a value inside `value`, the root included. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  const paths: Path[] = [prefix];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) paths.push(...pathsOf(item, [...prefix, index]));
  } else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) paths.push(...pathsOf(item, [...prefix, key]));
  return paths;
}

function setAt(root: Json, path: Path, replacement: Json | undefined): Json {
  if (path.length === 0) return replacement;
  // An earlier edit replaced the whole payload: later paths no longer exist.
  if (root === null || typeof root !== 'object') return root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return copy;
    node = next as Record<string | number, unknown>;
  }
  const last = path.at(-1)!;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** Values that break assumptions: wrong types, huge numbers, odd strings, deep little structures. */
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    null,
    '',
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER + 2,
    '9'.repeat(40),
    '0x2a',
    '%E0%A4%A',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '**bold** [x](javascript:alert(1))',
    '\u0000\u202e',
    [],
    {},
    true,
  ),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);

/** `base` with one to four values replaced by hostile ones or removed. */
export function mutated(base: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(base);
  const edit = fc.tuple(fc.constantFrom(...paths), fc.option(hostileValue, { nil: undefined, freq: 5 }));
  return fc
    .array(edit, { minLength: 1, maxLength: 4 })
    .map((edits) => edits.reduce((value, [path, replacement]) => setAt(value, path, replacement), base));
}

/** The fixtures of a directory, parsed (dataset files excluded). */
export function fixturesIn(directory: URL): Json[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json') && !name.startsWith('dataset'))
    .map((name) => JSON.parse(readFileSync(new URL(name, directory), 'utf8')));
}

/** A body: mostly a mutated payload, sometimes raw text or bytes that are not JSON at all. */
export function bodies(payloads: readonly Json[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...payloads)
        .chain(mutated)
        .map((value) => JSON.stringify(value) ?? ''),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', '{', 'null', '[]', '"x"', '{"type":1e999}', '{"__proto__":{"x":1}}'),
    },
  );
}

/** A path segment as an attacker would type it: decimals, near-decimals, escapes, traversal. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 100_000 }).map(String),
  fc.constantFrom(
    '0x2a',
    '1e1',
    '042',
    '-1',
    '+1',
    '1.0',
    '%',
    '%zz',
    '%E0%A4%A',
    '..',
    '%2e%2e',
    '',
    ' ',
    '%00',
  ),
  fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text)),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{0,30}$/),
);

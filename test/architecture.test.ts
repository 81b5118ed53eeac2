// The arrows point one way: adapters and the demo import src/, never the reverse; src/ knows no platform SDK;
// inside src/ the layers point down (card → incidents → query, store → query), and no module imports itself
// back through others.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PLATFORM_PACKAGES = /^(discord\.js|discord-api-types|@discordjs\/|botbuilder|botframework-)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)]
    .map((m) => m[1]!)
    .concat([...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
}

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return textFiles(path);
    return /\.(ts|md|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Repository-relative paths of the files a file imports by relative path. */
function localImports(file: string): string[] {
  return imports(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(ROOT, resolve(dirname(file), specifier)));
}

/** Every import circle among `files` (Tarjan's strongly connected components, plus self-imports). */
function importCircles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) circles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return circles;
}

const src = sources(join(ROOT, 'src'));
const layer = (file: string) => relative(join(ROOT, 'src'), file).split('/')[0];

describe('dependency direction', () => {
  it('finds the sources it checks', () => {
    expect(src.length).toBeGreaterThan(30);
  });

  it.each(src.map((file) => [relative(ROOT, file), file]))(
    '%s imports no adapter, no demo and no platform SDK',
    (_name, file) => {
      for (const specifier of imports(file)) {
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(PLATFORM_PACKAGES);
      }
      for (const target of localImports(file)) {
        expect(target, `${file} imports ${target}`).toMatch(/^src\//);
      }
    },
  );

  // Each pair: files in the first folder of src/ never import the second.
  const forbidden: [string, string, string][] = [
    ['query', 'store', 'the query model and compilers know nothing of where rows are kept'],
    ['query', 'incidents', 'the query layer sits below the incident semantics'],
    ['query', 'card', 'the query layer sits below the card'],
    ['incidents', 'card', 'incident semantics feed the card, never the other way'],
    ['store', 'incidents', 'the store keeps rows; what they mean is decided above it'],
    ['store', 'card', 'the store keeps rows; cards are built above it'],
    ['incidents', 'store', 'domain types come from domain.ts, not the import format'],
    ['card', 'store', 'domain types come from domain.ts, not the import format'],
    ['handlers', 'store', 'handlers reach the store through repository.ts'],
    ['command', 'store', 'commands reach the store through repository.ts'],
  ];
  it.each(forbidden)('src/%s/ does not import src/%s/ (%s)', (from, to) => {
    for (const file of src.filter((candidate) => layer(candidate) === from)) {
      for (const target of localImports(file)) {
        expect(target, `${relative(ROOT, file)} imports ${target}`).not.toMatch(new RegExp(`^src/${to}/`));
      }
    }
  });

  it('adapters do not import each other', () => {
    for (const [platform, other] of [
      ['discord', 'teams'],
      ['teams', 'discord'],
    ] as const) {
      for (const file of sources(join(ROOT, 'adapters', platform))) {
        for (const specifier of imports(file)) expect(specifier).not.toContain(`/${other}/`);
      }
    }
  });

  it('refers to no document outside the repository (code, comments, --help text, docs)', () => {
    const texts = ['src', 'adapters', 'demo', 'bench', 'docs'].flatMap((dir) => textFiles(join(ROOT, dir)));
    texts.push(join(ROOT, 'README.md'));
    for (const file of texts) {
      const text = readFileSync(file, 'utf8');
      expect(text, relative(ROOT, file)).not.toMatch(
        /CONTRACT(\.md)? ?§|\.\.\/shared\/|STYLE\.md|ALERTING\.md/,
      );
    }
  });

  it('has no import circle in src/, adapters/ or demo/', () => {
    const files = ['src', 'adapters', 'demo'].flatMap((dir) => sources(join(ROOT, dir)));
    const graph = new Map(files.map((file) => [relative(ROOT, file), localImports(file)]));
    expect(importCircles(graph)).toEqual([]);
  });

  it('the circle finder finds a circle and a self-import, and nothing in a tree', () => {
    const circles = importCircles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a', 'd']],
        ['d', []],
        ['e', ['e']],
      ]),
    );
    expect(circles).toEqual([['a', 'b', 'c'], ['e']]);
    expect(
      importCircles(
        new Map([
          ['a', ['b', 'c']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
  });
});

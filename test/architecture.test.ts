// The arrows point one way: adapters import src/, never the reverse, and src/ knows no platform SDK.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

describe('dependency direction', () => {
  const files = sources(join(ROOT, 'src'));

  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))(
    '%s imports no adapter and no platform SDK',
    (_name, file) => {
      for (const specifier of imports(file)) {
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(PLATFORM_PACKAGES);
        expect(specifier, `${file} imports ${specifier}`).not.toMatch(/(^|\/)adapters\//);
      }
    },
  );

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
});

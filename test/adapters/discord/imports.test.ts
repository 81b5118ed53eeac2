// The arrows point one way: the Discord adapter imports from src/, never from another adapter, and nothing in
// src/ imports it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
    .map((match) => match[1]!)
    .map((target) => (target.startsWith('.') ? relative(ROOT, resolve(file, '..', target)) : target));
}

describe('import direction', () => {
  it('adapters/discord imports only src/, itself and chosen packages', () => {
    const wrong = sources('adapters/discord').flatMap((file) =>
      imports(file)
        .filter((target) => target.startsWith('adapters/') && !target.startsWith('adapters/discord/'))
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    );
    expect(wrong).toEqual([]);
    expect(sources('adapters/discord').flatMap(imports)).toContain('src/command/model.ts');
  });

  it('nothing in src/ imports the Discord adapter or a Discord library', () => {
    const wrong = sources('src').flatMap((file) =>
      imports(file)
        .filter(
          (target) =>
            target.startsWith('adapters/') || /^(discord\.js|discord-api-types|@discordjs\/)/.test(target),
        )
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});

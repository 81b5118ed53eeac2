// src/ answers with codes and data; only the adapters choose words. This keeps platform wording (command
// syntax, install instructions) from creeping back into src/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
/** Slash commands, @mentions, and the names of the places a platform installs into. */
const PLATFORM_WORDS =
  /(?<![\w./])\/incident(?![\w/-])|@bot\b|\bslash command|\bguild\b|\bMicrosoft 365\b|\bDiscord server\b/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('src/ speaks no platform', () => {
  // The demo generator names its sample installations; it is data, and it is leaving src/ for demo/.
  const files = sources(join(ROOT, 'src')).filter((file) => !file.includes(`${join('src', 'demo')}`));

  it('finds the sources it checks', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))('%s has no platform words', (_name, file) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const found = lines.filter((line) => PLATFORM_WORDS.test(line));
    expect(found).toEqual([]);
  });

  it('the adapters do have them (the check can fail)', () => {
    const words = readFileSync(join(ROOT, 'adapters/discord/words.ts'), 'utf8');
    expect(words).toMatch(PLATFORM_WORDS);
  });
});

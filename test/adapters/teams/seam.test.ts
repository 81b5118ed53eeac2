// The Bot Framework SDK stays behind the seam: only the authentication glue and bot.ts use botbuilder at run
// time; parsing, rendering and the responders see protocol JSON (type-only imports), so the Microsoft 365
// Agents SDK can replace botbuilder by reimplementing those files.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const DIR = new URL('../../../adapters/teams/', import.meta.url);
const SDK = /^(botbuilder|botframework-[a-z]+)$/;

/** Modules imported for values (not only `import type` / `type X` names). */
function runtimeImports(source: string): string[] {
  const statements = source.matchAll(/^import\s+(type\s+)?([\s\S]*?)\s+from\s+'([^']+)';/gm);
  return [...statements]
    .filter(([, typeOnly, names = '', from = '']) => {
      if (typeOnly || !SDK.test(from)) return false;
      const values = names
        .replace(/[{}]/g, '')
        .split(',')
        .map((name) => name.trim());
      return values.some((name) => name !== '' && !name.startsWith('type '));
    })
    .map(([, , , from = '']) => from);
}

it('only the authentication glue, bot.ts and deliver.ts import the Bot Framework SDK at run time', () => {
  const users = readdirSync(DIR)
    .filter((file) => file.endsWith('.ts'))
    .filter((file) => runtimeImports(readFileSync(new URL(file, DIR), 'utf8')).length > 0)
    .sort();
  // deliver.ts sends notifications: proactive messages need the SDK's adapter, like bot.ts.
  expect(users).toEqual(['auth-delegate.ts', 'bot.ts', 'client-reuse.ts', 'deliver.ts', 'verify.ts']);
});

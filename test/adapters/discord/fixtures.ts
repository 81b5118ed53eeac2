// Reads the interaction payloads under test/fixtures/discord, named after the situation they describe.
import { readFileSync } from 'node:fs';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/discord/${name}.json`, import.meta.url), 'utf8');
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

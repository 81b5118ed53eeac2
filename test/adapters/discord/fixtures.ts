// Reads the interaction payloads under test/fixtures/discord, named after the situation they describe.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';

const DISCORD_EPOCH = 1_420_070_400_000n;

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/discord/${name}.json`, import.meta.url), 'utf8');
}

/**
 * A payload with an interaction id of its own, as Discord sends: the server answers an id once (replay-guard.ts),
 * so a test that posts the same fixture twice is two interactions, not a replay. Post one object twice to replay.
 */
export function fixture(name: string): Record<string, unknown> {
  const payload = JSON.parse(fixtureText(name)) as Record<string, unknown>;
  return typeof payload.id === 'string' ? { ...payload, id: freshSnowflake() } : payload;
}

/** A snowflake of now (ms since Discord's epoch, shifted past the worker/sequence bits) with random low bits. */
export function freshSnowflake(): string {
  return ((BigInt(Date.now()) - DISCORD_EPOCH) * 4_194_304n + BigInt(randomInt(4_194_304))).toString();
}

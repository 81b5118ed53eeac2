// What the shared adapter contract asks of each platform: start the real server with the real adapter, put a
// situation to it the way the platform would (signed, through its HTTP route), and say what the user saw.
import { dataset as teamsDataset } from '../../fixtures/teams/dataset.ts';
import type { QueryBackend } from '../../../src/query/backend.ts';

/** Who asks: a member of Acme's or Globex's workspace, or of one that was never connected. */
export type Tenant = 'acme' | 'globex' | 'unknown';

export type Ask = { kind: 'help' } | { kind: 'show'; identifier: number };

/** What the asking user saw, in platform-neutral terms (the payload was checked against the platform's schema). */
export type Outcome = {
  /** The HTTP status of the platform's request. */
  status: number;
  kind: 'card' | 'error' | 'help';
  /** Every word of the answer (the payload as JSON). */
  text: string;
};

type DriverOptions = { wrapBackend?: (backend: QueryBackend) => QueryBackend };

export type Driver = {
  ask(tenant: Tenant, ask: Ask): Promise<Outcome>;
  close(): Promise<void>;
};

export type Platform = {
  name: 'discord' | 'teams';
  start(options?: DriverOptions): Promise<Driver>;
  /** How this platform's users address the bot in help (`/incident …`, `@bot …`). */
  commandPrefix: string;
  /** How this platform's users are told to list incidents. */
  listHint: string;
  /** Words that belong to the other platform and must never reach this one's users. */
  foreignWords: RegExp;
};

export const DISCORD_GUILDS: Record<Tenant, string> = {
  acme: '111122223333444455',
  globex: '222233334444555566',
  unknown: '999988887777666655',
};

/** The Teams fixture dataset (incident 42 in Acme, 7 in Globex), connected to both platforms. */
export const contractDataset = {
  ...teamsDataset,
  installations: [
    ...teamsDataset.installations,
    { platform: 'discord', tenantId: DISCORD_GUILDS.acme, organizationId: 'acme' },
    { platform: 'discord', tenantId: DISCORD_GUILDS.globex, organizationId: 'globex' },
  ],
};

/** An event store that cannot answer any metric query. */
export function failingBackend(backend: QueryBackend): QueryBackend {
  return Object.assign(Object.create(backend) as QueryBackend, {
    async runMetrics() {
      throw new Error('event store unreachable');
    },
  });
}

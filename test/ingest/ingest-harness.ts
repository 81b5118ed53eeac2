// A real server on loopback with the ingestion routes, a store holding the checkout organization, and keys
// created through the real `incident-cards keys create`.
import { CORE_WIRING } from '../support/cli-wiring.ts';
import type { AppOptions } from '../../src/app-factory.ts';
import { runCli } from '../../src/cli.ts';
import { createIngestion, type IngestionOptions } from '../../src/ingest/ingestion.ts';
import { type RunningServer, startServer } from '../../src/server.ts';
import { CHECKOUT_RULE } from '../fixtures/checkout-dataset.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

export type IngestHarness = TestApp & {
  server: RunningServer;
  /** `keys create <args>` against this store: its stdout lines. */
  keys(...args: string[]): Promise<string[]>;
  count(sql: string): Promise<number>;
};

export const RULES = [
  { ...CHECKOUT_RULE, query: '', environment: null },
  {
    ...CHECKOUT_RULE,
    id: 102,
    name: 'Checkout transactions',
    dataset: 'transactions',
    query: '',
    triggers: [],
  },
  {
    ...CHECKOUT_RULE,
    id: 103,
    name: 'Checkout crashes',
    dataset: 'sessions',
    aggregate: 'percentage(sessions_crashed, sessions) AS _crash_rate_alert_aggregate',
    query: '',
    environment: null,
    triggers: [],
  },
];

/** The checkout organization with projects 11 (acme) and 21 (globex), and one open incident per rule. */
export function ingestDataset(now: number) {
  const started = new Date(now - 60_000).toISOString();
  return {
    version: 1,
    organizations: [
      { id: 'acme', name: 'Acme' },
      { id: 'globex', name: 'Globex' },
    ],
    projects: [
      { id: 11, organizationId: 'acme', slug: 'checkout-api' },
      { id: 12, organizationId: 'acme', slug: 'checkout-web' },
      { id: 21, organizationId: 'globex', slug: 'globex-api' },
    ],
    alertRules: RULES,
    incidents: RULES.map((rule, index) => ({
      id: 5001 + index,
      identifier: 42 + index,
      organizationId: 'acme',
      alertRuleId: rule.id,
      title: rule.name,
      status: 'critical',
      dateStarted: started,
      projects: [11],
      triggers: [],
    })),
  };
}

export async function startIngestHarness(
  options: IngestionOptions & Pick<AppOptions, 'wrapBackend'> & { env?: Record<string, string> } = {},
): Promise<IngestHarness> {
  const test = await createTestApp({
    dataset: ingestDataset(Date.now()),
    wrapBackend: options.wrapBackend,
    env: options.env,
  });
  const server = await startServer(test.app, [() => createIngestion(test.app, test.store, options)], {
    port: 0,
    host: '127.0.0.1',
  });
  return {
    ...test,
    server,
    async keys(...args) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['keys', ...args], CORE_WIRING, {
        stdout: (line) => out.push(line),
        stderr: (line) => err.push(line),
        env: { DATA_DIR: test.dataDir, PUBLIC_URL: server.url, LOG_LEVEL: 'silent' },
      });
      if (code !== 0) throw new Error(`keys ${args.join(' ')} exited ${code}: ${err.join('\n')}`);
      return out;
    },
    count: (sql) =>
      test.store.database.withConnection(async (connection) =>
        Number((await connection.runAndReadAll(sql)).getRows()[0]?.[0] ?? 0),
      ),
    async close() {
      await server.close();
      await test.close();
    },
  };
}

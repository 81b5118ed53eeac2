// Parity: the same dataset imported into DuckDB, one ClickHouse server and the two-shard cluster gives the same
// card value for every incident, through the real flow (import → query builder → bulk runner → backend → card).
import { allCards, cardValues } from '../../fixtures/card-values.ts';
import { afterAll, expect, it } from 'vitest';
import { DEMO_TENANTS } from '../../../demo/generate.ts';
import { createClickHouseBackend } from '../../../src/query/backends/clickhouse.ts';
import { importDataset } from '../../../src/store/import/import.ts';
import { loadDemo } from '../../../demo/load.ts';
import { metricDataset, NOW } from '../../fixtures/metric-dataset.ts';
import {
  CLICKHOUSE_URL,
  CLICKHOUSE_URL_2,
  CLUSTER,
  describeWithClickHouse,
  sql,
  uniqueDatabase,
} from '../../fixtures/clickhouse/servers.ts';
import { createTestApp, type TestApp } from '../../support/test-app.ts';

const HOUR = 3_600_000;
const DEMO_NOW = Math.floor(Date.now() / HOUR) * HOUR;
const DEMO_EVENTS = 60_000;

type Variant = { name: string; cluster?: string; database?: string };
const VARIANTS: Variant[] = [
  { name: 'duckdb' },
  { name: 'clickhouse', database: uniqueDatabase('parity_single') },
  { name: 'clickhouse cluster', database: uniqueDatabase('parity_cluster'), cluster: CLUSTER },
];

async function openVariant(
  variant: Variant,
  load: (app: TestApp) => Promise<void>,
  now: number,
): Promise<TestApp> {
  const { database, cluster } = variant;
  const app = await createTestApp({
    now: () => now,
    ...(database && {
      backend: () => createClickHouseBackend({ url: CLICKHOUSE_URL, database, cluster, timeoutMs: 10_000 }),
    }),
  });
  await load(app);
  return app;
}

await describeWithClickHouse(
  'card values: DuckDB = ClickHouse = ClickHouse cluster',
  [CLICKHOUSE_URL, CLICKHOUSE_URL_2],
  () => {
    const apps: TestApp[] = [];

    afterAll(async () => {
      for (const app of apps) await app.close();
      for (const { database } of VARIANTS) {
        if (!database) continue;
        for (const url of [CLICKHOUSE_URL, CLICKHOUSE_URL_2]) {
          await sql(url, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
          await sql(url, `DROP DATABASE IF EXISTS ${database}_demo`).catch(() => undefined);
        }
      }
    });

    it('for every incident of the aggregate test dataset (every aggregate kind)', async () => {
      const results = [];
      for (const variant of VARIANTS) {
        const test = await openVariant(
          variant,
          async (app) => {
            const imported = await importDataset(app.store, metricDataset());
            if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
          },
          NOW,
        );
        apps.push(test);
        results.push(cardValues(await allCards(test, ['acme', 'other', 'brief'])));
      }
      const [duckdb, single, cluster] = results;
      expect(duckdb!.length).toBeGreaterThanOrEqual(12);
      expect(duckdb!.every((card) => card.error === null)).toBe(true);
      expect(single).toEqual(duckdb);
      expect(cluster).toEqual(duckdb);
    }, 120_000);

    it(`for every incident of the ${DEMO_EVENTS.toLocaleString('en-US')}-event demo dataset`, async () => {
      const results = [];
      for (const variant of VARIANTS) {
        const demoVariant = variant.database ? { ...variant, database: `${variant.database}_demo` } : variant;
        const test = await openVariant(
          demoVariant,
          async (app) => {
            const loaded = await loadDemo(app.store, { seed: 5, events: DEMO_EVENTS, now: DEMO_NOW });
            if (!loaded.ok) throw new Error(loaded.reason);
          },
          DEMO_NOW,
        );
        apps.push(test);
        results.push(cardValues(await allCards(test, Object.keys(DEMO_TENANTS))));
      }
      const [duckdb, single, cluster] = results;
      expect(duckdb!.length).toBeGreaterThan(10);
      expect(duckdb!.filter((card) => card.value !== null && card.value !== 0).length).toBeGreaterThan(5);
      expect(single).toEqual(duckdb);
      expect(cluster).toEqual(duckdb);
    }, 300_000);
  },
);

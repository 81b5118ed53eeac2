// The test set `npm run mutation` runs against each mutant: every unit and integration test that exercises the
// mutated code directly (the HTTP harness only for Teams authentication and the default deadlines), without the
// other whole-app HTTP harnesses, the CLI, the demo generator and the ClickHouse cluster/failure suites. Those
// re-run a full app start per mutant and would turn a 20-minute run into hours; what they check about the
// mutated files is also checked by the direct tests kept here.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'node_modules/**',
        'test/adapters/discord/interactions-*.test.ts',
        'test/adapters/teams/{failures,invokes,messages,seam,package}.test.ts',
        'test/cli/**',
        'test/demo/**',
        'test/architecture.test.ts',
        'test/store/**',
        'test/query/backends/clickhouse-{cluster,failure,retention,parity}.test.ts',
      ],
    },
  }),
);

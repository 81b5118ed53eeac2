// `npm run bench [-- <scenario>...]`: runs the named scenarios (default all) and merges their figures into
// bench/results.json. Each scenario module exports `run(): Promise<Figures>` and prints its own table.
import { type Figures, mergeResults } from './results.ts';

const SCENARIOS: Record<string, () => Promise<{ run(): Promise<Figures> }>> = {
  spine: () => import('./spine.ts'),
  discord: () => import('./discord.ts'),
  teams: () => import('./teams.ts'),
  unfurl: () => import('./unfurl.ts'),
  gateway: () => import('./gateway.ts'),
  alerting: () => import('./alerting.ts'),
  chdb: () => import('./chdb.ts'),
  ingest: () => import('./ingest.ts'),
  notify: () => import('./notify.ts'),
  charts: () => import('./charts.ts'),
  actions: () => import('./actions.ts'),
  soak: () => import('./soak.ts'),
};

/** Run only when named: the soak takes 10 minutes (SOAK_SECONDS), too long for "run every scenario". */
const NAMED_ONLY = new Set(['soak']);
const DEFAULT_SCENARIOS = Object.keys(SCENARIOS).filter((name) => !NAMED_ONLY.has(name));

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    `usage: npm run bench [-- <scenario>...]\nscenarios: ${Object.keys(SCENARIOS).join(', ')} (default: all but ${[...NAMED_ONLY].join(', ')})`,
  );
  process.exit(0);
}
const unknown = args.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  console.error(`unknown scenario ${unknown.join(', ')} (known: ${Object.keys(SCENARIOS).join(', ')})`);
  process.exit(2);
}
for (const name of args.length > 0 ? args : DEFAULT_SCENARIOS) {
  const scenario = await SCENARIOS[name]!();
  const figures = await scenario.run();
  await mergeResults(figures);
}
console.log('\nfigures merged into bench/results.json');

// The CLI wiring without platform adapters: what tests of src/'s own sub-commands hand runCli.
import { isDemoStore, startLiveTraffic } from '../../demo/live-traffic.ts';
import { loadDemo } from '../../demo/load.ts';
import type { CliWiring } from '../../src/cli/context.ts';

export const CORE_WIRING: CliWiring = {
  adapters: [],
  commands: [],
  renderers: {},
  demo: loadDemo,
  demoTraffic: { isDemoStore, start: startLiveTraffic },
};

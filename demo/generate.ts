// The demo dataset generator: a realistic, deterministic dataset (three organizations, 14 days of traffic,
// incidents whose windows really show what their rules alert on) for `incident-cards demo` and an empty store.
import type { EventRow, SessionRow } from '../src/query/backend.ts';
import { Dataset } from '../src/store/dataset.ts';
import { DEMO_TENANTS } from './catalog.ts';
import { EventFactory } from './events.ts';
import { Random, STREAM } from './random.ts';
import { planScenario, type Scenario } from './scenario.ts';
import { SessionFactory } from './sessions.ts';
import { type InjectedRow, injectedRows, Timeline } from './timeline.ts';
import { allocate, trafficShares } from './traffic.ts';
import { buildWorld, type OrgModel, type World } from './world.ts';

export { DEMO_TENANTS } from './catalog.ts';

export type DemoOptions = {
  /** Same seed, events and now: the same dataset, row for row. */
  seed: number;
  /** Event rows in total (errors and transactions). */
  events: number;
  /** End of the data (exclusive), epoch ms; the caller passes Date.now() rounded down to the hour. */
  now: number;
  /** Length of the period before `now`; default 14. */
  days?: number;
};

export type DemoDataset = {
  /** Organizations, installations, projects, alert rules and incidents; rows come from the batches. */
  metadata: Dataset;
  counts: { events: number; sessions: number };
  /**
   * Whether the rows really show each incident's spike. Needs about 10,000 events; smaller demos keep the
   * incidents but only normal traffic, so a caller may want to say so.
   */
  incidentsBacked: boolean;
  /** Exactly `options.events` rows, in ascending timestamp order. Every call starts over. */
  eventBatches(batchSize?: number): Generator<EventRow[]>;
  sessionBatches(batchSize?: number): Generator<SessionRow[]>;
};

export const DEFAULT_DEMO_DAYS = 14;
export const DEFAULT_BATCH_SIZE = 50_000;
/** About one session row per this many events. */
const EVENTS_PER_SESSION = 5;
const DAY = 86_400_000;

export function generateDemo(options: DemoOptions): DemoDataset {
  const { seed, events, now } = options;
  const days = options.days ?? DEFAULT_DEMO_DAYS;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`demo seed must be an integer, got ${seed}`);
  if (!Number.isSafeInteger(events) || events < 0)
    throw new RangeError(`demo events must be ≥ 0, got ${events}`);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new RangeError(`demo days must be 1..3650, got ${days}`);
  if (!Number.isSafeInteger(now) || now < days * DAY)
    throw new RangeError(`demo now must be epoch ms, got ${now}`);

  const start = now - days * DAY;
  const hours = days * 24;
  const world = buildWorld(now, Math.min(1, days / DEFAULT_DEMO_DAYS));
  const shares = trafficShares(world, start, hours, new Random(seed, STREAM.traffic));
  const sessions = Math.floor(events / EVENTS_PER_SESSION);
  const scenario = planScenario({
    world,
    shares,
    hours,
    now,
    days,
    events,
    sessions,
    random: new Random(seed, STREAM.scenario),
  });
  const eventAnomalies = injectedRows(scenario.injections, ['error', 'transaction'], start, now);
  const sessionAnomalies = injectedRows(scenario.injections, ['session'], start, now);
  const eventCounts = allocate(shares, events - eventAnomalies.length);
  const sessionCounts = allocate(shares, sessions - sessionAnomalies.length);

  const eventPlan = { start, hours, counts: eventCounts, anomalies: eventAnomalies, orgs: world.orgs };
  const sessionPlan = { start, hours, counts: sessionCounts, anomalies: sessionAnomalies, orgs: world.orgs };
  return {
    metadata: metadata(world, scenario),
    counts: { events, sessions },
    incidentsBacked: scenario.backed,
    eventBatches: (batchSize = DEFAULT_BATCH_SIZE) => {
      const random = new Random(seed, STREAM.events);
      return rowBatches(
        eventPlan,
        random,
        new EventFactory(world, scenario.modifiers, seed, random),
        batchSize,
      );
    },
    sessionBatches: (batchSize = DEFAULT_BATCH_SIZE) => {
      const random = new Random(seed, STREAM.sessions);
      return rowBatches(
        sessionPlan,
        random,
        new SessionFactory(world, scenario.modifiers, seed, random),
        batchSize,
      );
    },
  };
}

type RowFactory<Row> = {
  normal(org: OrgModel, time: number, index: number): Row;
  injected(row: InjectedRow, index: number): Row;
};

type RowPlan = {
  start: number;
  hours: number;
  /** Normal rows per organization and hour. */
  counts: Int32Array;
  anomalies: readonly InjectedRow[];
  orgs: readonly OrgModel[];
};

function rowBatches<Row>(
  plan: RowPlan,
  random: Random,
  rows: RowFactory<Row>,
  batchSize: number,
): Generator<Row[]> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  }
  return (function* () {
    const timeline = new Timeline(plan.start, plan.hours, plan.counts, plan.anomalies, random);
    let batch: Row[] = [];
    let index = 0;
    while (timeline.advance()) {
      const injected = timeline.injected;
      batch.push(
        injected
          ? rows.injected(injected, index)
          : rows.normal(plan.orgs[timeline.org]!, timeline.time, index),
      );
      index++;
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  })();
}

function metadata(world: World, scenario: Scenario): Dataset {
  return Dataset.parse({
    version: 1,
    organizations: world.orgs.map(({ spec }) => ({ id: spec.id, name: spec.name, retentionDays: 90 })),
    installations: world.orgs.flatMap(({ spec }) => {
      const tenant = DEMO_TENANTS[spec.id as keyof typeof DEMO_TENANTS];
      return [
        { platform: 'discord', tenantId: tenant.discordGuildId, organizationId: spec.id },
        { platform: 'teams', tenantId: tenant.teamsTenantId, organizationId: spec.id },
      ];
    }),
    projects: world.orgs.flatMap((org) =>
      org.projectList.map((project) => ({ id: project.id, organizationId: org.spec.id, slug: project.slug })),
    ),
    alertRules: scenario.rules,
    incidents: scenario.incidents,
    events: [],
    sessions: [],
  });
}

// Turns the story into the dataset's alert rules and incidents, and into the anomalies that back them:
// every trigger's window really shows what its rule alerts on.
import type { AlertRule, Incident, IncidentTrigger } from '../src/domain.ts';
import {
  type Anomalies,
  addIncidentAnomalies,
  type Injection,
  isVolumeRule,
  type Modifier,
  ruleTargets,
  type Thresholds,
} from './anomalies.ts';
import { type IncidentTimes, incidentTimes } from './incident-times.ts';
import type { Random } from './random.ts';
import { type RuleStory, STORIES } from './story.ts';
import { busiestWindow, volumeThresholds } from './thresholds.ts';
import type { World } from './world.ts';

export type ScenarioInput = {
  world: World;
  shares: Float64Array;
  hours: number;
  now: number;
  days: number;
  /** Rows the whole demo holds. */
  events: number;
  sessions: number;
  random: Random;
};

export type Scenario = {
  rules: AlertRule[];
  incidents: Incident[];
  injections: Injection[];
  /** By project id. */
  modifiers: ReadonlyMap<number, readonly Modifier[]>;
  /** False when the demo is too small for spikes (a few thousand events): incidents without their anomalies. */
  backed: boolean;
};

/** At most this share of the rows are anomalies; smaller demos get smaller (but still crossing) spikes. */
const ANOMALY_BUDGET = 0.25;

export function planScenario(input: ScenarioInput): Scenario {
  const stories = STORIES.map((story) => ({
    story,
    targets: ruleTargets(story, input.world),
    times: story.incidents.map((incident) =>
      incidentTimes(story, incident, input.now, input.days, input.random),
    ),
    peak: isVolumeRule(story)
      ? busiestWindow(story, input.world, input.events, input.shares, input.hours)
      : 0,
  }));
  const plan = (scale: Scale) => {
    const anomalies: Anomalies = { injections: [], modifiers: new Map() };
    const thresholds = stories.map(({ story, targets, times, peak }) => {
      const limits = isVolumeRule(story) ? volumeThresholds(story, peak, scale.events) : story;
      const rowScale = story.dataset === 'sessions' ? scale.sessions : scale.events;
      for (const t of times) addIncidentAnomalies(anomalies, story, targets, t, limits, rowScale);
      return limits;
    });
    return { anomalies, thresholds, ...countRows(anomalies.injections) };
  };
  const full = plan({ events: 1, sessions: 1 });
  const scaled = plan({
    events: Math.min(1, (ANOMALY_BUDGET * input.events) / Math.max(1, full.events)),
    sessions: Math.min(1, (ANOMALY_BUDGET * input.sessions) / Math.max(1, full.sessions)),
  });
  // Below about 9,000 events the spikes would drown the traffic: keep the incidents, with normal rows only.
  const tooSmall = scaled.events > input.events / 2 || scaled.sessions > input.sessions / 2;
  const injections = tooSmall ? [] : scaled.anomalies.injections;
  return {
    rules: stories.map(({ story }, i) => alertRule(story, scaled.thresholds[i]!)),
    incidents: incidents(stories),
    injections,
    modifiers: tooSmall ? new Map() : scaled.anomalies.modifiers,
    backed: !tooSmall,
  };
}

type Scale = { events: number; sessions: number };

function countRows(injections: readonly Injection[]): { events: number; sessions: number } {
  let events = 0;
  let sessions = 0;
  for (const injection of injections) {
    if (injection.kind === 'session') sessions += injection.count;
    else events += injection.count;
  }
  return { events, sessions };
}

const criticalTriggerId = (story: RuleStory) => story.id * 10 + 1;
const warningTriggerId = (story: RuleStory) => story.id * 10 + 2;

function alertRule(story: RuleStory, thresholds: Thresholds): AlertRule {
  return {
    id: story.id,
    organizationId: story.org,
    name: story.name,
    dataset: story.dataset,
    aggregate: story.aggregate,
    query: story.query,
    environment: story.environment,
    timeWindow: story.timeWindow,
    projects: story.projects,
    thresholdType: story.thresholdType,
    resolveThreshold: story.resolveThreshold,
    enabled: true,
    thresholdPeriod: 1,
    comparisonDelta: null,
    triggers: [
      { id: criticalTriggerId(story), label: 'critical', alertThreshold: thresholds.critical },
      { id: warningTriggerId(story), label: 'warning', alertThreshold: thresholds.warning },
    ],
  };
}

type Dated = { story: RuleStory; times: IncidentTimes[] };

/** Incidents numbered 1..n per organization in order of their start, as Sentry numbers them. */
function incidents(rules: readonly Dated[]): Incident[] {
  const all = rules.flatMap(({ story, times }) =>
    times.map((t, i) => ({ story, times: t, status: story.incidents[i]!.status })),
  );
  const orgs = [...new Set(all.map(({ story }) => story.org))];
  const out: Incident[] = [];
  for (const org of orgs) {
    const mine = all
      .filter(({ story }) => story.org === org)
      .sort((a, b) => a.times.started - b.times.started);
    mine.forEach(({ story, times, status }, i) => {
      out.push({
        id: 5001 + out.length,
        identifier: i + 1,
        organizationId: org,
        alertRuleId: story.id,
        title: story.name,
        status,
        dateStarted: iso(times.started),
        dateClosed: times.closed === null ? null : iso(times.closed),
        projects: story.projects,
        triggers: status === 'open' ? [] : triggers(story, times),
      });
    });
  }
  return out;
}

// A resolved incident's triggers all changed when it closed: a card then shows the value that resolved it.
function triggers(story: RuleStory, times: IncidentTimes): IncidentTrigger[] {
  const resolvedAt = times.closed === null ? null : iso(times.closed);
  const list: IncidentTrigger[] = [];
  if (times.critical !== null) {
    list.push({
      alertRuleTriggerId: criticalTriggerId(story),
      status: resolvedAt ? 'resolved' : 'active',
      dateModified: resolvedAt ?? iso(times.critical),
    });
  }
  list.push({
    alertRuleTriggerId: warningTriggerId(story),
    status: resolvedAt ? 'resolved' : 'active',
    dateModified: resolvedAt ?? iso(times.started),
  });
  return list;
}

/** ISO-8601 UTC without milliseconds, like the dataset format's examples. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

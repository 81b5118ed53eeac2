// The rows behind each incident. Count rules get extra matching rows at a rate above the threshold; rate
// rules (latency, failure rate, apdex, crash rate) change how matching rows behave, and get enough extra
// samples in every window a card measures that the metric is stable even in a small demo.
import type { IncidentTimes } from './incident-times.ts';
import { Picker } from './random.ts';
import type { Effect as StoryEffect, RuleStory } from './story.ts';
import type { MessageSpec, Tags, TransactionSpec } from './vocabulary.ts';
import type { ProjectModel, World } from './world.ts';

/** How rows behave: null keeps the project's normal behaviour. */
export type Effect = { durationFactor: number; failureShare: number | null; crashShare: number | null };

/** Changes rows of one project that match the rule, while the incident lasts. */
export type Modifier = {
  from: number;
  to: number;
  environment: string | null;
  transactions: ReadonlySet<string> | null;
  tags: Tags | null;
  effect: Effect;
};

export type InjectionTarget = {
  project: ProjectModel;
  transactions: Picker<TransactionSpec>;
  messages: Picker<MessageSpec>;
  tags: Picker<Tags>;
};

/** `count` extra rows evenly spaced over `[from, to)`, spread over the targets in turn. */
export type Injection = {
  kind: 'error' | 'transaction' | 'session';
  targets: readonly InjectionTarget[];
  environment: string;
  from: number;
  to: number;
  count: number;
  /** Where this injection starts in the evenly spread sequence, so injections don't repeat each other. */
  phase: number;
  effect: Effect;
  /** Each row has another user: what a count_unique(user) or crash-free-users rule reacts to. */
  distinctUsers: boolean;
};

export type Anomalies = { injections: Injection[]; modifiers: Map<number, Modifier[]> };

/** Volume rules: rows per window at each level, as multiples of the thresholds. */
const WARNING_VOLUME = 1.3;
const CRITICAL_VOLUME = 1.5;
/** Rate rules: extra samples per time window a card measures, and the fewest that still show a percentile. */
const SAMPLES_PER_WINDOW = { transaction: 120, session: 150 } as const;
const MIN_SAMPLES_PER_WINDOW = { transaction: 30, session: 80 } as const;
const NORMAL: Effect = { durationFactor: 1, failureShare: null, crashShare: null };
/** After a fix ships (a rollback, a hotfix release), its sessions stop crashing. */
const RECOVERED: Effect = { durationFactor: 1, failureShare: null, crashShare: 0 };

export type Thresholds = { warning: number; critical: number };

export function isVolumeRule(story: RuleStory): boolean {
  return story.aggregate === 'count()' || story.aggregate === 'count_unique(user)';
}

export function ruleTargets(story: RuleStory, world: World): InjectionTarget[] {
  const { target } = story;
  return story.projects.map((id) => {
    const project = world.projects.get(id);
    if (!project) throw new Error(`demo rule ${story.id}: unknown project ${id}`);
    const names = target.transactions;
    const base = story.dataset === 'events' ? project.errorTransactions : project.transactions;
    const message = target.message;
    const levels = target.levels;
    const tagFilter = Object.entries(target.tags ?? {});
    return {
      project,
      transactions: names ? project.transactions.filter((txn) => names.includes(txn.name)) : base,
      messages: message
        ? new Picker([{ message, level: target.level ?? 'error', weight: 1 }], [1])
        : levels
          ? project.messages.filter((spec) => levels.includes(spec.level))
          : project.messages,
      tags: project.tags.filter((tags) => tagFilter.every(([key, value]) => tags[key] === value)),
    };
  });
}

/** Adds the rows and modifiers of one incident. `scale` shrinks them for small demos. */
export function addIncidentAnomalies(
  out: Anomalies,
  story: RuleStory,
  targets: readonly InjectionTarget[],
  times: IncidentTimes,
  thresholds: Thresholds,
  scale: number,
): void {
  const windowMs = story.timeWindow * 1000;
  const environment = story.environment ?? 'production';
  const kind =
    story.dataset === 'events' ? 'error' : story.dataset === 'sessions' ? 'session' : 'transaction';
  const warningFrom = times.started - windowMs;
  const criticalFrom = times.critical === null ? null : times.critical - windowMs;
  const inject = (from: number, to: number, count: number, effect: Effect, distinctUsers: boolean) => {
    if (to <= from || count <= 0) return;
    const phase = (out.injections.length * 0.37) % 1;
    out.injections.push({ kind, targets, environment, from, to, count, phase, effect, distinctUsers });
  };

  if (isVolumeRule(story)) {
    const distinct = story.aggregate === 'count_unique(user)';
    const perMs = (WARNING_VOLUME * thresholds.warning) / windowMs;
    inject(
      warningFrom,
      times.anomalyEnd,
      Math.round(perMs * (times.anomalyEnd - warningFrom)),
      NORMAL,
      distinct,
    );
    if (criticalFrom !== null) {
      const extraPerMs =
        (CRITICAL_VOLUME * thresholds.critical - WARNING_VOLUME * thresholds.warning) / windowMs;
      const count = Math.round(extraPerMs * (times.anomalyEnd - criticalFrom));
      inject(criticalFrom, times.anomalyEnd, count, NORMAL, distinct);
    }
    return;
  }

  const effects = story.effects;
  if (!effects) throw new Error(`demo rule ${story.id}: a rate rule needs effects`);
  const segments: [number, number, Effect][] = [
    [warningFrom, criticalFrom ?? times.anomalyEnd, toEffect(effects.warning)],
    ...(criticalFrom === null
      ? []
      : [[criticalFrom, times.anomalyEnd, toEffect(effects.critical)] as [number, number, Effect]]),
  ];
  for (const [from, to, effect] of segments) {
    if (to <= from) continue;
    for (const { project } of targets) {
      const list = out.modifiers.get(project.id) ?? [];
      list.push({
        from,
        to,
        environment: story.environment,
        transactions: story.target.transactions ? new Set(story.target.transactions) : null,
        tags: story.target.tags ?? null,
        effect,
      });
      out.modifiers.set(project.id, list);
    }
  }
  segments.push([times.anomalyEnd, Number.POSITIVE_INFINITY, RECOVERED]);
  const sampleKind = kind === 'session' ? 'session' : 'transaction';
  const samples = Math.max(MIN_SAMPLES_PER_WINDOW[sampleKind], SAMPLES_PER_WINDOW[sampleKind] * scale);
  for (const [windowFrom, windowTo] of measuredWindows(times, windowMs)) {
    for (const [from, to, effect] of segments) {
      const a = Math.max(from, windowFrom);
      const b = Math.min(to, windowTo);
      inject(a, b, Math.round((samples * (b - a)) / windowMs), effect, kind === 'session');
    }
  }
}

/** The windows a card or a check measures: before each trigger change, before the start and at `now`. */
function measuredWindows(times: IncidentTimes, windowMs: number): [number, number][] {
  const ends = [times.started, times.critical, times.closed ?? times.now].filter(
    (t): t is number => t !== null,
  );
  const windows = ends.map((end): [number, number] => [end - windowMs, end]).sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const window of windows) {
    const last = merged.at(-1);
    if (last && window[0] <= last[1]) last[1] = Math.max(last[1], window[1]);
    else merged.push([window[0], window[1]]);
  }
  return merged;
}

function toEffect(effect: StoryEffect): Effect {
  return {
    durationFactor: effect.durationFactor ?? 1,
    failureShare: effect.failureShare ?? null,
    crashShare: effect.crashShare ?? null,
  };
}

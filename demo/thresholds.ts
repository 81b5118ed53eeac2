// Thresholds of count rules that make sense for the data: above the busiest normal window (so normal
// traffic never fires them), and smaller for small demos (so their spikes still fit the row budget).
import type { Thresholds } from './anomalies.ts';
import { STAGING_SHARE } from './catalog.ts';
import type { RuleStory } from './story.ts';
import { peakShare } from './traffic.ts';
import type { ProjectModel, World } from './world.ts';

/** Count thresholds stay at least this many times above the busiest normal window. */
const HEADROOM = 3;
/** Below this a spike is indistinguishable from noise. */
const MIN_WARNING = 5;

/** An upper bound of the rule's matching rows in one window of the busiest hour, without any anomaly. */
export function busiestWindow(
  story: RuleStory,
  world: World,
  events: number,
  shares: Float64Array,
  hours: number,
): number {
  let rows = 0;
  for (const id of story.projects) {
    const project = world.projects.get(id)!;
    const org = project.org;
    const projectShare = org.projects.share((p) => p === project);
    const kindShare =
      story.dataset === 'events' ? 1 - project.traits.transactionShare : project.traits.transactionShare;
    const envShare =
      story.environment === null ? 1 : story.environment === 'staging' ? STAGING_SHARE : 1 - STAGING_SHARE;
    const peakHourRows = events * peakShare(shares, org.index, hours);
    const perHour = peakHourRows * projectShare * kindShare * envShare * queryShare(story.query, project);
    const perWindow = perHour * (story.timeWindow / 3600);
    rows +=
      story.aggregate === 'count_unique(user)'
        ? expectedDistinctUsers(org.spec.users, perWindow * project.traits.userShare)
        : perWindow;
  }
  return rows;
}

/** How many distinct users `draws` skewed draws (see skewedUser) are expected to hit. */
function expectedDistinctUsers(pool: number, draws: number): number {
  let distinct = 0;
  let below = 0;
  for (let n = 1; n <= pool; n++) {
    const upTo = Math.cbrt(n / pool);
    distinct += 1 - (1 - (upTo - below)) ** draws;
    below = upTo;
  }
  return distinct;
}

// Positive `key:value` / `key:[a,b]` terms on the level or a tag; other terms can only match fewer rows.
const TERM = /(?:^|\s)([\w.]+):(\[[^\]]*\]|[^\s*]+)(?=\s|$)/g;

/** The share of a project's rows that the query's level and tag terms keep. */
function queryShare(query: string, project: ProjectModel): number {
  let share = 1;
  for (const [, key, raw] of query.matchAll(TERM)) {
    const values = raw!.replace(/^\[|\]$/g, '').split(',');
    if (key === 'level') share *= project.messages.share((m) => values.includes(m.level));
    else if (project.tags.items.some((tags) => key! in tags))
      share *= project.tags.share((tags) => values.includes(tags[key!]!));
  }
  return share;
}

export function volumeThresholds(story: RuleStory, busiest: number, scale: number): Thresholds {
  const warning = Math.max(story.warning * scale, HEADROOM * busiest, MIN_WARNING);
  if (warning === story.warning) return story;
  const nice = niceCeil(warning);
  return { warning: nice, critical: niceCeil((nice * story.critical) / story.warning) };
}

/** The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^n) at or above x. */
function niceCeil(x: number): number {
  if (x <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * power >= x) return m * power;
  return 10 * power;
}

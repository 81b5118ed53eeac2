// When each story incident happens: its start, escalation, resolution and how long its anomaly lasts.
import type { Random } from './random.ts';
import type { IncidentStory, RuleStory } from './story.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type IncidentTimes = {
  now: number;
  /** dateStarted: the warning (or, without a warning phase, the critical) trigger fired. */
  started: number;
  /** The critical trigger fired; null when the incident never got past warning. */
  critical: number | null;
  /** dateClosed of a resolved incident. */
  closed: number | null;
  /** The anomaly stops here: one window (and a minute) before a resolution, or at `now`. */
  anomalyEnd: number;
};

/** Ongoing incidents keep their hours; older ones are squeezed into demos shorter than 14 days. */
const RECENT_HOURS = 6;
const STORY_HOURS = 14 * 24;
/** Room the oldest incident needs before the data starts (its window) and after (its duration). */
const MARGIN_HOURS = 7;

function hoursBeforeNow(hoursAgo: number, days: number): number {
  if (hoursAgo <= RECENT_HOURS) return hoursAgo;
  const squeeze = Math.min(
    1,
    (days * 24 - RECENT_HOURS - MARGIN_HOURS) / (STORY_HOURS - RECENT_HOURS - MARGIN_HOURS),
  );
  return RECENT_HOURS + (hoursAgo - RECENT_HOURS) * squeeze;
}

/** The start moves by a few random minutes per seed: different seeds tell the story at slightly different times. */
export function incidentTimes(
  story: RuleStory,
  incident: IncidentStory,
  now: number,
  days: number,
  random: Random,
): IncidentTimes {
  const jitter = random.int(10) * MINUTE;
  const started =
    Math.floor((now - hoursBeforeNow(incident.hoursAgo, days) * HOUR - jitter) / MINUTE) * MINUTE;
  const critical = incident.peak === 'critical' ? started + (incident.escalateMinutes ?? 0) * MINUTE : null;
  const closed = incident.status === 'resolved' ? started + (incident.minutes ?? 60) * MINUTE : null;
  const anomalyEnd = closed === null ? now : closed - story.timeWindow * 1000 - MINUTE;
  if (anomalyEnd <= (critical ?? started) || (critical ?? started) >= now) {
    throw new Error(
      `demo rule ${story.id}: incident at ${incident.hoursAgo}h ago is too short for its window`,
    );
  }
  return { now, started, critical, closed, anomalyEnd };
}

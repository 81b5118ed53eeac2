// Releases per project: a few ship during the demo period and each gradually replaces the previous one
// (minutes for a deploy, days for an app-store rollout). Staging sees each release a day earlier.
import { KIND_TRAITS, type ProjectSpec } from './catalog.ts';
import type { Random } from './random.ts';

const HOUR = 3_600_000;

/** When releases start, in hours before `now` for a 14-day demo; the first one predates the data. */
const RELEASE_HOURS_AGO = [100_000, 300, 226, 151, 78, 24];
const STAGING_LEAD = 24 * HOUR;

export class Releases {
  readonly names: readonly string[];
  private readonly starts: Float64Array;
  private readonly rolloutMs: number;
  private readonly stragglerShare: number;

  /** `compress` squeezes the schedule into demos shorter than 14 days. */
  constructor(project: ProjectSpec, now: number, compress: number) {
    const traits = KIND_TRAITS[project.kind];
    // Each project deploys on its own schedule: shift it by a few hours.
    const shift = ((project.id * 37) % 11) - 5;
    const mobile = project.kind === 'ios' || project.kind === 'android';
    this.names = RELEASE_HOURS_AGO.map((_, i) =>
      mobile
        ? `${project.slug}@5.${10 + i}.0+${400 + project.id * 3 + i * 7}`
        : `${project.slug}@${1 + (project.id % 3)}.${10 + i}.${(project.id + i) % 3}`,
    );
    this.starts = Float64Array.from(RELEASE_HOURS_AGO, (hours) => now - (hours + shift) * compress * HOUR);
    this.rolloutMs = traits.rolloutHours * HOUR;
    this.stragglerShare = traits.stragglerShare;
  }

  /** The release a random event at `time` runs. */
  at(time: number, staging: boolean, random: Random): string {
    const t = staging ? time + STAGING_LEAD : time;
    let i = this.latestIndex(t);
    if (i > 0) {
      const adoption = (t - this.starts[i]!) / this.rolloutMs;
      if (adoption < 1 && random.next() >= adoption) i--;
      else if (this.stragglerShare > 0 && random.next() < this.stragglerShare) i--;
    }
    return this.names[i]!;
  }

  /** The newest release at `time`: where a bad deploy's crashes come from. */
  latest(time: number): string {
    return this.names[this.latestIndex(time)]!;
  }

  private latestIndex(time: number): number {
    let i = this.starts.length - 1;
    while (i > 0 && this.starts[i]! > time) i--;
    return i;
  }
}

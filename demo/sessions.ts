// Builds the demo's session rows (release health): mostly clean exits, a few errored sessions and a small
// crash share that rises while a crash-rate incident is under way.
import type { SessionRow } from '../src/query/backend.ts';
import { STAGING_SHARE } from './catalog.ts';
import { distinctUser } from './events.ts';
import type { Modifier } from './anomalies.ts';
import { evenlySpread, type Random } from './random.ts';
import type { InjectedRow } from './timeline.ts';
import { type OrgModel, type ProjectModel, skewedUser, type World } from './world.ts';

const ERRORED_SHARE = 0.03;
const ABNORMAL_SHARE = 0.001;

export class SessionFactory {
  private readonly idPrefix: string;

  constructor(
    private readonly world: World,
    private readonly modifiers: ReadonlyMap<number, readonly Modifier[]>,
    seed: number,
    private readonly random: Random,
  ) {
    this.idPrefix = `demo-${seed}-s`;
  }

  normal(org: OrgModel, time: number, index: number): SessionRow {
    const r = this.random;
    const project = org.sessionProjects.pick(r);
    const staging = r.next() < STAGING_SHARE;
    const environment = staging ? 'staging' : 'production';
    const release = project.releases.at(time, staging, r);
    const user = this.world.users[skewedUser(org, r.next())]!;
    const crashShare = this.crashShareAt(project, environment, time);
    const u = r.next();
    if (u < crashShare) return this.row(index, time, project, environment, release, user, 'crashed', 1);
    if (u < crashShare + ABNORMAL_SHARE)
      return this.row(index, time, project, environment, release, user, 'abnormal', 1);
    if (u < crashShare + ABNORMAL_SHARE + ERRORED_SHARE) {
      return this.row(index, time, project, environment, release, user, 'errored', 1);
    }
    // Healthy sessions of one user and release arrive pre-aggregated, as SDKs flush them.
    const quantity = 1 + Math.floor(r.next() ** 3 * 4);
    return this.row(index, time, project, environment, release, user, 'exited', quantity);
  }

  injected({ time, injection, ordinal }: InjectedRow, index: number): SessionRow {
    const { project } = injection.targets[ordinal % injection.targets.length]!;
    const crashShare = injection.effect.crashShare ?? project.traits.crashShare;
    const crashed = evenlySpread(ordinal, injection.phase) < crashShare;
    // A crash spike comes with the newest release: that is the one to roll back.
    const release = project.releases.latest(time);
    const user = this.world.users[distinctUser(project.org, ordinal, injection.phase)]!;
    return this.row(
      index,
      time,
      project,
      injection.environment,
      release,
      user,
      crashed ? 'crashed' : 'exited',
      1,
    );
  }

  private crashShareAt(project: ProjectModel, environment: string, time: number): number {
    const modifiers = this.modifiers.get(project.id);
    if (modifiers) {
      for (const m of modifiers) {
        if (m.effect.crashShare === null || time < m.from || time >= m.to) continue;
        if (m.environment === null || m.environment === environment) return m.effect.crashShare;
      }
    }
    return project.traits.crashShare;
  }

  private row(
    index: number,
    timestamp: number,
    project: ProjectModel,
    environment: string,
    release: string,
    user: string,
    status: SessionRow['status'],
    quantity: number,
  ): SessionRow {
    return {
      id: this.idPrefix + index,
      timestamp,
      projectId: project.id,
      environment,
      release,
      user,
      status,
      quantity,
    };
  }
}

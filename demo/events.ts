// Builds the demo's event rows: normal errors and transactions sampled from the world (bent by any
// incident under way), and the anomaly rows the scenario asks for.
import type { EventRow } from '../src/query/backend.ts';
import type { Effect, InjectionTarget, Modifier } from './anomalies.ts';
import { STAGING_SHARE } from './catalog.ts';
import { evenlySpread, inverseNormal, Picker, type Random, SPREAD } from './random.ts';
import type { InjectedRow } from './timeline.ts';
import {
  FAILURE_STATUSES,
  type MessageSpec,
  OUTAGE_STATUSES,
  type Tags,
  type TransactionSpec,
} from './vocabulary.ts';
import { type OrgModel, type ProjectModel, skewedUser, type World } from './world.ts';

export class EventFactory {
  private readonly idPrefix: string;
  private readonly failures = Picker.of(FAILURE_STATUSES);
  private readonly outage = Picker.of(OUTAGE_STATUSES);

  constructor(
    private readonly world: World,
    private readonly modifiers: ReadonlyMap<number, readonly Modifier[]>,
    seed: number,
    private readonly random: Random,
  ) {
    this.idPrefix = `demo-${seed}-`;
  }

  normal(org: OrgModel, time: number, index: number): EventRow {
    const r = this.random;
    const project = org.projects.pick(r);
    const staging = r.next() < STAGING_SHARE;
    const environment = staging ? 'staging' : 'production';
    const release = project.releases.at(time, staging, r);
    const user = r.next() < project.traits.userShare ? this.world.users[skewedUser(org, r.next())]! : null;
    const tags = project.tags.pick(r);
    if (r.next() < project.traits.transactionShare) {
      const txn = project.transactions.pick(r);
      const effect = this.effectAt(project, environment, txn, tags, time);
      const duration = txn.medianMs * (effect?.durationFactor ?? 1) * Math.exp(txn.sigma * r.normal());
      const outage = effect?.failureShare != null;
      const failed = r.next() < (outage ? effect.failureShare! : txn.failureShare);
      const status = failed ? (outage ? this.outage : this.failures).pick(r).status : 'ok';
      return this.transaction(index, time, project, environment, user, release, txn, duration, status, tags);
    }
    const message = project.messages.pick(r);
    const txn = project.errorTransactions.pick(r);
    return this.error(index, time, project, environment, user, release, message, txn.name, tags);
  }

  injected({ time, injection, ordinal }: InjectedRow, index: number): EventRow {
    const r = this.random;
    const target: InjectionTarget = injection.targets[ordinal % injection.targets.length]!;
    const { project } = target;
    const org = project.org;
    const environment = injection.environment;
    const user = injection.distinctUsers
      ? this.world.users[distinctUser(org, ordinal, injection.phase)]!
      : this.world.users[skewedUser(org, r.next())]!;
    const release = project.releases.at(time, environment === 'staging', r);
    const tags = target.tags.pick(r);
    const txn = target.transactions.pick(r);
    if (injection.kind === 'transaction') {
      const { effect } = injection;
      const z = inverseNormal(evenlySpread(ordinal, injection.phase));
      const duration = txn.medianMs * effect.durationFactor * Math.exp(txn.sigma * z);
      const share = effect.failureShare ?? txn.failureShare;
      const failed = evenlySpread(ordinal, injection.phase, SPREAD.second) < share;
      const status = failed
        ? (effect.failureShare === null ? this.failures : this.outage).pick(r).status
        : 'ok';
      return this.transaction(index, time, project, environment, user, release, txn, duration, status, tags);
    }
    const message = target.messages.pick(r);
    return this.error(index, time, project, environment, user, release, message, txn.name, tags);
  }

  private error(
    index: number,
    time: number,
    project: ProjectModel,
    environment: string,
    user: string | null,
    release: string,
    message: MessageSpec,
    transaction: string,
    tags: Tags,
  ): EventRow {
    return row(
      this.idPrefix + index,
      time,
      project.id,
      'error',
      environment,
      message.level,
      message.message,
      user,
      release,
      transaction,
      null,
      null,
      tags,
    );
  }

  private transaction(
    index: number,
    time: number,
    project: ProjectModel,
    environment: string,
    user: string | null,
    release: string,
    txn: TransactionSpec,
    duration: number,
    status: string,
    tags: Tags,
  ): EventRow {
    const ms = Math.round(duration * 10) / 10;
    return row(
      this.idPrefix + index,
      time,
      project.id,
      'transaction',
      environment,
      'info',
      null,
      user,
      release,
      txn.name,
      ms,
      status,
      tags,
    );
  }

  /** The effect of an incident under way on this row, if any. */
  private effectAt(
    project: ProjectModel,
    environment: string,
    txn: TransactionSpec,
    tags: Tags,
    time: number,
  ): Effect | null {
    const modifiers = this.modifiers.get(project.id);
    if (!modifiers) return null;
    for (const m of modifiers) {
      if (time < m.from || time >= m.to) continue;
      if (m.environment !== null && m.environment !== environment) continue;
      if (m.transactions !== null && !m.transactions.has(txn.name)) continue;
      if (m.tags !== null && !matchesTags(tags, m.tags)) continue;
      return m.effect;
    }
    return null;
  }
}

function matchesTags(tags: Tags, wanted: Tags): boolean {
  for (const key in wanted) if (tags[key] !== wanted[key]) return false;
  return true;
}

/** Consecutive ordinals get different users (7919 is prime, so it walks the whole pool). */
export function distinctUser(org: OrgModel, ordinal: number, phase: number): number {
  const pool = org.spec.users;
  return 1 + ((Math.floor(phase * pool) + ordinal * 7919) % pool);
}

// One literal for every row keeps a single object shape, which the stores iterate fastest.
function row(
  id: string,
  timestamp: number,
  projectId: number,
  eventType: 'error' | 'transaction',
  environment: string,
  level: string,
  message: string | null,
  user: string | null,
  release: string,
  transaction: string,
  duration: number | null,
  status: string | null,
  tags: Tags,
): EventRow {
  return {
    id,
    timestamp,
    projectId,
    eventType,
    environment,
    level,
    message,
    user,
    release,
    transaction,
    duration,
    status,
    tags,
  };
}

// Compiles the catalog into what the generators sample from: weighted pickers, release schedules, user ids.
// Built once per dataset, so nothing per event has to look anything up by name.
import { KIND_TRAITS, type KindTraits, ORGS, type OrgSpec, type ProjectSpec } from './catalog.ts';
import { Picker } from './random.ts';
import { Releases } from './releases.ts';
import {
  CLIENT_TAGS,
  MESSAGES,
  type MessageSpec,
  type PlatformKind,
  type TagSpec,
  type Tags,
  TRANSACTIONS,
  type TransactionSpec,
} from './vocabulary.ts';

export type ProjectModel = {
  id: number;
  slug: string;
  kind: PlatformKind;
  org: OrgModel;
  traits: KindTraits;
  transactions: Picker<TransactionSpec>;
  /** Where errors happen (never in health checks). */
  errorTransactions: Picker<TransactionSpec>;
  messages: Picker<MessageSpec>;
  tags: Picker<Tags>;
  releases: Releases;
};

export type OrgModel = {
  spec: OrgSpec;
  index: number;
  projectList: ProjectModel[];
  projects: Picker<ProjectModel>;
  sessionProjects: Picker<ProjectModel>;
};

export type World = {
  orgs: OrgModel[];
  projects: ReadonlyMap<number, ProjectModel>;
  /** `u-1`, `u-2`...: index n holds `u-<n>`, shared by every organization. */
  users: readonly string[];
};

export function buildWorld(now: number, compress: number): World {
  const projects = new Map<number, ProjectModel>();
  const orgs = ORGS.map((spec, index) => {
    const org = { spec, index, projectList: [] as ProjectModel[] } as OrgModel;
    org.projectList = spec.projects.map((project) => buildProject(project, org, now, compress));
    org.projects = new Picker(
      org.projectList,
      spec.projects.map((project) => project.weight),
    );
    const withSessions = org.projectList.filter((project) => project.traits.sessions);
    org.sessionProjects = new Picker(
      withSessions,
      withSessions.map((project) => spec.projects.find((p) => p.id === project.id)!.weight),
    );
    for (const project of org.projectList) projects.set(project.id, project);
    return org;
  });
  const maxUsers = Math.max(...ORGS.map((org) => org.users));
  const users = Array.from({ length: maxUsers + 1 }, (_, n) => `u-${n}`);
  return { orgs, projects, users };
}

function buildProject(spec: ProjectSpec, org: OrgModel, now: number, compress: number): ProjectModel {
  const transactions = TRANSACTIONS[spec.profile];
  return {
    id: spec.id,
    slug: spec.slug,
    kind: spec.kind,
    org,
    traits: KIND_TRAITS[spec.kind],
    transactions: Picker.of(transactions),
    errorTransactions: new Picker(
      transactions.filter((txn) => txn.errorWeight > 0),
      transactions.filter((txn) => txn.errorWeight > 0).map((txn) => txn.errorWeight),
    ),
    messages: Picker.of(MESSAGES[spec.kind]),
    tags: tagPicker(spec.kind === 'backend' ? backendTags(org.spec) : CLIENT_TAGS[spec.kind]),
    releases: new Releases(spec, now, compress),
  };
}

function backendTags(org: OrgSpec): TagSpec[] {
  return org.regions.map(([region, weight]) => ({
    tags: Object.freeze({ region, 'os.name': 'Linux' }),
    weight,
  }));
}

function tagPicker(specs: readonly TagSpec[]): Picker<Tags> {
  return new Picker(
    specs.map((spec) => spec.tags),
    specs.map((spec) => spec.weight),
  );
}

/** A skewed user: a few heavy users produce much of the traffic, as in real products. */
export function skewedUser(org: OrgModel, u: number): number {
  return 1 + Math.floor(org.spec.users * u * u * u);
}

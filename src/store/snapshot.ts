// The metadata repository: an in-memory snapshot of organizations, installations, rules and incidents.
// Lookups are synchronous, so autocomplete and tenancy checks never wait on the event store.
import type { AlertRule, Incident, Installation, Member, Organization, Project } from '../domain.ts';
import type { Activity } from '../lifecycle/activity.ts';
import type { Metadata } from './duckdb/metadata.ts';
import type { ConversationReferenceRecord, IncidentRecord, IncidentRepository, Page } from '../repository.ts';

type Indexes = {
  organizations: Map<string, Organization>;
  tenants: Map<string, Installation>;
  membersByOrg: Map<string, Member[]>;
  projects: Map<number, Project>;
  projectsByOrg: Map<string, Project[]>;
  rules: Map<number, AlertRule>;
  /** Per organization, newest first. */
  incidentsByOrg: Map<string, Incident[]>;
  byIdentifier: Map<string, Incident>;
};

export type SnapshotSource = {
  load(): Promise<Metadata>;
  saveConversationReference(record: ConversationReferenceRecord): Promise<void>;
  activity(incidentId: number): Promise<Activity[]>;
};

export async function createSnapshotRepository(source: SnapshotSource): Promise<IncidentRepository> {
  let indexes = buildIndexes(await source.load());
  return {
    organizationForTenant(platform, tenantId) {
      const installation = indexes.tenants.get(`${platform}:${tenantId}`);
      return installation ? (indexes.organizations.get(installation.organizationId) ?? null) : null;
    },
    findInstallation: (platform, tenantId) => indexes.tenants.get(`${platform}:${tenantId}`) ?? null,
    findOrganization: (organizationId) => indexes.organizations.get(organizationId) ?? null,
    findIncident(organizationId, identifier) {
      const incident = indexes.byIdentifier.get(`${organizationId}/${identifier}`);
      return incident ? toRecord(incident, indexes) : null;
    },
    listRules: (organizationId) =>
      [...indexes.rules.values()]
        .filter((rule) => rule.organizationId === organizationId)
        .sort((a, b) => a.id - b.id),
    listIncidents(organizationId, { status, openOnly, skip, count }) {
      const all = indexes.incidentsByOrg.get(organizationId) ?? [];
      const matching = all.filter((incident) =>
        status ? incident.status === status : !openOnly || incident.status !== 'resolved',
      );
      return page(matching, skip, count);
    },
    searchIncidents(organizationId, text, { skip, count }) {
      const all = indexes.incidentsByOrg.get(organizationId) ?? [];
      return page(all.filter(matcher(text)), skip, count);
    },
    saveConversationReference: (record) => source.saveConversationReference(record),
    incidentActivity: (incidentId) => source.activity(incidentId),
    putIncident(incident) {
      const key = `${incident.organizationId}/${incident.identifier}`;
      const previous = indexes.byIdentifier.get(key);
      // Never step back: a reload that read the store before this change may have landed first.
      if (previous && (previous.version ?? 1) > (incident.version ?? 1)) return;
      indexes.byIdentifier.set(key, incident);
      const list = indexes.incidentsByOrg.get(incident.organizationId) ?? [];
      const at = previous ? list.indexOf(previous) : -1;
      if (at >= 0) list[at] = incident;
      else indexes.incidentsByOrg.set(incident.organizationId, sortNewestFirst([...list, incident]));
    },
    async reload() {
      indexes = buildIndexes(await source.load());
    },
  };
}

function page<T>(items: T[], skip: number, count: number): Page<T> {
  return { items: items.slice(skip, skip + count), total: items.length };
}

/** Identifier prefix ("4" finds 42) or every word of the title, case-insensitively. */
function matcher(text: string): (incident: Incident) => boolean {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return () => true;
  return (incident) => {
    if (words.length === 1 && /^\d+$/.test(words[0]!))
      return String(incident.identifier).startsWith(words[0]!);
    const title = incident.title.toLowerCase();
    return words.every((word) => title.includes(word));
  };
}

function toRecord(incident: Incident, indexes: Indexes): IncidentRecord | null {
  const organization = indexes.organizations.get(incident.organizationId);
  const rule = indexes.rules.get(incident.alertRuleId);
  if (!organization || !rule) return null;
  return {
    incident,
    rule,
    organization,
    projects: scopeProjects(incident, rule, indexes),
    members: indexes.membersByOrg.get(incident.organizationId) ?? [],
  };
}

/**
 * The incident's projects, else the rule's, else every project of the organization — always only projects
 * that belong to the incident's organization, so no query reaches another tenant's events.
 */
function scopeProjects(incident: Incident, rule: AlertRule, indexes: Indexes): Project[] {
  const own = (ids: number[]) =>
    ids
      .map((id) => indexes.projects.get(id))
      .filter((project): project is Project => project?.organizationId === incident.organizationId);
  const fromIncident = own(incident.projects);
  if (fromIncident.length > 0) return fromIncident;
  const fromRule = own(rule.projects);
  if (fromRule.length > 0) return fromRule;
  return indexes.projectsByOrg.get(incident.organizationId) ?? [];
}

function buildIndexes(metadata: Metadata): Indexes {
  const projectsByOrg = new Map<string, Project[]>();
  for (const project of metadata.projects) {
    projectsByOrg.set(project.organizationId, [
      ...(projectsByOrg.get(project.organizationId) ?? []),
      project,
    ]);
  }
  const incidentsByOrg = new Map<string, Incident[]>();
  const byIdentifier = new Map<string, Incident>();
  for (const incident of sortNewestFirst([...metadata.incidents])) {
    const list = incidentsByOrg.get(incident.organizationId) ?? [];
    list.push(incident);
    incidentsByOrg.set(incident.organizationId, list);
    byIdentifier.set(`${incident.organizationId}/${incident.identifier}`, incident);
  }
  const membersByOrg = new Map<string, Member[]>();
  for (const member of metadata.members) {
    membersByOrg.set(member.organizationId, [...(membersByOrg.get(member.organizationId) ?? []), member]);
  }
  return {
    organizations: new Map(metadata.organizations.map((o) => [o.id, o])),
    tenants: new Map(metadata.installations.map((i) => [`${i.platform}:${i.tenantId}`, i])),
    membersByOrg,
    projects: new Map(metadata.projects.map((p) => [p.id, p])),
    projectsByOrg,
    rules: new Map(metadata.alertRules.map((r) => [r.id, r])),
    incidentsByOrg,
    byIdentifier,
  };
}

function sortNewestFirst(incidents: Incident[]): Incident[] {
  return incidents.sort(
    (a, b) => Date.parse(b.dateStarted) - Date.parse(a.dateStarted) || b.identifier - a.identifier,
  );
}

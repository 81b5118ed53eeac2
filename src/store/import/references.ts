// Cross-reference checks of a dataset against itself and the store it goes into: every id a record names
// (subscriptions' included) exists, belongs to the same organization, and every rule's aggregate and query parse.
import { compileRule } from '../../query/compile-rule.ts';
import type { Dataset } from '../dataset.ts';
import type { Metadata } from '../duckdb/metadata.ts';

export type ReferenceIssue = { path: (string | number)[]; reason: string };

type Known = {
  organizations: Set<string>;
  projects: Map<number, string>;
  rules: Map<number, { organizationId: string; triggers: Set<number> }>;
  identifiers: Map<string, number>;
};

function known(existing: Metadata, dataset: Dataset): Known {
  const organizations = new Set([...existing.organizations, ...dataset.organizations].map((o) => o.id));
  const projects = new Map([...existing.projects, ...dataset.projects].map((p) => [p.id, p.organizationId]));
  const rules = new Map(
    [...existing.alertRules, ...dataset.alertRules].map((r) => [
      r.id,
      { organizationId: r.organizationId, triggers: new Set(r.triggers.map((t) => t.id)) },
    ]),
  );
  const replaced = new Set(dataset.incidents.map((i) => i.id));
  const identifiers = new Map(
    existing.incidents
      .filter((i) => !replaced.has(i.id))
      .map((i) => [`${i.organizationId}/${i.identifier}`, i.id]),
  );
  return { organizations, projects, rules, identifiers };
}

export function checkReferences(existing: Metadata, dataset: Dataset): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const k = known(existing, dataset);
  const orgExists = (path: (string | number)[], id: string) => {
    if (!k.organizations.has(id)) issues.push({ path, reason: `unknown organization "${id}"` });
  };
  const projectsOf = (path: (string | number)[], ids: number[], organizationId: string) => {
    ids.forEach((id, index) => {
      const owner = k.projects.get(id);
      if (owner === undefined) issues.push({ path: [...path, index], reason: `unknown project ${id}` });
      else if (owner !== organizationId) {
        issues.push({ path: [...path, index], reason: `project ${id} belongs to organization "${owner}"` });
      }
    });
  };

  dataset.installations.forEach((installation, i) => {
    orgExists(['installations', i, 'organizationId'], installation.organizationId);
  });
  dataset.members.forEach((member, i) => {
    orgExists(['members', i, 'organizationId'], member.organizationId);
  });
  dataset.projects.forEach((project, i) => {
    orgExists(['projects', i, 'organizationId'], project.organizationId);
  });
  dataset.alertRules.forEach((rule, i) => {
    orgExists(['alertRules', i, 'organizationId'], rule.organizationId);
    projectsOf(['alertRules', i, 'projects'], rule.projects, rule.organizationId);
    const compiled = compileRule(rule);
    if (!compiled.ok)
      issues.push({ path: ['alertRules', i, compiled.error.split(':')[0]!], reason: compiled.error });
  });
  dataset.incidents.forEach((incident, i) => {
    const path = ['incidents', i];
    orgExists([...path, 'organizationId'], incident.organizationId);
    projectsOf([...path, 'projects'], incident.projects, incident.organizationId);
    const rule = k.rules.get(incident.alertRuleId);
    if (!rule)
      issues.push({ path: [...path, 'alertRuleId'], reason: `unknown alert rule ${incident.alertRuleId}` });
    else if (rule.organizationId !== incident.organizationId) {
      issues.push({
        path: [...path, 'alertRuleId'],
        reason: `alert rule ${incident.alertRuleId} belongs to "${rule.organizationId}"`,
      });
    }
    incident.triggers.forEach((trigger, t) => {
      if (rule && !rule.triggers.has(trigger.alertRuleTriggerId)) {
        issues.push({
          path: [...path, 'triggers', t, 'alertRuleTriggerId'],
          reason: `alert rule ${incident.alertRuleId} has no trigger ${trigger.alertRuleTriggerId}`,
        });
      }
    });
    if (incident.dateClosed && Date.parse(incident.dateClosed) < Date.parse(incident.dateStarted)) {
      issues.push({ path: [...path, 'dateClosed'], reason: 'dateClosed is before dateStarted' });
    }
    const key = `${incident.organizationId}/${incident.identifier}`;
    const holder = k.identifiers.get(key);
    if (holder !== undefined && holder !== incident.id) {
      issues.push({
        path: [...path, 'identifier'],
        reason: `identifier ${incident.identifier} is already used by incident ${holder} in "${incident.organizationId}"`,
      });
    }
    k.identifiers.set(key, incident.id);
  });
  const projectExists = (section: 'events' | 'sessions') => (row: { projectId: number }, i: number) => {
    if (!k.projects.has(row.projectId)) {
      issues.push({ path: [section, i, 'projectId'], reason: `unknown project ${row.projectId}` });
    }
  };
  dataset.projectKeys.forEach((key, i) => {
    orgExists(['projectKeys', i, 'organizationId'], key.organizationId);
    if (key.projectId !== undefined && key.projectId !== null) {
      projectsOf(['projectKeys', i, 'projectId'], [key.projectId], key.organizationId);
    }
  });
  dataset.subscriptions.forEach((subscription, i) => {
    const path = ['subscriptions', i];
    orgExists([...path, 'organizationId'], subscription.organizationId);
    if (subscription.ruleId === null) return;
    const rule = k.rules.get(subscription.ruleId);
    if (!rule)
      issues.push({ path: [...path, 'ruleId'], reason: `unknown alert rule ${subscription.ruleId}` });
    else if (rule.organizationId !== subscription.organizationId) {
      issues.push({
        path: [...path, 'ruleId'],
        reason: `alert rule ${subscription.ruleId} belongs to "${rule.organizationId}"`,
      });
    }
  });
  dataset.events.forEach(projectExists('events'));
  dataset.sessions.forEach(projectExists('sessions'));
  return issues;
}

// Who owns what, across an import: a record appears once per dataset (a second copy would be dropped yet
// counted), and an import does not silently move a project, rule, incident or installation that the store
// already holds to another organization (which would hand its data to that organization's workspaces). Moving
// is possible, but only when asked for (`import --allow-move`).
import type { Dataset } from '../dataset.ts';
import type { Metadata } from '../duckdb/metadata.ts';
import type { ReferenceIssue } from './references.ts';

type Section = 'organizations' | 'installations' | 'projects' | 'alertRules' | 'incidents';

const KEYS: Record<Section, (record: never) => string> = {
  organizations: (record: { id: string }) => record.id,
  installations: (record: { platform: string; tenantId: string }) => `${record.platform} ${record.tenantId}`,
  projects: (record: { id: number }) => String(record.id),
  alertRules: (record: { id: number }) => String(record.id),
  incidents: (record: { id: number }) => String(record.id),
} as Record<Section, (record: never) => string>;

const WORDS: Record<Section, string> = {
  organizations: 'organization',
  installations: 'installation',
  projects: 'project',
  alertRules: 'alert rule',
  incidents: 'incident',
};

export function checkOwnership(
  existing: Metadata,
  dataset: Dataset,
  options: { allowMove?: boolean } = {},
): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  for (const section of Object.keys(KEYS) as Section[]) {
    const key = KEYS[section] as (record: unknown) => string;
    const first = new Map<string, number>();
    (dataset[section] as unknown[]).forEach((record, index) => {
      const id = key(record);
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, index);
      else
        issues.push({
          path: [section, index],
          reason: `duplicate ${WORDS[section]} ${id} (also ${section}[${earlier}])`,
        });
    });
    if (section === 'organizations' || options.allowMove) continue;
    const owners = new Map(
      (existing[section] as { organizationId: string }[]).map((record) => [
        key(record),
        record.organizationId,
      ]),
    );
    (dataset[section] as { organizationId: string }[]).forEach((record, index) => {
      const owner = owners.get(key(record));
      if (owner !== undefined && owner !== record.organizationId)
        issues.push({
          path: [section, index, 'organizationId'],
          reason: `${WORDS[section]} ${key(record)} belongs to "${owner}"; moving it to "${record.organizationId}" needs --allow-move`,
        });
    });
  }
  return issues;
}

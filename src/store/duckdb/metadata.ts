// Reads and writes the metadata tables (organizations … incidents). Each row keeps its validated JSON body;
// the key columns exist for upserts.
import type { DuckDBConnection } from '@duckdb/node-api';
import { AlertRule, Incident, Installation, Member, Organization, Project } from '../../domain.ts';
import type { Dataset } from '../dataset.ts';
import type { ConversationReferenceRecord } from '../../repository.ts';
import { upsertImportedIncidents } from '../../lifecycle/imported-incidents.ts';
import type { Database } from './database.ts';

export type Metadata = Pick<
  Dataset,
  'organizations' | 'installations' | 'projects' | 'alertRules' | 'incidents' | 'members'
>;

export async function upsertMetadata(connection: DuckDBConnection, metadata: Metadata): Promise<void> {
  const upsert = async (table: string, keys: string, rows: { key: (string | number)[]; body: unknown }[]) => {
    if (rows.length === 0) return;
    const placeholders = rows.map((row) => `(${row.key.map(() => '?').join(', ')}, ?)`).join(', ');
    const params = rows.flatMap((row) => [...row.key, JSON.stringify(row.body)]);
    await connection.run(`INSERT OR REPLACE INTO ${table} (${keys}, body) VALUES ${placeholders}`, params);
  };
  await upsert(
    'organizations',
    'id',
    metadata.organizations.map((o) => ({ key: [o.id], body: o })),
  );
  await upsert(
    'installations',
    'platform, tenant_id',
    metadata.installations.map((i) => ({ key: [i.platform, i.tenantId], body: i })),
  );
  await upsert(
    'projects',
    'id',
    metadata.projects.map((p) => ({ key: [p.id], body: p })),
  );
  await upsert(
    'alert_rules',
    'id',
    metadata.alertRules.map((r) => ({ key: [r.id], body: r })),
  );
  await upsert(
    'members',
    'organization_id, id',
    metadata.members.map((m) => ({ key: [m.organizationId, m.id], body: m })),
  );
  await upsertImportedIncidents(connection, metadata.incidents);
}

export async function loadMetadata(database: Database): Promise<Metadata> {
  return database.withConnection(async (connection) => {
    const read = async <T>(table: string, parse: (value: unknown) => T): Promise<T[]> => {
      const reader = await connection.runAndReadAll(`SELECT body FROM ${table}`);
      return reader.getRows().map(([body]) => parse(JSON.parse(String(body))));
    };
    return {
      organizations: await read('organizations', (v) => Organization.parse(v)),
      installations: await read('installations', (v) => Installation.parse(v)),
      projects: await read('projects', (v) => Project.parse(v)),
      alertRules: await read('alert_rules', (v) => AlertRule.parse(v)),
      incidents: await read('incidents', (v) => Incident.parse(v)),
      members: await read('members', (v) => Member.parse(v)),
    };
  });
}

/**
 * Teams sends installationUpdate and conversationUpdate for one conversation together (and retries them): both
 * save the same key at once. Through the write lane they take turns, and the later one updates the row.
 */
export async function saveConversationReference(database: Database, record: ConversationReferenceRecord) {
  await database.write((connection) =>
    connection.run(
      `INSERT INTO conversation_references VALUES (?, ?, ?, ?, now()::TIMESTAMP)
       ON CONFLICT DO UPDATE SET tenant_id = excluded.tenant_id, reference = excluded.reference,
         updated_at = excluded.updated_at`,
      [record.platform, record.conversationId, record.tenantId, JSON.stringify(record.reference)],
    ),
  );
}

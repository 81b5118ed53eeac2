// The `unfurl_settings` table: per conversation (or per whole tenant, channel_id ''), whether pasted incident
// links are answered with cards and whether bare `#<identifier>` mentions count as links.
import type { Platform } from '../../domain.ts';
import type { Database } from './database.ts';

export type UnfurlSettingRow = {
  platform: Platform;
  tenantId: string;
  /** Null: the setting of the whole tenant (every channel without its own row). */
  channelId: string | null;
  enabled: boolean;
  identifiers: boolean;
};

const TENANT_WIDE = '';

const SCHEMA = `CREATE TABLE IF NOT EXISTS unfurl_settings (
  platform VARCHAR, tenant_id VARCHAR, channel_id VARCHAR, enabled BOOLEAN NOT NULL, identifiers BOOLEAN NOT NULL,
  updated_at TIMESTAMP, PRIMARY KEY (platform, tenant_id, channel_id))`;

export async function loadUnfurlSettings(database: Database): Promise<UnfurlSettingRow[]> {
  await database.write((connection) => connection.run(SCHEMA));
  return database.withConnection(async (connection) => {
    const reader = await connection.runAndReadAll(
      'SELECT platform, tenant_id, channel_id, enabled, identifiers FROM unfurl_settings',
    );
    return reader.getRows().map(([platform, tenantId, channelId, enabled, identifiers]) => ({
      platform: platform as Platform,
      tenantId: String(tenantId),
      channelId: channelId === TENANT_WIDE ? null : String(channelId),
      enabled: Boolean(enabled),
      identifiers: Boolean(identifiers),
    }));
  });
}

export async function saveUnfurlSetting(database: Database, row: UnfurlSettingRow): Promise<void> {
  await database.write(async (connection) => {
    await connection.run(SCHEMA);
    await connection.run(`INSERT OR REPLACE INTO unfurl_settings VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)`, [
      row.platform,
      row.tenantId,
      row.channelId ?? TENANT_WIDE,
      row.enabled,
      row.identifiers,
    ]);
  });
}

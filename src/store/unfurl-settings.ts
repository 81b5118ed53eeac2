// Link-unfurl settings per conversation: read synchronously from memory on every chat message (a message
// must never wait behind a metric query for the pool), written through to the store.
import type { Platform } from '../domain.ts';
import type { Database } from './duckdb/database.ts';
import { loadUnfurlSettings, saveUnfurlSetting, type UnfurlSettingRow } from './duckdb/unfurl-settings.ts';

export type UnfurlSetting = { enabled: boolean; identifiers: boolean };

/** Unfurls are on where the gateway runs; `#12` is too common in chat to count as a link unless asked for. */
export const DEFAULT_UNFURL_SETTING: UnfurlSetting = { enabled: true, identifiers: false };

export type UnfurlSettings = {
  /** The channel's own setting, else the tenant's, else the default. */
  effective(platform: Platform, tenantId: string, channelId: string | null): UnfurlSetting;
  /** A null channel sets the whole tenant. */
  set(row: UnfurlSettingRow): Promise<void>;
};

export async function createUnfurlSettings(database: Database): Promise<UnfurlSettings> {
  const rows = new Map<string, UnfurlSetting>();
  const key = (platform: Platform, tenantId: string, channelId: string | null) =>
    `${platform}:${tenantId}:${channelId ?? ''}`;
  for (const row of await loadUnfurlSettings(database)) {
    rows.set(key(row.platform, row.tenantId, row.channelId), {
      enabled: row.enabled,
      identifiers: row.identifiers,
    });
  }
  return {
    effective(platform, tenantId, channelId) {
      return (
        (channelId === null ? undefined : rows.get(key(platform, tenantId, channelId))) ??
        rows.get(key(platform, tenantId, null)) ??
        DEFAULT_UNFURL_SETTING
      );
    },
    async set(row) {
      await saveUnfurlSetting(database, row);
      rows.set(key(row.platform, row.tenantId, row.channelId), {
        enabled: row.enabled,
        identifiers: row.identifiers,
      });
    },
  };
}

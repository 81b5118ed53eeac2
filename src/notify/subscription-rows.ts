// Subscription rows ↔ records, on any connection (the enqueue hook reads them inside the caller's transaction).
import type { DuckDBConnection } from '@duckdb/node-api';
import { Platform } from '../domain.ts';
import type { DatasetSubscription } from '../store/dataset.ts';
import { createNotifySchema } from './outbox-schema.ts';
import { SubscriptionStatus, type SubscriptionRecord } from './subscription.ts';

export const SUBSCRIPTION_COLUMNS =
  'platform, channel_id, organization_id, rule_key, conversation, status, broken_reason, created_at';

export async function readSubscriptions(
  connection: DuckDBConnection,
  filter: { organizations?: readonly string[]; platform?: string; channelId?: string; activeOnly?: boolean },
): Promise<SubscriptionRecord[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.organizations) {
    if (filter.organizations.length === 0) return [];
    where.push(`organization_id IN (${filter.organizations.map(() => '?').join(', ')})`);
    params.push(...filter.organizations);
  }
  if (filter.platform !== undefined) {
    where.push('platform = ?');
    params.push(filter.platform);
  }
  if (filter.channelId !== undefined) {
    where.push('channel_id = ?');
    params.push(filter.channelId);
  }
  if (filter.activeOnly) where.push(`status = 'active'`);
  const reader = await connection.runAndReadAll(
    `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY created_at, rule_key`,
    params,
  );
  return reader.getRows().map((row) => toRecord(row));
}

function toRecord(row: readonly unknown[]): SubscriptionRecord {
  const [platform, channelId, organizationId, ruleKey, conversation, status, brokenReason, createdAt] = row;
  return {
    platform: Platform.parse(platform),
    channelId: String(channelId),
    organizationId: String(organizationId),
    ruleId: Number(ruleKey) === 0 ? null : Number(ruleKey),
    conversation: conversation === null ? null : JSON.parse(String(conversation)),
    status: SubscriptionStatus.parse(status),
    brokenReason: brokenReason === null ? null : String(brokenReason),
    createdAt: String(createdAt),
  };
}

/** Rule ids are positive; 0 is the every-rule subscription. */
export function ruleKey(ruleId: number | null): number {
  return ruleId ?? 0;
}

/** Imported subscriptions, inside the import's transaction: new ones are added, known ones made active again. */
export async function upsertSubscriptions(
  connection: DuckDBConnection,
  subscriptions: readonly DatasetSubscription[],
  at: string,
): Promise<void> {
  if (subscriptions.length === 0) return;
  await createNotifySchema(connection);
  for (const subscription of subscriptions) {
    const channelId = subscription.channelId ?? subscription.conversation?.conversation.id ?? '';
    await connection.run(
      `INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, 'active', NULL, ?)
       ON CONFLICT DO UPDATE SET status = 'active', broken_reason = NULL,
         conversation = COALESCE(excluded.conversation, conversation)`,
      [
        subscription.platform,
        channelId,
        subscription.organizationId,
        ruleKey(subscription.ruleId),
        subscription.conversation ? JSON.stringify(subscription.conversation) : null,
        at,
      ],
    );
  }
}

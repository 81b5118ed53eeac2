// The notification tables in the metadata file: subscriptions, the outbox (one row per change and channel) and
// the cards already in each channel (the message id later edits go to).
import type { DuckDBConnection } from '@duckdb/node-api';

/** `rule_key` 0 stands for "every rule" (rule ids are positive): key columns cannot hold NULL. */
const STATEMENTS = [
  `CREATE TABLE IF NOT EXISTS subscriptions (
     platform VARCHAR NOT NULL, channel_id VARCHAR NOT NULL, organization_id VARCHAR NOT NULL,
     rule_key BIGINT NOT NULL, conversation VARCHAR, status VARCHAR NOT NULL, broken_reason VARCHAR,
     created_at VARCHAR NOT NULL, PRIMARY KEY (platform, channel_id, organization_id, rule_key))`,
  `CREATE SEQUENCE IF NOT EXISTS notification_outbox_seq`,
  `CREATE TABLE IF NOT EXISTS notification_outbox (
     dedupe_key VARCHAR PRIMARY KEY, id BIGINT NOT NULL DEFAULT nextval('notification_outbox_seq'),
     platform VARCHAR NOT NULL, channel_id VARCHAR NOT NULL, organization_id VARCHAR NOT NULL,
     incident_id BIGINT NOT NULL, identifier BIGINT NOT NULL, rule_id BIGINT NOT NULL, kind VARCHAR NOT NULL,
     from_status VARCHAR, to_status VARCHAR NOT NULL, incident_version BIGINT NOT NULL, change_at VARCHAR NOT NULL,
     value DOUBLE, state VARCHAR NOT NULL, step VARCHAR NOT NULL, attempts INTEGER NOT NULL,
     next_attempt_at BIGINT NOT NULL, last_error VARCHAR, created_at BIGINT NOT NULL, sent_at BIGINT,
     snoozed_until VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS notification_cards (
     platform VARCHAR NOT NULL, channel_id VARCHAR NOT NULL, organization_id VARCHAR NOT NULL,
     incident_id BIGINT NOT NULL, message_id VARCHAR NOT NULL, delivered_version BIGINT NOT NULL,
     PRIMARY KEY (platform, channel_id, organization_id, incident_id))`,
];

export async function createNotifySchema(connection: DuckDBConnection): Promise<void> {
  for (const statement of STATEMENTS) await connection.run(statement);
}

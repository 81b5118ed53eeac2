// The notification store on the embedded DuckDB file (the same file as the metadata, so the incident store's
// transaction can write jobs too). One process holds the file, so one worker runs the outbox.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { IncidentChange } from '../lifecycle/change.ts';
import { IncidentStatus, Platform } from '../domain.ts';
import type { Database } from '../store/duckdb/database.ts';
import { createGroupCommit } from './group-commit.ts';
import { createNotifySchema } from './outbox-schema.ts';
import type { JobCounts, JobState, JobStep, NotificationStore, OutboxJob } from './store.ts';
import { cardKey } from './store.ts';
import { readSubscriptions, ruleKey } from './subscription-rows.ts';

const JOB_COLUMNS = `o.id, o.dedupe_key, o.platform, o.channel_id, o.organization_id, o.incident_id, o.identifier,
  o.rule_id, o.kind, o.from_status, o.to_status, o.incident_version, o.change_at, o.value, o.state, o.step,
  o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at,
  COALESCE(
    (SELECT any_value(s.conversation) FROM subscriptions s
      WHERE s.platform = o.platform AND s.channel_id = o.channel_id AND s.conversation IS NOT NULL),
    -- A subscription given without a reference (imported by channel id) uses the one kept when the bot was added.
    (SELECT any_value(r.reference) FROM conversation_references r
      WHERE r.platform = o.platform AND r.conversation_id = o.channel_id)) AS conversation,
  c.message_id, c.delivered_version, o.snoozed_until`;

/** Each job with its channel's card, if any. */
const JOBS_WITH_CARDS = (source: string) => `${source} o LEFT JOIN notification_cards c
  ON c.platform = o.platform AND c.channel_id = o.channel_id AND c.organization_id = o.organization_id
  AND c.incident_id = o.incident_id`;

const CHANGE_KINDS = new Set(['created', 'escalated', 'deescalated', 'resolved', 'reopened', 'updated']);

export async function createDuckDbNotificationStore(database: Database): Promise<NotificationStore> {
  await database.withConnection(createNotifySchema);
  const use = <T>(work: (connection: DuckDBConnection) => Promise<T>) => database.withConnection(work);
  // Subscriptions are metadata: a check-then-insert of one key, which two concurrent subscribes would race on.
  const write = <T>(work: (connection: DuckDBConnection) => Promise<T>) => database.write(work);
  const progress = createGroupCommit<Progress>((items) =>
    use(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        await writeProgress(connection, items);
        await connection.run('COMMIT');
      } catch (error) {
        await connection.run('ROLLBACK');
        throw error;
      }
    }),
  );
  const jobs = async (sql: string, params: (string | number | null)[]) =>
    use(async (connection) => (await connection.runAndReadAll(sql, params)).getRows().map(toJob));

  return {
    async subscribe(subscription, at) {
      const key = [
        subscription.platform,
        subscription.channelId,
        subscription.organizationId,
        ruleKey(subscription.ruleId),
      ];
      const conversation =
        subscription.conversation === null ? null : JSON.stringify(subscription.conversation);
      return write(async (connection) => {
        const found = await connection.runAndReadAll(
          `SELECT 1 FROM subscriptions WHERE platform = ? AND channel_id = ? AND organization_id = ? AND rule_key = ?`,
          key,
        );
        if (found.getRows().length > 0) {
          // Subscribing again repairs a broken subscription (the channel is back, or the bot was re-added).
          await connection.run(
            `UPDATE subscriptions SET status = 'active', broken_reason = NULL,
               conversation = COALESCE(?, conversation)
             WHERE platform = ? AND channel_id = ? AND organization_id = ? AND rule_key = ?`,
            [conversation, ...key],
          );
          return { created: false };
        }
        await connection.run(`INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?, 'active', NULL, ?)`, [
          ...key,
          conversation,
          at,
        ]);
        return { created: true };
      });
    },
    async unsubscribe(key, organizationId, ruleId) {
      return write(async (connection) => {
        const result = await connection.run(
          `DELETE FROM subscriptions WHERE platform = ? AND channel_id = ? AND organization_id = ? AND rule_key = ?`,
          [key.platform, key.channelId, organizationId, ruleKey(ruleId)],
        );
        return result.rowsChanged;
      });
    },
    subscriptionsOf: (key) =>
      use((connection) =>
        readSubscriptions(connection, { platform: key.platform, channelId: key.channelId }),
      ),
    async markBroken(key, reason) {
      await use(async (connection) => {
        await connection.run(
          `UPDATE subscriptions SET status = 'broken', broken_reason = ? WHERE platform = ? AND channel_id = ?`,
          [reason, key.platform, key.channelId],
        );
        await connection.run(
          `UPDATE notification_outbox SET state = 'failed', last_error = ?
           WHERE platform = ? AND channel_id = ? AND state = 'pending'`,
          [`subscription broken: ${reason}`, key.platform, key.channelId],
        );
      });
    },
    async nextDue(now, limit, busy) {
      // Jobs of one card go strictly in version order: only each card's oldest pending job is a candidate.
      const candidates = await jobs(
        `SELECT ${JOB_COLUMNS} FROM ${JOBS_WITH_CARDS(`(
           SELECT *, row_number() OVER (
             PARTITION BY platform, channel_id, organization_id, incident_id ORDER BY incident_version, id) AS rn
           FROM notification_outbox WHERE state = 'pending')`)}
         WHERE o.rn = 1 AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?`,
        [now, limit + busy.size],
      );
      return candidates.filter((job) => !busy.has(cardKey(job))).slice(0, limit);
    },
    cardDelivered: (job, messageId, next, at) => progress({ job, messageId, next, at }),
    sent: (job, at) => progress({ job, messageId: null, next: 'done', at }),
    async retryLater(job, at, error) {
      await use((connection) =>
        connection.run(
          `UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`,
          [at, error, job.id],
        ),
      );
    },
    async fail(job, error) {
      await use((connection) =>
        connection.run(
          `UPDATE notification_outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?`,
          [error, job.id],
        ),
      );
    },
    list: ({ state, limit = 100 }) =>
      jobs(
        `SELECT ${JOB_COLUMNS} FROM ${JOBS_WITH_CARDS('notification_outbox')}
         ${state ? 'WHERE o.state = ?' : ''} ORDER BY o.id DESC LIMIT ?`,
        state ? [state, limit] : [limit],
      ),
    async counts() {
      return use(async (connection) => {
        const reader = await connection.runAndReadAll(
          `SELECT state, count(*) FROM notification_outbox GROUP BY state`,
        );
        const counts: JobCounts = { pending: 0, sent: 0, failed: 0 };
        for (const [state, count] of reader.getRows()) counts[String(state) as JobState] = Number(count);
        return counts;
      });
    },
  };
}

/** A job moved forward: its card now shows its version (when `messageId` is set), then its next step or done. */
type Progress = { job: OutboxJob; messageId: string | null; next: JobStep | 'done'; at: number };

async function writeProgress(connection: DuckDBConnection, items: Progress[]): Promise<void> {
  const cards = items.filter((item) => item.messageId !== null);
  if (cards.length > 0) {
    await connection.run(
      `INSERT INTO notification_cards VALUES ${cards.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT DO UPDATE SET message_id = excluded.message_id,
         delivered_version = greatest(delivered_version, excluded.delivered_version)`,
      cards.flatMap(({ job, messageId }) => [
        job.platform,
        job.channelId,
        job.change.organizationId,
        job.change.incidentId,
        messageId,
        job.change.version,
      ]),
    );
  }
  const done = items.filter((item) => item.next === 'done');
  if (done.length > 0) {
    await connection.run(
      `UPDATE notification_outbox SET state = 'sent', sent_at = v.sent_at
       FROM (VALUES ${done.map(() => '(?::BIGINT, ?::BIGINT)').join(', ')}) AS v(id, sent_at)
       WHERE notification_outbox.id = v.id`,
      done.flatMap(({ job, at }) => [job.id, at]),
    );
  }
  const replies = items.filter((item) => item.next === 'reply');
  if (replies.length > 0) {
    await connection.run(
      `UPDATE notification_outbox SET step = 'reply' WHERE id IN (${replies.map(() => '?').join(', ')})`,
      replies.map(({ job }) => job.id),
    );
  }
}

function toJob(row: readonly unknown[]): OutboxJob {
  const [id, dedupeKey, platform, channelId, organizationId, incidentId, identifier, ruleId, kind, from, to] =
    row;
  const [version, at, value, state, step, attempts, nextAttemptAt, lastError, createdAt, sentAt] = row.slice(
    11,
    21,
  );
  const [conversation, messageId, deliveredVersion, snoozedUntil] = row.slice(21);
  if (!CHANGE_KINDS.has(String(kind)))
    throw new Error(`outbox job ${String(id)} has unknown kind ${String(kind)}`);
  const change: IncidentChange = {
    organizationId: String(organizationId),
    incidentId: Number(incidentId),
    identifier: Number(identifier),
    alertRuleId: Number(ruleId),
    kind: String(kind) as IncidentChange['kind'],
    from: from === null ? null : IncidentStatus.parse(from),
    to: IncidentStatus.parse(to),
    version: Number(version),
    at: String(at),
    value: value === null ? null : Number(value),
    snoozedUntil: snoozedUntil === null ? null : String(snoozedUntil),
    // Who acted is in the incident's activity log; the outbox needs only what the card shows.
    by: null,
  };
  return {
    id: Number(id),
    dedupeKey: String(dedupeKey),
    platform: Platform.parse(platform),
    channelId: String(channelId),
    change,
    state: String(state) as JobState,
    step: String(step) as JobStep,
    attempts: Number(attempts),
    nextAttemptAt: Number(nextAttemptAt),
    lastError: lastError === null ? null : String(lastError),
    createdAt: Number(createdAt),
    sentAt: sentAt === null ? null : Number(sentAt),
    conversation: conversation === null ? null : JSON.parse(String(conversation)),
    card:
      messageId === null
        ? null
        : { messageId: String(messageId), deliveredVersion: Number(deliveredVersion) },
  };
}

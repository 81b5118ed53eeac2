// `incident-cards notifications list [--pending|--failed]`: the delivery outbox, newest first.
import { parseArgs } from 'node:util';
import type { JobState, OutboxJob } from '../notify/store.ts';
import { type CliIo, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const NOTIFICATIONS_USAGE = `usage: incident-cards notifications list [--pending|--failed] [--limit N] [--data-dir DIR]

Lists the notification outbox, newest first: one line per incident change and channel, with its state
(pending, sent, failed), delivery attempts and the last error. --pending shows what is still to be delivered,
--failed what was given up (a channel gone: its subscription is marked broken). Run it while the server is
stopped (the store is one file that the server holds).`;

export async function notificationsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      pending: { type: 'boolean' },
      failed: { type: 'boolean' },
      limit: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(NOTIFICATIONS_USAGE);
    return EXIT.ok;
  }
  if (positionals[0] !== 'list' || positionals.length > 1)
    throw new UsageError('expected "notifications list"');
  if (values.pending && values.failed) throw new UsageError('--pending and --failed exclude each other');
  const state: JobState | undefined = values.pending ? 'pending' : values.failed ? 'failed' : undefined;
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
  return withApp(io, storeConfig(io, values['data-dir']), async ({ app }) => {
    const jobs = await app.notifications.list({ state, limit });
    const counts = await app.notifications.counts();
    for (const job of jobs) io.stdout(jobLine(job));
    io.stdout(`${counts.pending} pending, ${counts.sent} sent, ${counts.failed} failed`);
    return EXIT.ok;
  });
}

function jobLine(job: OutboxJob): string {
  const { change } = job;
  const what = `${change.organizationId}#${change.identifier} ${change.kind} → ${change.to} (v${change.version})`;
  const error = job.lastError ? `  last error: ${job.lastError}` : '';
  return `${job.id}\t${job.state}\t${job.platform}:${job.channelId}\t${what}\tattempts ${job.attempts}${error}`;
}

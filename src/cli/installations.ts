// `incident-cards installations set <platform> <tenantId> [--responder-roles ID,…] [--responders ID,…]`: who may
// act on an installation's cards (src/actions/permission.ts), written into the store beside the imported data.
import { parseArgs } from 'node:util';
import type { DuckDBConnection } from '@duckdb/node-api';
import { Installation, Platform } from '../domain.ts';
import { type CliIo, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const INSTALLATIONS_SET_USAGE = `usage: incident-cards installations set <platform> <tenantId> [--responder-roles ID,…] [--responders ID,…] [--data-dir DIR]

Sets who may act on the cards of an installation (Acknowledge, Resolve, Assign, Snooze, Reopen):
  --responder-roles ID,…  Discord role ids whose members may act (besides Manage Messages in the channel)
  --responders ID,…       user ids (Teams: AAD object ids) who may act; once set, only they (and the roles) may
An empty value ("") clears the list; a flag left out keeps it. The installation must exist (import it first).
The server holds the store's lock while it runs: stop it, run this, start it again (it reads the change then).`;

export async function installationsSetCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'responder-roles': { type: 'string' },
      responders: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(INSTALLATIONS_SET_USAGE);
    return EXIT.ok;
  }
  const platform = Platform.safeParse(positionals[0]);
  const tenantId = positionals[1];
  if (!platform.success || !tenantId || positionals.length !== 2) {
    throw new UsageError('installations set needs <platform> (discord or teams) and <tenantId>');
  }
  const roles = idList(values['responder-roles'], '--responder-roles');
  const responders = idList(values.responders, '--responders');
  if (roles === undefined && responders === undefined) {
    throw new UsageError('installations set needs --responder-roles and/or --responders');
  }
  return withApp(io, storeConfig(io, values['data-dir']), async ({ store }) => {
    const result = await store.database.withConnection(async (connection) => {
      const current = await readInstallation(connection, platform.data, tenantId);
      if (!current) return null;
      const updated = Installation.parse({
        ...current,
        ...(roles !== undefined ? { responderRoleIds: roles } : {}),
        ...(responders !== undefined ? { responders } : {}),
      });
      await connection.run('UPDATE installations SET body = ? WHERE platform = ? AND tenant_id = ?', [
        JSON.stringify(updated),
        platform.data,
        tenantId,
      ]);
      return updated;
    });
    if (!result) {
      io.stderr(
        `no ${platform.data} installation for tenant ${tenantId}: import one first (docs/dataset-format.md)`,
      );
      return EXIT.usage;
    }
    io.stdout(
      `${result.platform} ${result.tenantId} (${result.organizationId}): responder roles ${list(result.responderRoleIds)}; ` +
        `responders ${list(result.responders)}${result.responders?.length ? ' (only they and the roles may act)' : ''}`,
    );
    return EXIT.ok;
  });
}

async function readInstallation(connection: DuckDBConnection, platform: string, tenantId: string) {
  const reader = await connection.runAndReadAll(
    'SELECT body FROM installations WHERE platform = ? AND tenant_id = ?',
    [platform, tenantId],
  );
  const row = reader.getRows()[0];
  return row ? Installation.parse(JSON.parse(String(row[0]))) : null;
}

/** "a,b, c" → ['a','b','c']; "" → [] (clears); absent → undefined (kept). */
function idList(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.some((id) => id.length > 100 || /\s/.test(id)))
    throw new UsageError(`${flag}: ids are comma-separated, without spaces`);
  return ids;
}

function list(ids: string[] | undefined): string {
  return ids && ids.length > 0 ? ids.join(',') : '(none)';
}

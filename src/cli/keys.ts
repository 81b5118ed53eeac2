// `incident-cards keys create|list|revoke`: the keys SDKs and pipelines send events with (src/keys/).
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildDsn } from '../keys/dsn.ts';
import { appendKeyLog, newPublicKey, readKeyLog } from '../keys/key-log.ts';
import type { KeyState } from '../keys/project-key.ts';
import { openDatabase } from '../store/duckdb/database.ts';
import { loadMetadata } from '../store/duckdb/metadata.ts';
import { type CliIo, configFrom, EXIT, UsageError } from './context.ts';

export const KEYS_USAGE = `usage: incident-cards keys create <org> [<projectId>] [--name N] [--data-dir DIR] [--public-url URL]
       incident-cards keys list [<org>] [--data-dir DIR]
       incident-cards keys revoke <publicKey> [--data-dir DIR]

  create   a project key: prints its DSN (<scheme>://<publicKey>@<host>[:port]/<projectId>, from PUBLIC_URL) as the
           last line, for a Sentry SDK; without <projectId>, an organization key (printed alone) for
           POST /api/ingest/events|sessions (Authorization: Bearer <key>)
  list     every key (of <org>), active or revoked
  revoke   refuses the key from now on; a running server notices within a second, no restart
Keys are kept in DATA_DIR/project-keys.ndjson, beside the store, so these work while the server runs.`;

export async function keysCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      'public-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(KEYS_USAGE);
    return EXIT.ok;
  }
  const config = configFrom(io.env, {
    DATA_DIR: values['data-dir'],
    PUBLIC_URL: values['public-url'],
    LOG_LEVEL: 'warn',
  });
  const [action, ...rest] = positionals;
  if (action === 'create') return create(rest, values.name, config.dataDir, config.publicUrl, io);
  if (action === 'list') return list(rest, config.dataDir, io);
  if (action === 'revoke') return revoke(rest, config.dataDir, io);
  throw new UsageError(action ? `unknown keys action "${action}"` : 'keys needs create, list or revoke');
}

async function create(
  args: string[],
  name: string | undefined,
  dataDir: string,
  publicUrl: string,
  io: CliIo,
): Promise<number> {
  const [organizationId, projectText, extra] = args;
  if (!organizationId || extra !== undefined) throw new UsageError('keys create needs <org> [<projectId>]');
  const projectId = projectText === undefined ? null : Number(projectText);
  if (projectId !== null && !(Number.isSafeInteger(projectId) && projectId > 0)) {
    throw new UsageError(`<projectId> must be a positive whole number, not "${projectText}"`);
  }
  const problem = await checkOwner(dataDir, organizationId, projectId, io);
  if (problem) {
    io.stderr(problem);
    return EXIT.usage;
  }
  const publicKey = newPublicKey();
  await mkdir(dataDir, { recursive: true });
  await appendKeyLog(dataDir, [
    { op: 'create', publicKey, organizationId, projectId, name: name ?? null, at: new Date().toISOString() },
  ]);
  if (projectId === null) {
    io.stdout(`organization key for ${organizationId} (Authorization: Bearer <key> on /api/ingest/*):`);
    io.stdout(publicKey);
  } else {
    io.stdout(`project key ${publicKey} for ${organizationId}/${projectId}; DSN:`);
    io.stdout(buildDsn(publicUrl, publicKey, projectId));
  }
  return EXIT.ok;
}

/**
 * Checks the organization and project exist when the store can be opened. A running server holds the store's
 * lock; then the check is left to the server, which refuses a key whose project is not its organization's.
 */
async function checkOwner(
  dataDir: string,
  organizationId: string,
  projectId: number | null,
  io: CliIo,
): Promise<string | null> {
  const opened = await openDatabase(dataDir, { connections: 1 });
  if (!opened.ok) {
    io.stderr(
      `note: cannot check ${organizationId} in the store (${opened.reason.split(':')[0]}); the server will`,
    );
    return null;
  }
  try {
    const metadata = await loadMetadata(opened.database);
    if (!metadata.organizations.some((organization) => organization.id === organizationId)) {
      return `unknown organization "${organizationId}"`;
    }
    if (projectId === null) return null;
    const project = metadata.projects.find((candidate) => candidate.id === projectId);
    if (!project) return `unknown project ${projectId}`;
    if (project.organizationId !== organizationId) {
      return `project ${projectId} belongs to organization "${project.organizationId}"`;
    }
    return null;
  } finally {
    opened.database.close();
  }
}

async function list(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const [organizationId] = args;
  const keys = [...(await readKeyLog(dataDir)).values()].filter(
    (key) => organizationId === undefined || key.organizationId === organizationId,
  );
  if (keys.length === 0) {
    io.stdout(organizationId ? `no keys for ${organizationId}` : 'no keys');
    return EXIT.ok;
  }
  for (const key of keys) io.stdout(describe(key));
  return EXIT.ok;
}

function describe(key: KeyState): string {
  const scope =
    key.projectId === null
      ? `${key.organizationId} (organization)`
      : `${key.organizationId}/${key.projectId}`;
  const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
  return [key.publicKey, scope, key.name ?? '-', state, `created ${key.createdAt}`].join('\t');
}

async function revoke(args: string[], dataDir: string, io: CliIo): Promise<number> {
  const [publicKey, extra] = args;
  if (!publicKey || extra !== undefined) throw new UsageError('keys revoke needs <publicKey>');
  const key = (await readKeyLog(dataDir)).get(publicKey);
  if (!key) {
    io.stderr(`unknown key ${publicKey}`);
    return EXIT.usage;
  }
  if (key.revokedAt === null) {
    await appendKeyLog(dataDir, [{ op: 'revoke', publicKey, at: new Date().toISOString() }]);
  }
  io.stdout(
    `revoked ${publicKey} (${key.organizationId}${key.projectId === null ? '' : `/${key.projectId}`})`,
  );
  return EXIT.ok;
}

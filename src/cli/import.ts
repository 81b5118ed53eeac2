// `incident-cards import <file>...`: all-or-nothing import with `file:line: reason` errors.
import { parseArgs } from 'node:util';
import { formatError, MAX_REPORTED_ERRORS } from '../store/import/errors.ts';
import { importFiles } from '../store/import/import.ts';
import { type CliIo, EXIT, storeConfig, UsageError, withApp } from './context.ts';

export const IMPORT_USAGE = `usage: incident-cards import <file>... [--kind events|sessions] [--allow-move] [--data-dir DIR]

Loads dataset files into the store (format: docs/dataset-format.md).
  <file>.json     a whole dataset
  <file>.ndjson   events or sessions, one object a line (needs --kind)
Everything is validated first; on any error nothing is imported and up to ${MAX_REPORTED_ERRORS} errors are printed
as file:line: reason (exit 2). Re-importing the same ids upserts; a record twice in one dataset is an error, and so
is moving a stored project, rule, incident or installation to another organization unless --allow-move is given.`;

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      'allow-move': { type: 'boolean' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('import needs at least one file');
  const kind = values.kind;
  if (kind !== undefined && kind !== 'events' && kind !== 'sessions') {
    throw new UsageError(`--kind must be events or sessions, not "${kind}"`);
  }
  return withApp(io, storeConfig(io, values['data-dir']), async (opened) => {
    const started = performance.now();
    const outcome = await importFiles(opened.store, positionals, {
      kind,
      allowMove: values['allow-move'] === true,
    });
    if (!outcome.ok) {
      for (const error of outcome.errors) io.stderr(formatError(error));
      if (outcome.total > outcome.errors.length)
        io.stderr(`… and ${outcome.total - outcome.errors.length} more errors`);
      io.stderr(`nothing imported: ${outcome.total} error${outcome.total === 1 ? '' : 's'}`);
      return EXIT.usage;
    }
    const c = outcome.counts;
    const seconds = (performance.now() - started) / 1000;
    io.stdout(
      `imported ${c.organizations} organizations, ${c.installations} installations, ${c.projects} projects, ` +
        `${c.alertRules} alert rules, ${c.incidents} incidents, ${c.events} events (${c.newEvents} new), ` +
        `${c.sessions} sessions (${c.newSessions} new) in ${seconds.toFixed(2)} s`,
    );
    return EXIT.ok;
  });
}

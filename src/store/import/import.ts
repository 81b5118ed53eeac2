// `incident-cards import`: validates every file first and writes nothing unless all of them are valid.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { EventRow, SessionRow } from '../../query/backend.ts';
import { saveDatasetKeys } from '../../keys/dataset-keys.ts';
import type { ProjectKey } from '../../keys/project-key.ts';
import type { Dataset, DatasetSubscription } from '../dataset.ts';
import { upsertSubscriptions } from '../../notify/subscription-rows.ts';
import { loadMetadata, type Metadata, upsertMetadata } from '../duckdb/metadata.ts';
import type { Store } from '../store.ts';
import { hasGlobCharacters } from '../duckdb/ndjson-events.ts';
import { ErrorList, type ImportError } from './errors.ts';
import { type ImportWriter, openImportWriter } from './import-writer.ts';
import { validateDataset, validateJsonDataset } from './json-file.ts';
import { type NdjsonKind, validateNdjson } from './ndjson-file.ts';
import { fileDigest, recordId, toEventRow, toSessionRow } from './normalize.ts';

export type ImportCounts = {
  organizations: number;
  installations: number;
  projects: number;
  alertRules: number;
  incidents: number;
  events: number;
  newEvents: number;
  sessions: number;
  newSessions: number;
};

export type ImportOutcome =
  | { ok: true; counts: ImportCounts }
  | { ok: false; errors: ImportError[]; total: number };

export type ImportOptions = {
  kind?: NdjsonKind;
  /** Lets a dataset move existing records to another organization (refused otherwise). */
  allowMove?: boolean;
};

type Plan = {
  metadata: Metadata;
  projectKeys: ProjectKey[];
  subscriptions: DatasetSubscription[];
  events: EventRow[];
  sessions: SessionRow[];
  /** Rows generated rather than read (the demo), written batch by batch in the same transaction. */
  batches: RowBatches;
  /** Lines of the NDJSON files the backend read itself, and the ids they added. */
  fileLines: number;
  fileAdded: number;
};

export type RowBatches = {
  events: Iterable<readonly EventRow[]>;
  sessions: Iterable<readonly SessionRow[]>;
};

const NO_ROWS: RowBatches = { events: [], sessions: [] };

export async function importFiles(
  store: Store,
  files: readonly string[],
  options: ImportOptions = {},
): Promise<ImportOutcome> {
  const errors = new ErrorList();
  const existing = await loadMetadata(store.database);
  const plan = emptyPlan(NO_ROWS);
  const writer = await openImportWriter(store);
  try {
    for (const file of files) await planFile(writer, file, options, existing, plan, errors);
    if (errors.total > 0) {
      await writer.rollback();
      return { ok: false, errors: errors.errors, total: errors.total };
    }
    return { ok: true, counts: await write(store, writer, plan) };
  } catch (error) {
    await writer.rollback().catch(() => undefined);
    throw error;
  }
}

/** Writes a dataset object that is already in memory (demo data, tests) through the same checks. */
export async function importDataset(
  store: Store,
  dataset: unknown,
  label = 'dataset',
  rows: RowBatches = NO_ROWS,
): Promise<ImportOutcome> {
  const errors = new ErrorList();
  const existing = await loadMetadata(store.database);
  // In memory there are no lines: each problem names its path instead (line 0).
  const parsed = validateDataset(dataset, existing, (_path, reason) => errors.add(label, 0, reason));
  if (!parsed) return { ok: false, errors: errors.errors, total: errors.total };
  const plan = emptyPlan(rows);
  addDataset(plan, parsed, () => fileDigest(JSON.stringify(dataset)));
  const writer = await openImportWriter(store);
  try {
    return { ok: true, counts: await write(store, writer, plan) };
  } catch (error) {
    await writer.rollback().catch(() => undefined);
    throw error;
  }
}

async function planFile(
  writer: ImportWriter,
  file: string,
  options: ImportOptions,
  existing: Metadata,
  plan: Plan,
  errors: ErrorList,
) {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    errors.add(file, 0, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return;
  }
  // The digest of the file's bytes identifies its records without an id (normalize.ts).
  const digest = fileDigest(bytes);
  const text = bytes.toString('utf8');
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    const dataset = validateJsonDataset(file, text, combine(existing, plan.metadata), errors, options);
    if (dataset) addDataset(plan, dataset, () => digest);
    return;
  }
  if (extension !== '.ndjson' && extension !== '.jsonl') {
    errors.add(file, 0, 'unknown file type: use .json for a dataset or .ndjson with --kind events|sessions');
    return;
  }
  if (!options.kind) {
    errors.add(file, 0, 'an .ndjson file needs --kind events or --kind sessions');
    return;
  }
  const projects = new Set([...existing.projects, ...plan.metadata.projects].map((project) => project.id));
  // The embedded store reads the file itself while JS validates it; nothing is kept unless all is valid.
  // DuckDB's reader expands `*`, `?` and `[…]` in a path: such a name takes the JS path, which reads exactly it.
  const fastPath = options.kind === 'events' && writer.readsFiles && !hasGlobCharacters(file);
  const loading = fastPath ? writer.upsertNdjsonFile(file, digest) : null;
  loading?.catch(() => undefined);
  const { lines, rows } = await validateNdjson(
    file,
    text,
    options.kind,
    projects,
    errors,
    fastPath ? null : digest,
  );
  if (loading) {
    try {
      plan.fileAdded += await loading;
    } catch (error) {
      if (errors.total === 0) errors.add(file, 0, `cannot load: ${(error as Error).message.split('\n')[0]}`);
    }
    plan.fileLines += lines;
  } else if (rows.kind === 'events') plan.events.push(...rows.rows);
  else plan.sessions.push(...rows.rows);
}

/** `digest` is asked for only when a record has no id of its own. */
function addDataset(plan: Plan, dataset: Dataset, digest: () => string) {
  let known: string | undefined;
  const idOf = (record: { id?: string }, index: number) => {
    if (record.id !== undefined) return record.id;
    known ??= digest();
    return recordId(known, index + 1);
  };
  plan.metadata.organizations.push(...dataset.organizations);
  plan.metadata.installations.push(...dataset.installations);
  plan.metadata.projects.push(...dataset.projects);
  plan.metadata.alertRules.push(...dataset.alertRules);
  plan.metadata.incidents.push(...dataset.incidents);
  plan.subscriptions.push(...dataset.subscriptions);
  plan.metadata.members.push(...dataset.members);
  plan.projectKeys.push(...dataset.projectKeys);
  for (const [index, event] of dataset.events.entries())
    plan.events.push(toEventRow(event, idOf(event, index)));
  for (const [index, session] of dataset.sessions.entries()) {
    plan.sessions.push(toSessionRow(session, idOf(session, index)));
  }
}

const BATCH = 100_000;

/** Rows first, metadata last, through the writer: one transaction on the embedded store (import-writer.ts). */
async function write(store: Store, writer: ImportWriter, plan: Plan): Promise<ImportCounts> {
  let newEvents = plan.fileAdded;
  let newSessions = 0;
  let generatedEvents = 0;
  let generatedSessions = 0;
  for (let i = 0; i < plan.events.length; i += BATCH) {
    newEvents += await writer.writeEvents(plan.events.slice(i, i + BATCH));
  }
  for (const batch of plan.batches.events) {
    generatedEvents += batch.length;
    newEvents += await writer.writeEvents(batch);
  }
  for (let i = 0; i < plan.sessions.length; i += BATCH) {
    newSessions += await writer.writeSessions(plan.sessions.slice(i, i + BATCH));
  }
  for (const batch of plan.batches.sessions) {
    generatedSessions += batch.length;
    newSessions += await writer.writeSessions(batch);
  }
  await writer.commit(async (connection) => {
    await upsertMetadata(connection, plan.metadata);
    await upsertSubscriptions(connection, plan.subscriptions, new Date().toISOString());
  });
  await saveDatasetKeys(store.dataDir, plan.projectKeys);
  await store.repository.reload();
  const { metadata } = plan;
  return {
    organizations: metadata.organizations.length,
    installations: metadata.installations.length,
    projects: metadata.projects.length,
    alertRules: metadata.alertRules.length,
    incidents: metadata.incidents.length,
    events: plan.events.length + plan.fileLines + generatedEvents,
    newEvents,
    sessions: plan.sessions.length + generatedSessions,
    newSessions,
  };
}

/** What the store holds plus what earlier files of the same import add. */
function combine(a: Metadata, b: Metadata): Metadata {
  return {
    organizations: [...a.organizations, ...b.organizations],
    installations: [...a.installations, ...b.installations],
    projects: [...a.projects, ...b.projects],
    alertRules: [...a.alertRules, ...b.alertRules],
    incidents: [...a.incidents, ...b.incidents],
    members: [...a.members, ...b.members],
  };
}

function emptyPlan(batches: RowBatches): Plan {
  return {
    metadata: emptyMetadata(),
    projectKeys: [],
    subscriptions: [],
    events: [],
    sessions: [],
    batches,
    fileLines: 0,
    fileAdded: 0,
  };
}

function emptyMetadata(): Metadata {
  return { organizations: [], installations: [], projects: [], alertRules: [], incidents: [], members: [] };
}

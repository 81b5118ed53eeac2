// One metadata writer at a time. DuckDB runs transactions optimistically: two pooled connections that write
// the same row (an INSERT OR REPLACE of one key) or the same catalog entry (CREATE TABLE IF NOT EXISTS) both
// proceed, and the second to commit fails with a write-write conflict or a duplicate key instead of waiting.
// Teams sends installationUpdate and conversationUpdate for one conversation at the same moment, so this is the
// normal case, not a rare one. Metadata writes are few and tiny: queueing them costs nothing and makes "the
// last write wins" true. The store file is held by one process, so this queue sees every writer.
export type WriteLane = <T>(work: () => Promise<T>) => Promise<T>;

export function createWriteLane(): WriteLane {
  let tail: Promise<unknown> = Promise.resolve();
  return (work) => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}

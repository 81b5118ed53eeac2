// Group commit: the outcomes of deliveries that finish together are written in one transaction. Each caller
// still waits for its own outcome to be durable before moving on, but a burst of 1,000 deliveries costs a few
// dozen commits instead of 1,000 (each commit of the file is a WAL flush: the outbox's throughput limit).

export type GroupCommit<T> = (item: T) => Promise<void>;

export function createGroupCommit<T>(write: (items: T[]) => Promise<void>): GroupCommit<T> {
  let queued: { item: T; done: () => void; failed: (error: unknown) => void }[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    while (queued.length > 0) {
      const batch = queued;
      queued = [];
      try {
        await write(batch.map((entry) => entry.item));
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.failed(error);
      }
    }
    flushing = false;
  }

  return (item) =>
    new Promise<void>((resolve, reject) => {
      queued.push({ item, done: resolve, failed: reject });
      // Whatever arrives while a batch is being written goes into the next one.
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    });
}

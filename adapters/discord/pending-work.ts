// Late replies still being delivered after their HTTP answer: the adapter waits for them when it closes.
export class PendingWork {
  private readonly running = new Set<Promise<void>>();

  track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

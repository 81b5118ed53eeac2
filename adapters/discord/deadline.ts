// Bolt-style "answer now or defer": races work against the platform deadline without cancelling it.

/** Discord closes an interaction after 3 s; answering within ~2 s leaves room for the network. */
export const DISCORD_DEADLINE_MS = 2_000;

export type Timed<T> = { kind: 'ready'; value: T } | { kind: 'late'; later: Promise<T> };

export async function within<T>(work: Promise<T>, ms: number): Promise<Timed<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(resolve, ms, 'late');
  });
  try {
    const first = await Promise.race([work.then((value) => ({ value })), late]);
    return first === 'late' ? { kind: 'late', later: work } : { kind: 'ready', value: first.value };
  } finally {
    clearTimeout(timer);
  }
}

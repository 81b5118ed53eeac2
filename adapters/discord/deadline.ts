// Bolt-style "answer now or defer": races work against the platform deadline without cancelling it.

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

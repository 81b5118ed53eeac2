// "3 min ago", "in 2 h": a time relative to now, for surfaces that cannot format it in the reader's client.
export function relativeTime(at: string, now: number): string {
  const ms = now - Date.parse(at);
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const span =
    minutes < 1
      ? null
      : minutes < 60
        ? `${minutes} min`
        : minutes < 1440
          ? `${Math.round(minutes / 60)} h`
          : `${Math.round(minutes / 1440)} d`;
  if (span === null) return 'just now';
  return ms >= 0 ? `${span} ago` : `in ${span}`;
}

// Per-channel unfurl budget: at most `perMinute` new unfurl replies in any sliding minute of one channel, so
// that a flood of pasted links cannot turn into a flood of cards. Bounded: idle channels are forgotten.
const WINDOW_MS = 60_000;
/** Beyond this many tracked channels the least recently used one is dropped (it simply gets a fresh budget). */
const MAX_CHANNELS = 10_000;

export type ChannelRateLimit = {
  /** Takes one unfurl from the channel's budget; false when the budget of the last minute is spent. */
  take(channelId: string): boolean;
};

export function createChannelRateLimit(perMinute: number, now: () => number = Date.now): ChannelRateLimit {
  const sent = new Map<string, number[]>();
  return {
    take(channelId) {
      const at = now();
      const recent = (sent.get(channelId) ?? []).filter((time) => at - time < WINDOW_MS);
      sent.delete(channelId);
      if (recent.length >= perMinute) {
        sent.set(channelId, recent);
        return false;
      }
      recent.push(at);
      sent.set(channelId, recent);
      if (sent.size > MAX_CHANNELS) sent.delete(sent.keys().next().value!);
      return true;
    },
  };
}

// The Dismiss button's custom_id, `ic1:x:<author user id>`: the author of the unfurled message may remove
// the reply (as may anyone with Manage Messages), so the id travels with the button.
const DISMISS_PATTERN = /^ic1:x:(\d{1,20})$/;

export function dismissCustomId(authorId: string): string {
  return `ic1:x:${authorId}`;
}

/** The author's user id, or null when `customId` is not a Dismiss button. */
export function parseDismissId(customId: string): string | null {
  return DISMISS_PATTERN.exec(customId)?.[1] ?? null;
}

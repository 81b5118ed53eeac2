// Cuts text to a platform or protocol limit: the one truncation every renderer and handler uses.

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units, ending in an ellipsis when cut. Never splits a surrogate pair
 * (half an emoji renders as a replacement character, and some platforms reject it), and never returns an empty
 * string for non-empty input (Discord rejects empty field values).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, max);
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

// Times on Teams cards. Adaptive Cards' {{DATE()}} and {{TIME()}} show a time in the reader's own time zone
// and locale, but Teams formats only whole-second UTC times (2026-11-27T08:20:00Z) and leaves anything else as
// typed. Thumbnail previews are not Adaptive Cards and show the macros raw: they get plain UTC text.
const ISO_TIME = /\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?Z\b/g;

/** "{{DATE(…, SHORT)}} {{TIME(…)}}" for an ISO time; other text unchanged. */
export function readerTime(iso: string): string {
  return iso.replace(
    ISO_TIME,
    (_whole, seconds: string) => `{{DATE(${seconds}Z, SHORT)}} {{TIME(${seconds}Z)}}`,
  );
}

/** "27 Nov 2026, 08:20 UTC" for an ISO time, where macros are not formatted; other text unchanged. */
export function utcText(iso: string): string {
  return iso.replace(ISO_TIME, (_whole, seconds: string) => {
    const at = new Date(`${seconds}Z`);
    const day = at.toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    return `${day}, ${seconds.slice(11, 16)} UTC`;
  });
}

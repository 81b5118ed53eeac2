// Adaptive Card TextBlocks (and FactSet values in Teams) render a markdown subset: `**bold**`, `_italic_`,
// `[text](url)` links, lists at the start of a line. Titles and names come from whoever wrote the alert rule or
// the dataset, so they are shown as written, not interpreted: a rule named `[Pay here](https://evil.example)`
// must not become a link in every card of the channel.

/** The characters that open emphasis, code or a link anywhere in a line (a link needs its `[…]`). */
const INLINE = /[\\`*_~[\]]/g;
/** A list marker (`- `, `+ `, `1. `) at the start of a line. */
const LINE_START = /^(\s*)([-+]|\d+\.)(\s)/gm;

export function escapeMarkdown(text: string): string {
  return text.replace(INLINE, (character) => `\\${character}`).replace(LINE_START, '$1\\$2$3');
}

// TabSeparated ("Escaped") text: the upsert check's external table of ids (inserts themselves use RowBinary) and
// query parameter values, which ClickHouse reads in the same escaped form.

/** One TabSeparated line per id. */
export function encodeIds(rows: readonly { id: string }[]): string {
  let body = '';
  for (const row of rows) body += `${escapedField(row.id)}\n`;
  return body;
}

// TabSeparated escaping: a field ends at a raw tab or newline, so those (and the escape character itself)
// are written as escape sequences.
const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_SPECIALS = /[\\\t\n\r\0]/g;
const TSV_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};

/** One field in ClickHouse's Escaped form. */
export function escapedField(value: string): string {
  return TSV_SPECIAL.test(value) ? value.replace(TSV_SPECIALS, (c) => TSV_ESCAPES[c]!) : value;
}

// Reads a batch's answer (`qi<TAB>v` lines in TabSeparated) back into values in query order. Anything else —
// a proxy's error page, a truncated body, a missing or repeated index — is rejected rather than guessed at; only
// the queries of a shared scan may be absent (an empty window), and then take their value over no rows.
import { fillSeries, type MetricValue, type SeriesQuery, type SeriesValues } from '../../model.ts';
import { ClickHouseError } from './http.ts';

const LINE = /^(\d+)\t(\\N|nan|-nan|[-+]?inf|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)$/;

export function decodeBatch(
  text: string,
  count: number,
  absent: ReadonlyMap<number, MetricValue> = new Map(),
): MetricValue[] {
  const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  if (lines.length > count || lines.length < count - absent.size) {
    throw new ClickHouseError(
      `expected ${count} result rows, got ${lines.length}: ${preview(text)}`,
      'protocol',
    );
  }
  const values: MetricValue[] = new Array(count).fill(null);
  const seen = new Set<number>();
  for (const line of lines) {
    const match = LINE.exec(line);
    const index = Number(match?.[1]);
    if (!match || index >= count || seen.has(index)) {
      throw new ClickHouseError(`unexpected result row "${preview(line)}"`, 'protocol');
    }
    seen.add(index);
    const value = Number(match[2]);
    // \N is SQL NULL; nan/inf cannot come out of the compiled aggregates, but if they did they mean "no value".
    values[index] = Number.isFinite(value) && match[2] !== '\\N' ? value : null;
  }
  for (let index = 0; index < count; index++) {
    if (seen.has(index)) continue;
    if (!absent.has(index)) {
      throw new ClickHouseError(`no result row for query ${index}: ${preview(text)}`, 'protocol');
    }
    values[index] = absent.get(index) ?? null;
  }
  return values;
}

const SERIES_LINE = /^(\d+)\t(-?\d+)\t(\\N|nan|-nan|[-+]?inf|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)$/;

/** A series' answer (`qi<TAB>interval<TAB>v` lines, see compileSeries); intervals without rows are filled. */
export function decodeSeries(text: string, query: SeriesQuery, qi: number): SeriesValues {
  const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const rows: [number, MetricValue][] = [];
  const seen = new Set<number>();
  for (const line of lines) {
    const match = SERIES_LINE.exec(line);
    const interval = Number(match?.[2]);
    if (!match || Number(match[1]) !== qi || seen.has(interval)) {
      throw new ClickHouseError(`unexpected series row "${preview(line)}"`, 'protocol');
    }
    seen.add(interval);
    const value = Number(match[3]);
    rows.push([interval, Number.isFinite(value) && match[3] !== '\\N' ? value : null]);
  }
  return fillSeries(query, rows);
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

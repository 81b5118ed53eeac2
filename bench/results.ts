// Merges a scenario's figures into bench/results.json (one flat object of name → number) and prints a table.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type Figures = Record<string, number>;

const RESULTS = fileURLToPath(new URL('./results.json', import.meta.url));

export async function mergeResults(figures: Figures): Promise<void> {
  let existing: Figures = {};
  try {
    existing = JSON.parse(await readFile(RESULTS, 'utf8')) as Figures;
  } catch {
    // First run: no file yet.
  }
  const merged = { ...existing, ...figures };
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(RESULTS, `${JSON.stringify(sorted, null, 2)}\n`);
}

export function printTable(title: string, rows: [string, string | number][]): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\n${title}`);
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
}

/** Latency percentiles (ms) of a list of samples. */
export function percentiles(samples: readonly number[]): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// Validates a whole dataset: the zod schema, then cross-references. From a `.json` file every problem is
// reported at the line of the value it concerns; for a dataset already in memory, at its path.
import {
  findNodeAtLocation,
  getNodeValue,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import { Dataset } from '../dataset.ts';
import type { Metadata } from '../duckdb/metadata.ts';
import { describeIssue, type ErrorList } from './errors.ts';
import { checkOwnership } from './ownership.ts';
import { checkReferences } from './references.ts';

type Path = (string | number)[];

/** Validates a parsed dataset; `report` receives each problem with the path of the value it concerns. */
export function validateDataset(
  raw: unknown,
  existing: Metadata,
  report: (path: Path, reason: string) => void,
  options: { allowMove?: boolean } = {},
): Dataset | null {
  const parsed = Dataset.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(issue.path as Path, describeIssue(issue));
    return null;
  }
  const references = [
    ...checkOwnership(existing, parsed.data, options),
    ...checkReferences(existing, parsed.data),
  ];
  for (const issue of references) report(issue.path, `${issue.path.join('.')}: ${issue.reason}`);
  return references.length === 0 ? parsed.data : null;
}

export function validateJsonDataset(
  file: string,
  text: string,
  existing: Metadata,
  errors: ErrorList,
  options: { allowMove?: boolean } = {},
): Dataset | null {
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { allowTrailingComma: false, disallowComments: true });
  const first = syntax[0];
  if (first || !tree) {
    // Later syntax errors are usually echoes of the first one.
    const words = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toLowerCase()
      : 'empty file';
    errors.add(file, lineAt(text, first?.offset ?? 0), `invalid JSON: ${words}`);
    return null;
  }
  const lines = lineIndex(text);
  const line = (path: Path) => {
    // The deepest node that exists: a missing key is reported at the object that lacks it.
    for (let length = path.length; length >= 0; length--) {
      const node = findNodeAtLocation(tree, path.slice(0, length));
      if (node) return lines(node.offset);
    }
    return 1;
  };
  // Only the reported errors need a line; the rest are counted. (Looking each one up from the start of the
  // file made 20,000 bad rows take about a minute.)
  return validateDataset(
    getNodeValue(tree),
    existing,
    (path, reason) => errors.add(file, errors.full ? 0 : line(path), reason),
    options,
  );
}

/** Line numbers by offset in O(log n) each, from one pass over the text. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

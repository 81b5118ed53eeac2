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
import { checkReferences } from './references.ts';

type Path = (string | number)[];

/** Validates a parsed dataset; `report` receives each problem with the path of the value it concerns. */
export function validateDataset(
  raw: unknown,
  existing: Metadata,
  report: (path: Path, reason: string) => void,
): Dataset | null {
  const parsed = Dataset.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report(issue.path as Path, describeIssue(issue));
    return null;
  }
  const references = checkReferences(existing, parsed.data);
  for (const issue of references) report(issue.path, `${issue.path.join('.')}: ${issue.reason}`);
  return references.length === 0 ? parsed.data : null;
}

export function validateJsonDataset(
  file: string,
  text: string,
  existing: Metadata,
  errors: ErrorList,
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
  const line = (path: Path) => {
    // The deepest node that exists: a missing key is reported at the object that lacks it.
    for (let length = path.length; length >= 0; length--) {
      const node = findNodeAtLocation(tree, path.slice(0, length));
      if (node) return lineAt(text, node.offset);
    }
    return 1;
  };
  return validateDataset(getNodeValue(tree), existing, (path, reason) =>
    errors.add(file, line(path), reason),
  );
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

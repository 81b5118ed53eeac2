// Validates a whole-dataset `.json` file: JSON syntax, the zod schema, then cross-references; every problem is
// reported at the line of the value it concerns.
import { findNodeAtLocation, type ParseError, parse, parseTree, printParseErrorCode } from 'jsonc-parser';
import { Dataset } from '../dataset.ts';
import type { Metadata } from '../duckdb/metadata.ts';
import { describeIssue, type ErrorList } from './errors.ts';
import { checkReferences } from './references.ts';

export function validateJsonDataset(
  file: string,
  text: string,
  existing: Metadata,
  errors: ErrorList,
): Dataset | null {
  const syntax: ParseError[] = [];
  const raw = parse(text, syntax, { allowTrailingComma: false, disallowComments: true });
  const first = syntax[0];
  if (first) {
    // Later syntax errors are usually echoes of the first one.
    const words = printParseErrorCode(first.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
    errors.add(file, lineAt(text, first.offset), `invalid JSON: ${words}`);
    return null;
  }
  const tree = parseTree(text);
  const line = (path: (string | number)[]) => {
    // The deepest node that exists: a missing key is reported at the object that lacks it.
    for (let length = path.length; length >= 0; length--) {
      const node = tree && findNodeAtLocation(tree, path.slice(0, length));
      if (node) return lineAt(text, node.offset);
    }
    return 1;
  };
  const parsed = Dataset.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.add(file, line(issue.path as (string | number)[]), describeIssue(issue));
    }
    return null;
  }
  const references = checkReferences(existing, parsed.data);
  for (const issue of references)
    errors.add(file, line(issue.path), `${issue.path.join('.')}: ${issue.reason}`);
  return references.length === 0 ? parsed.data : null;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// Import errors as `file:line: reason`, collected up to a limit.
import type { z } from 'zod';

export const MAX_REPORTED_ERRORS = 20;

export type ImportError = { file: string; line: number; reason: string };

export class ErrorList {
  readonly errors: ImportError[] = [];
  total = 0;

  add(file: string, line: number, reason: string): void {
    this.total++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ file, line, reason });
  }

  get full(): boolean {
    return this.errors.length >= MAX_REPORTED_ERRORS;
  }
}

export function formatError(error: ImportError): string {
  return `${error.file}:${error.line}: ${error.reason}`;
}

/** "timestamp: must be an ISO-8601 time" — the path inside the object, then zod's message. */
export function describeIssue(issue: z.core.$ZodIssue, prefix: (string | number)[] = []): string {
  const path = [...prefix, ...issue.path].map(String);
  const where = path.length > 0 ? `${path.join('.')}: ` : '';
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${where}is required`;
  return `${where}${issue.message}`;
}

// Turns zod's issues into the contract's INVALID_INPUT error: one detail per field, and a message
// that names the first one ("title: must not be empty").
import type { z } from 'zod';
import type { ErrorDetail } from '../../contract/index.ts';
import { AppError } from './app-error.ts';
import { findUnstorableText } from './storable-text.ts';

function issueDetails(issue: z.core.$ZodIssue, prefix: (string | number)[]): ErrorDetail[] {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  if (issue.code === 'unrecognized_keys') {
    // Unknown fields are refused rather than ignored, so a misspelt field never silently does nothing.
    return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'is not a known field' }));
  }
  return [{ path: path.join('.'), message: issue.message }];
}

export function validationError(error: z.ZodError, where: string): AppError {
  const details = error.issues.flatMap((issue) => issueDetails(issue, []));
  const first = details[0] ?? { path: '', message: 'is invalid' };
  const head = first.path ? `${first.path}: ${first.message}` : `${where}: ${first.message}`;
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : '';
  return new AppError('INVALID_INPUT', head + more, details);
}

export function parseInput<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  // Before the schema, so it holds for every field of every route, known or not.
  const unstorable = findUnstorableText(value);
  if (unstorable) {
    throw new AppError('INVALID_INPUT', `${unstorable.path || where}: ${unstorable.message}`, [unstorable]);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

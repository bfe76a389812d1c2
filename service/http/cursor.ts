// Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded JSON.
import { invalidInput } from './app-error.ts';

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor with the same shape, or throws INVALID_INPUT. */
export function decodeCursor<T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'number' ? number : string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => typeof part !== shape[i])) {
    throw invalidInput('cursor', 'is not a cursor from this list; pass nextCursor of the previous page as it was');
  }
  return key as { [K in keyof T]: T[K] extends 'number' ? number : string };
}

/** Splits one extra fetched row off a page to tell whether a next page exists. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (last: T) => (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

// Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded JSON.
// A cursor comes back from the client, so it is input like any other: each part is checked
// against the kind of key it must be before it reaches a query, and one that was not made here
// (wrong shape, a time that is no time, an id that is no UUID, a number out of range) is a 400
// naming `cursor`, never a database error.
import { invalidInput } from './app-error.ts';

/** The kinds of sort key a cursor part can hold. */
export type CursorPart = 'timestamp' | 'uuid' | 'version';
type PartValue<K extends CursorPart> = K extends 'version' ? number : string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Exactly what Date#toISOString writes for the years PostgreSQL and JavaScript share.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_INT4 = 2_147_483_647;

const isPart: { [K in CursorPart]: (value: unknown) => boolean } = {
  // Year 0 is valid in JavaScript, not in PostgreSQL.
  timestamp: (v) => typeof v === 'string' && ISO_TIME.test(v) && !v.startsWith('0000') && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v,
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  // Version numbers are PostgreSQL integers from 1 up.
  version: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_INT4,
};

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor with the same parts, or throws INVALID_INPUT. */
export function decodeCursor<const T extends readonly CursorPart[]>(cursor: string, shape: T): { [I in keyof T]: PartValue<T[I]> } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || shape.some((part, i) => !isPart[part](key[i]))) {
    throw invalidInput('cursor', 'is not a cursor from this list; pass nextCursor of the previous page as it was');
  }
  return key as { [I in keyof T]: PartValue<T[I]> };
}

/** Splits one extra fetched row off a page to tell whether a next page exists. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (last: T) => (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

// PostgreSQL cannot store the NUL character in text or jsonb, so a string holding one failed deep
// in a query with a 500. A string with an unpaired UTF-16 surrogate (half of an emoji cut in two)
// is turned into U+FFFD by the UTF-8 encoding on its way to the database, so it would be stored
// altered without a word. Both are refused up front, for every string of every input (and every
// key of a JSON object, since some objects are stored as they come), naming the field.
import type { ErrorDetail } from '../../contract/index.ts';

const NUL = '\u0000';
// With the u flag a surrogate range matches only surrogates that are not part of a pair.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';
export const SURROGATE_MESSAGE = 'must be valid Unicode: it holds half of a surrogate pair';

function problemOf(text: string): string | undefined {
  if (text.includes(NUL)) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return SURROGATE_MESSAGE;
  return undefined;
}

/**
 * Text others wrote (a model's output, a provider's error), which is kept rather than refused, as
 * PostgreSQL can keep it: each NUL and each half of a surrogate pair becomes U+FFFD, as the UTF-8
 * encoding on the way to the database would make the half pair anyway.
 */
export function storableText(text: string): string {
  return text.includes(NUL) || LONE_SURROGATE.test(text) ? text.replace(/[\u0000\uD800-\uDFFF]/gu, '\uFFFD') : text;
}

/** Whether a UTF-16 code unit is the first half of a surrogate pair (its second half must follow). */
export const isFirstHalf = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** `text` without a last character that is the first half of a pair whose second half may come next. */
export function withoutTrailingHalf(text: string): string {
  return isFirstHalf(text.charCodeAt(text.length - 1)) ? text.slice(0, -1) : text;
}

/**
 * A provider's text as it streams, made storable piece by piece: the pieces it gives out join to
 * exactly storableText() of the pieces it took in, so what a stream showed is what is saved. A
 * pair split across two pieces is joined, not made two U+FFFD: a piece's last character, when it is
 * the first half of a pair, is kept back until the next piece says whether the second half follows.
 * A half kept back at the end is the stored output's last character, which the run's end carries.
 */
export class StorableTextStream {
  private held = '';

  next(piece: string): string {
    const text = this.held + piece;
    const certain = withoutTrailingHalf(text);
    this.held = text.slice(certain.length);
    return storableText(certain);
  }
}

/** A key as it can be shown in a path: the characters at fault escaped. */
function printable(key: string): string {
  return key.replace(/[\u0000\uD800-\uDFFF]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface Step {
  value: unknown;
  key: string | number | undefined;
  parent: Step | undefined;
}

function pathOf(step: Step): string {
  const parts: (string | number)[] = [];
  for (let s: Step | undefined = step; s?.key !== undefined; s = s.parent) parts.push(s.key);
  return parts.reverse().join('.');
}

/**
 * The first string (or key) in `value` that cannot be stored as given, with its dotted path.
 * Iterative, with each step linked to its parent rather than carrying its path, so a deeply nested
 * body costs time in proportion to its size and cannot exhaust the stack.
 */
export function findUnstorableText(value: unknown): ErrorDetail | undefined {
  const pending: Step[] = [{ value, key: undefined, parent: undefined }];
  while (pending.length > 0) {
    const step = pending.pop() as Step;
    const current = step.value;
    if (typeof current === 'string') {
      const message = problemOf(current);
      if (message) return { path: pathOf(step), message };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], key: i, parent: step });
    } else if (current && typeof current === 'object') {
      const entries = Object.entries(current);
      for (const [key] of entries) {
        const message = problemOf(key);
        if (message) return { path: pathOf({ value: undefined, key: printable(key), parent: step }), message: `(a key) ${message}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i] as [string, unknown];
        pending.push({ value: inner, key, parent: step });
      }
    }
  }
  return undefined;
}

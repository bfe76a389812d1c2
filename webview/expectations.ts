// Expectations as the Cases tab edits them: every kind with its words, and the text a user types
// turned into the value the service takes. The kinds are listed here rather than imported from
// contract/cases.ts, which carries zod; the `satisfies` below and a test hold the two lists equal.
// What a value must be beyond its type (a safe regex, non-empty text, a limit of 0 or more) is the
// service's rule: its 400 is shown next to the field.
import type { Expectation, ExpectationKind } from '../contract/index.ts';
import type { ExpectationDraft } from './protocol.ts';

export const KINDS = ['contains', 'notContains', 'regex', 'equals', 'jsonValid', 'maxOutputTokens', 'maxCostUsd', 'maxLatencyMs'] as const satisfies readonly ExpectationKind[];
// Fails to compile when the contract gains a kind this list lacks.
const everyKind: Record<ExpectationKind, true> = Object.fromEntries(KINDS.map((k) => [k, true])) as Record<(typeof KINDS)[number], true>;
void everyKind;

export const KIND_LABELS: Record<ExpectationKind, string> = {
  contains: 'Contains',
  notContains: 'Does not contain',
  regex: 'Matches the regex',
  equals: 'Equals',
  jsonValid: 'Is valid JSON',
  maxOutputTokens: 'Output tokens at most',
  maxCostUsd: 'Cost at most (USD)',
  maxLatencyMs: 'Latency at most (ms)',
};

const NUMERIC = new Set<ExpectationKind>(['maxOutputTokens', 'maxCostUsd', 'maxLatencyMs']);

export const isNumeric = (kind: ExpectationKind): boolean => NUMERIC.has(kind);

/** One expectation row while it is edited: the value as typed. */
export interface ExpectationRow {
  kind: ExpectationKind;
  text: string;
}

export function rowOf(expectation: Expectation): ExpectationRow {
  return { kind: expectation.kind, text: String(expectation.value) };
}

/** A new row of `kind`, keeping what was typed when it still fits. */
export function withKind(row: ExpectationRow, kind: ExpectationKind): ExpectationRow {
  if (kind === 'jsonValid') return { kind, text: row.text === 'false' ? 'false' : 'true' };
  if (row.kind === 'jsonValid') return { kind, text: '' };
  return { kind, text: isNumeric(kind) === isNumeric(row.kind) ? row.text : '' };
}

/** The value to send, or what is wrong with the text (only what the browser can tell: a number). */
export function parseRow(row: ExpectationRow): { ok: true; expectation: ExpectationDraft } | { ok: false; problem: string } {
  if (row.kind === 'jsonValid') return { ok: true, expectation: { kind: row.kind, value: row.text !== 'false' } };
  if (!isNumeric(row.kind)) return { ok: true, expectation: { kind: row.kind, value: row.text } };
  const text = row.text.trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) return { ok: false, problem: 'Enter a number' };
  return { ok: true, expectation: { kind: row.kind, value } };
}

/** "Contains “LGTM”", "Output tokens at most 200", "Is not valid JSON". */
export function describeExpectation(e: Expectation): string {
  if (e.kind === 'jsonValid') return e.value ? 'Is valid JSON' : 'Is not valid JSON';
  if (typeof e.value === 'string') return `${KIND_LABELS[e.kind]} “${e.value.length > 80 ? `${e.value.slice(0, 80)}…` : e.value}”`;
  return `${KIND_LABELS[e.kind]} ${e.value}`;
}

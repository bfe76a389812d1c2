// What the panel keeps across being hidden, closed with the window and VS Code reloads
// (vscode.setState). Checked on the way in, because an older extension may have written another
// shape. The check is a few small guards rather than a zod schema: zod would be three quarters of
// the webview's bundle, and this state is the only thing the webview reads that the host did not
// check first.
import type { TestRun } from '../contract/index.ts';
import { RUN_STATUSES, type RunStatusName } from '../contract/run-statuses.ts';
import { EMPTY_PARAMS } from './params.ts';
import type { RunFilters } from './protocol.ts';
import { isBoolean, isNullOr, isNumber, isOneOf, isRecord, isString, isStringRecord } from './guards.ts';

export const TABS = ['run', 'history', 'compare', 'cases', 'usage'] as const;
export type Tab = (typeof TABS)[number];
const USAGE_GROUPS = ['day', 'version', 'model', 'prompt'] as const;
const PARAM_FIELDS = ['temperature', 'topP', 'maxOutputTokens', 'reasoningEffort', 'verbosity'] as const;

/** Run all's form, the batch on screen and the two columns compared. */
export interface BatchState {
  /** null until chosen: the current version. */
  versionIds: string[] | null;
  /** null until chosen: the run form's model. */
  models: string[] | null;
  repeats: string;
  params: Record<(typeof PARAM_FIELDS)[number], string>;
  /** The batch on screen: followed again after a reload while it runs. */
  id: string | null;
  /**
   * The last Run all sent: its idempotency key and request. Pressed again with the same choices
   * while that batch has not finished (a double click, a press before the answer came), the same
   * key goes again, so the service answers the same batch; a reload before the answer resends it.
   */
  start: { key: string; request: string } | null;
  compare: { a: string | null; b: string | null };
}

export function initialBatchState(): BatchState {
  return { versionIds: null, models: null, repeats: '1', params: { ...EMPTY_PARAMS }, id: null, start: null, compare: { a: null, b: null } };
}

export interface PanelState {
  promptId: string;
  title: string;
  tab: Tab;
  form: {
    /** null: the current version at the time of the run. */
    versionId: string | null;
    model: string;
    params: Record<(typeof PARAM_FIELDS)[number], string>;
    variables: Record<string, string>;
    input: string;
  };
  /** The run shown under the form: its id, the text streamed so far, and, once done, the run. */
  live: { runId: string; status: RunStatusName; output: string; startedAt: number; run: TestRun | null } | null;
  filters: RunFilters;
  selectedRunId: string | null;
  compare: { a: string | null; b: string | null };
  usage: { groupBy: (typeof USAGE_GROUPS)[number]; allPrompts: boolean };
  batch: BatchState;
}

export function initialState(promptId: string, title: string): PanelState {
  return {
    promptId,
    title,
    tab: 'run',
    form: { versionId: null, model: '', params: { ...EMPTY_PARAMS }, variables: {}, input: '' },
    live: null,
    filters: { status: null, model: null, promptVersionId: null, q: null },
    selectedRunId: null,
    compare: { a: null, b: null },
    usage: { groupBy: 'day', allPrompts: false },
    batch: initialBatchState(),
  };
}

/**
 * The kept state if it is whole and belongs to this prompt, else a fresh one. A state kept before
 * Run all existed (or with a batch part of another shape) keeps the rest, with Run all fresh.
 */
export function restoreState(kept: unknown, promptId: string, title: string): PanelState {
  if (!isPanelState(kept) || kept.promptId !== promptId) return initialState(promptId, title);
  const batch = kept.batch;
  return { ...kept, batch: isBatchState(batch) ? batch : initialBatchState() };
}

const isNullableString = isNullOr(isString);

function isForm(v: unknown): v is PanelState['form'] {
  return (
    isRecord(v) &&
    isNullableString(v.versionId) &&
    isString(v.model) &&
    isRecord(v.params) &&
    PARAM_FIELDS.every((field) => isString((v.params as Record<string, unknown>)[field])) &&
    isStringRecord(v.variables) &&
    isString(v.input)
  );
}

/** A finished run as the webview kept it: the fields the panel reads to draw it. */
function isKeptRun(v: unknown): v is TestRun {
  return isRecord(v) && isString(v.id) && isOneOf(RUN_STATUSES)(v.status) && isNullableString(v.output) && isString(v.model) && isString(v.createdAt);
}

function isLive(v: unknown): v is NonNullable<PanelState['live']> {
  return isRecord(v) && isString(v.runId) && isOneOf(RUN_STATUSES)(v.status) && isString(v.output) && isNumber(v.startedAt) && isNullOr(isKeptRun)(v.run);
}

function isFilters(v: unknown): v is RunFilters {
  return isRecord(v) && isNullOr(isOneOf(RUN_STATUSES))(v.status) && isNullableString(v.model) && isNullableString(v.promptVersionId) && isNullableString(v.q);
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);

function isBatchState(v: unknown): v is BatchState {
  return (
    isRecord(v) &&
    isNullOr(isStringList)(v.versionIds) &&
    isNullOr(isStringList)(v.models) &&
    isString(v.repeats) &&
    isRecord(v.params) &&
    PARAM_FIELDS.every((field) => isString((v.params as Record<string, unknown>)[field])) &&
    isNullableString(v.id) &&
    (v.start === null || (isRecord(v.start) && isString(v.start.key) && isString(v.start.request))) &&
    isRecord(v.compare) &&
    isNullableString(v.compare.a) &&
    isNullableString(v.compare.b)
  );
}

/** Whole but for `batch`, which restoreState checks on its own. */
export function isPanelState(v: unknown): v is Omit<PanelState, 'batch'> & { batch?: unknown } {
  return (
    isRecord(v) &&
    isString(v.promptId) &&
    isString(v.title) &&
    isOneOf(TABS)(v.tab) &&
    isForm(v.form) &&
    isNullOr(isLive)(v.live) &&
    isFilters(v.filters) &&
    isNullableString(v.selectedRunId) &&
    isRecord(v.compare) &&
    isNullableString(v.compare.a) &&
    isNullableString(v.compare.b) &&
    isRecord(v.usage) &&
    isOneOf(USAGE_GROUPS)(v.usage.groupBy) &&
    isBoolean(v.usage.allPrompts)
  );
}



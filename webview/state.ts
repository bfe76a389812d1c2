// What the panel keeps across being hidden, closed with the window and VS Code reloads
// (vscode.setState). Parsed on the way in: an older extension may have written another shape.
import { z } from 'zod';
import { Id, RunStatus, TestRun } from '../contract/index.ts';
import { EMPTY_PARAMS } from './params.ts';
import { RunFilters } from './protocol.ts';

export const TABS = ['run', 'history', 'compare', 'usage', 'batch'] as const;
export type Tab = (typeof TABS)[number];

const ParamText = z.object({
  temperature: z.string(),
  topP: z.string(),
  maxOutputTokens: z.string(),
  reasoningEffort: z.string(),
  verbosity: z.string(),
});

/** Run all's form, the batch on screen and the two columns compared. */
const BatchState = z.object({
  /** null until chosen: the current version. */
  versionIds: z.array(Id).nullable(),
  /** null until chosen: the run form's model. */
  models: z.array(z.string()).nullable(),
  repeats: z.string(),
  params: ParamText,
  /** The batch on screen: followed again after a reload while it runs. */
  id: Id.nullable(),
  /**
   * The last Run all sent: its idempotency key and request. Pressed again with the same choices
   * while that batch has not finished (a double click, a press before the answer came), the same
   * key goes again, so the service answers the same batch; a reload before the answer resends it.
   */
  start: z.object({ key: z.string(), request: z.string() }).nullable(),
  compare: z.object({ a: z.string().nullable(), b: z.string().nullable() }),
});
export type BatchState = z.infer<typeof BatchState>;

export function initialBatchState(): BatchState {
  return { versionIds: null, models: null, repeats: '1', params: { ...EMPTY_PARAMS }, id: null, start: null, compare: { a: null, b: null } };
}

export const PanelState = z.object({
  promptId: Id,
  title: z.string(),
  tab: z.enum(TABS),
  form: z.object({
    /** null: the current version at the time of the run. */
    versionId: Id.nullable(),
    model: z.string(),
    params: ParamText,
    variables: z.record(z.string(), z.string()),
    input: z.string(),
  }),
  /** The run shown under the form: its id, the text streamed so far, and, once done, the run. */
  live: z
    .object({
      runId: Id,
      status: RunStatus,
      output: z.string(),
      startedAt: z.number(),
      run: TestRun.nullable(),
    })
    .nullable(),
  filters: RunFilters,
  selectedRunId: Id.nullable(),
  compare: z.object({ a: Id.nullable(), b: Id.nullable() }),
  usage: z.object({ groupBy: z.enum(['day', 'version', 'model', 'prompt']), allPrompts: z.boolean() }),
  /** A state kept before Run all existed has none: it starts empty rather than losing the rest. */
  batch: BatchState.default(initialBatchState),
});
export type PanelState = z.infer<typeof PanelState>;

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

/** The kept state if it is whole and belongs to this prompt, else a fresh one. */
export function restoreState(kept: unknown, promptId: string, title: string): PanelState {
  const parsed = PanelState.safeParse(kept);
  return parsed.success && parsed.data.promptId === promptId ? parsed.data : initialState(promptId, title);
}

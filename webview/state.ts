// What the panel keeps across being hidden, closed with the window and VS Code reloads
// (vscode.setState). Parsed on the way in: an older extension may have written another shape.
import { z } from 'zod';
import { Id, RunStatus, TestRun } from '../contract/index.ts';
import { EMPTY_PARAMS } from './params.ts';
import { RunFilters } from './protocol.ts';

export const TABS = ['run', 'history', 'compare', 'usage'] as const;
export type Tab = (typeof TABS)[number];

const ParamText = z.object({
  temperature: z.string(),
  topP: z.string(),
  maxOutputTokens: z.string(),
  reasoningEffort: z.string(),
  verbosity: z.string(),
});

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
  };
}

/** The kept state if it is whole and belongs to this prompt, else a fresh one. */
export function restoreState(kept: unknown, promptId: string, title: string): PanelState {
  const parsed = PanelState.safeParse(kept);
  return parsed.success && parsed.data.promptId === promptId ? parsed.data : initialState(promptId, title);
}

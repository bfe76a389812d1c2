// The one message protocol between the run panel's webview and the extension host. Both sides import
// this file; nothing else crosses the boundary. The webview speaks first (`ready`), then asks with
// numbered requests that the host answers with a reply carrying the same id; the host also pushes
// run streaming events. The host checks every message against these schemas twice: what arrives
// (a webview is a browser page and the host must not trust it) and what it posts (the webview must
// not render a half-shaped answer). The webview imports only the types from here, so its bundle
// carries no zod; it checks only the envelope.
import { z } from 'zod';
import {
  Batch,
  EXPECTATION_KINDS,
  ErrorDetail,
  MAX_BATCH_REPEATS,
  Id,
  ModelInfo,
  PromptWithVersion,
  RunParams,
  RunStatus,
  TestCase,
  TestRun,
  USAGE_GROUPS,
  UsageReport,
  Version,
  listOf,
} from '../contract/index.ts';

/** What the panel remembers per prompt between runs and sessions (kept by the host). */
export const RememberedInputs = z.object({
  variables: z.record(z.string(), z.string()),
  input: z.string(),
  model: z.string().nullable(),
  params: RunParams,
});
export type RememberedInputs = z.infer<typeof RememberedInputs>;

/**
 * Whether runs have an OpenAI key: `set` or `missing` in the extension's secret storage (for its
 * local service), or `service` when a service of the user's own has its key where it runs.
 */
export const ApiKeyState = z.enum(['set', 'missing', 'service']);
export type ApiKeyState = z.infer<typeof ApiKeyState>;

export const PanelData = z.object({
  prompt: PromptWithVersion,
  versions: listOf(Version),
  models: z.array(ModelInfo),
  remembered: RememberedInputs.nullable(),
  /** Absent from a host that does not say: treated as `service`. */
  apiKey: ApiKeyState.optional(),
});
export type PanelData = z.infer<typeof PanelData>;

export const RunFilters = z.object({
  status: RunStatus.nullable(),
  model: z.string().nullable(),
  promptVersionId: Id.nullable(),
  q: z.string().nullable(),
});
export type RunFilters = z.infer<typeof RunFilters>;

const Nothing = z.null();
const RunId = z.object({ runId: Id });
const VersionId = z.object({ versionId: Id });
const BatchId = z.object({ batchId: Id });

/** Run all offers up to this many models at once (the service takes more). */
export const MAX_RUN_ALL_MODELS = 5;
const CaseId = z.object({ caseId: Id });

/**
 * An expectation as the Cases tab sends it: the kind and a value of the right JavaScript type. Its
 * rules (a regex that could take exponential time, a negative limit, empty text) are the service's:
 * its 400 names the field, and the tab shows that next to it, keeping what was typed.
 */
export const ExpectationDraft = z.object({ kind: z.enum(EXPECTATION_KINDS), value: z.union([z.string(), z.number(), z.boolean()]) });
export type ExpectationDraft = z.infer<typeof ExpectationDraft>;
const CaseFields = z.object({
  name: z.string(),
  inputVariables: z.record(z.string(), z.string()),
  /** null for a user prompt. */
  input: z.string().nullable(),
  expectations: z.array(ExpectationDraft),
});
export type CaseFields = z.infer<typeof CaseFields>;

/** Text for a variable taken from the editor: the text and where it came from ("app.ts:12–30"). */
export const CodeText = z.object({ text: z.string(), from: z.string() });
export type CodeText = z.infer<typeof CodeText>;

/**
 * Every request the webview may make: its params and the result the host answers with.
 * The host does all network work; the webview only names what it wants.
 */
export const REQUESTS = {
  /** Everything the panel needs to draw itself: the prompt with its current version, versions, models. */
  load: { params: z.object({}), result: PanelData },
  listVersions: { params: z.object({ cursor: z.string().min(1) }), result: listOf(Version) },
  getVersion: { params: VersionId, result: Version },
  startRun: {
    params: z.object({
      promptVersionId: Id.nullable(),
      model: z.string().min(1).max(200),
      params: RunParams,
      inputVariables: z.record(z.string(), z.string()),
      input: z.string().nullable(),
    }),
    result: TestRun,
  },
  /** Streams a run's events as pushes until it is done (also to pick a run up again after a reload). */
  watchRun: { params: RunId, result: Nothing },
  cancelRun: { params: RunId, result: TestRun },
  getRun: { params: RunId, result: TestRun },
  listRuns: { params: RunFilters.extend({ cursor: z.string().min(1).nullable() }), result: listOf(TestRun) },
  usage: { params: z.object({ groupBy: z.enum(USAGE_GROUPS), allPrompts: z.boolean() }), result: UsageReport },
  copyText: { params: z.object({ text: z.string() }), result: Nothing },
  openDocument: { params: z.object({ text: z.string(), language: z.enum(['markdown', 'plaintext']) }), result: Nothing },
  /**
   * Run all: every case of the prompt on each version × model, `repeats` times. The key comes from
   * the page, so a second press (or a resend after a reload) with the same key is the same batch.
   */
  startBatch: {
    params: z.object({
      promptVersionIds: z.array(Id).min(1).max(20),
      models: z.array(z.string().min(1).max(200)).min(1).max(MAX_RUN_ALL_MODELS),
      params: RunParams,
      repeats: z.number().int().min(1).max(MAX_BATCH_REPEATS),
      idempotencyKey: z.string().min(8).max(200),
    }),
    result: Batch,
  },
  cancelBatch: { params: BatchId, result: Batch },
  /** The batch with every result and its summary per version × model. */
  getBatch: { params: BatchId, result: Batch },
  /** Pushes batchProgress until the batch is over, then batchDone (also to pick a batch up again after a reload). */
  watchBatch: { params: BatchId, result: Nothing },
  /** This prompt's batches, newest first, without results. */
  listBatches: { params: z.object({}), result: listOf(Batch) },
  /** Opens VS Code's own restore flow for a version (confirmation, open documents, tree). */
  restoreVersion: { params: VersionId, result: Nothing },
  openVersion: { params: VersionId, result: Nothing },
  signIn: { params: z.object({}), result: z.object({ signedIn: z.boolean() }) },
  openSettings: { params: z.object({}), result: Nothing },
  /** Runs PromptRefine: Set OpenAI API Key; answers whether a key is kept now. */
  setApiKey: { params: z.object({}), result: z.object({ apiKey: ApiKeyState }) },
  /** The prompt's test cases, newest first. */
  listCases: { params: z.object({}), result: listOf(TestCase) },
  createCase: { params: CaseFields, result: TestCase },
  /** Only the fields given change; `expectations` replaces the list. */
  updateCase: { params: CaseId.extend(CaseFields.partial().shape), result: TestCase },
  deleteCase: { params: CaseId, result: Nothing },
  /** Saves a past run's variables and input as a case (the service names it when `name` is absent). */
  caseFromRun: { params: RunId.extend({ name: z.string().optional() }), result: TestCase },
  /** Starts the run again with its model, params, variables and input, on the current version (or the one given); watch it with watchRun. */
  replayRun: { params: RunId.extend({ promptVersionId: Id.optional() }), result: TestRun },
  /** The selection in the text editor last used (the panel has the focus now); fails saying so when nothing is selected. */
  textFromSelection: { params: z.object({}), result: CodeText },
  /** A workspace file the user picks (up to 1 MB of UTF-8 text); null when the pick was canceled. */
  textFromFile: { params: z.object({}), result: CodeText.nullable() },
} as const;

export type RequestName = keyof typeof REQUESTS;
export type RequestParams<N extends RequestName> = z.infer<(typeof REQUESTS)[N]['params']>;
export type RequestResult<N extends RequestName> = z.infer<(typeof REQUESTS)[N]['result']>;

/**
 * Why a request failed, sorted by what the user can do about it:
 * `expired` → sign in again; `unreachable` → start the service or fix the URL, then retry;
 * `invalid` → fix the fields named in `details` (the service's words); `other` → read the message.
 */
export const PanelError = z.object({
  kind: z.enum(['expired', 'unreachable', 'invalid', 'notFound', 'other']),
  message: z.string(),
  details: z.array(ErrorDetail),
});
export type PanelError = z.infer<typeof PanelError>;

/** Messages the host pushes without being asked. */
export const PUSHES = {
  runDelta: z.object({ runId: Id, text: z.string() }),
  /** The service started the run over (a retry), or the stream was joined again: drop the text so far. */
  runReset: z.object({ runId: Id, attempt: z.number().int().nullable(), reason: z.string() }),
  runDone: z.object({ run: TestRun }),
  /** The stream broke before the run finished and could not be joined again. */
  runStreamFailed: z.object({ runId: Id, error: PanelError }),
  /** A batch being watched moved on: each run's status and result so far. */
  batchProgress: z.object({ batch: Batch }),
  /** The batch is finished or canceled: whole, with results and summary. */
  batchDone: z.object({ batch: Batch }),
  /** The batch's stream broke and could not be joined again. */
  batchStreamFailed: z.object({ batchId: Id, error: PanelError }),
  /** The prompt changed outside the panel (a save, a restore) or the panel was shown again. */
  refresh: z.object({}),
} as const;
export type PushName = keyof typeof PUSHES;
export type PushPayload<N extends PushName> = z.infer<(typeof PUSHES)[N]>;

// ---- Envelopes ----------------------------------------------------------------------------------

export const RequestId = z.number().int().nonnegative();

/** webview → host */
export const ToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('request'), id: RequestId, name: z.enum(Object.keys(REQUESTS) as [RequestName, ...RequestName[]]), params: z.unknown() }),
]);
export type ToHost = z.infer<typeof ToHost>;

/** host → webview */
export const ToWebview = z.union([
  z.object({ type: z.literal('reply'), id: RequestId, ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('reply'), id: RequestId, ok: z.literal(false), error: PanelError }),
  z.object({ type: z.literal('push'), name: z.enum(Object.keys(PUSHES) as [PushName, ...PushName[]]), payload: z.unknown() }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

export type RequestMessage<N extends RequestName = RequestName> = { type: 'request'; id: number; name: N; params: RequestParams<N> };
export type PushMessage<N extends PushName = PushName> = { type: 'push'; name: N; payload: PushPayload<N> };

export function pushMessage<N extends PushName>(name: N, payload: PushPayload<N>): PushMessage<N> {
  return { type: 'push', name, payload };
}

/** A reason a message was refused, short enough for a log line. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`).join('; ');
}

// ---- What the webview keeps across hide/show and reloads (vscode.setState) ----------------------

/** The part of the webview's state the host reads: which prompt a restored panel belongs to. */
export const PanelStateHead = z.object({ promptId: Id, title: z.string().optional() });
export type PanelStateHead = z.infer<typeof PanelStateHead>;

export const VIEW_TYPE = 'promptrefine.runPanel';

// The host's side of one panel's protocol: checks every message from the webview, answers each
// request through the REST clients, and pushes run streaming events. It holds nothing VS Code
// specific (the editor actions come in as `PanelUi`), so it is tested with plain mocha against the
// real service. Nothing is posted before the webview's `ready`.
import type { PromptWithVersion, Version } from '../../contract/index.ts';
import {
  PUSHES,
  REQUESTS,
  ToHost,
  describeIssues,
  pushMessage,
  type ApiKeyState,
  type PanelData,
  type PushName,
  type PushPayload,
  type RememberedInputs,
  type RequestName,
  type RequestParams,
  type RequestResult,
  type ToWebview,
} from '../../webview/protocol.ts';
import type { BatchesClient } from '../api/batches.ts';
import type { CasesClient } from '../api/cases.ts';
import type { PromptRefineClient } from '../api/client.ts';
import type { RunsClient } from '../api/runs.ts';
import { textOfFile, textOfSelection, type CodeSource } from './code-text.ts';
import { toPanelError } from './panel-error.ts';
import { followBatch, type BatchStreamOptions } from './batch-stream.ts';
import { followRun, type StreamOptions } from './run-stream.ts';

export interface RememberedStore {
  get(promptId: string): RememberedInputs | null;
  set(promptId: string, value: RememberedInputs): PromiseLike<void>;
}

/** What the panel asks of the editor itself. */
export interface PanelUi {
  copy(text: string): PromiseLike<void>;
  openDocument(text: string, language: 'markdown' | 'plaintext'): PromiseLike<unknown>;
  restoreVersion(prompt: PromptWithVersion, version: Version): PromiseLike<unknown>;
  openVersion(prompt: PromptWithVersion, version: Version): PromiseLike<unknown>;
  signIn(): Promise<boolean>;
  openSettings(): PromiseLike<unknown>;
  /** Whether runs have a key: kept by the extension (`set`/`missing`) or the service's own (`service`). */
  apiKey?(): Promise<ApiKeyState>;
  /** Runs the Set OpenAI API Key command; answers the key's state afterwards. */
  setApiKey?(): Promise<ApiKeyState>;
  /** Text for variables from the editor: its selection, or a workspace file. Absent: both requests say it is not available. */
  code?: CodeSource;
  /** Told of every failure, e.g. to mark the session expired in the status bar. */
  failed?(error: unknown): void;
  log?(line: string): void;
}

export interface PanelServices {
  prompts: Pick<PromptRefineClient, 'getPrompt' | 'listVersions' | 'getVersion'>;
  runs: Pick<RunsClient, 'createRun' | 'getRun' | 'cancelRun' | 'listRuns' | 'listModels' | 'usage' | 'events'>;
  batches: Pick<BatchesClient, 'createBatch' | 'getBatch' | 'cancelBatch' | 'listBatches' | 'events'>;
  cases: Pick<CasesClient, 'listCases' | 'createCase' | 'caseFromRun' | 'updateCase' | 'deleteCase' | 'replayRun'>;
  remembered: RememberedStore;
  ui: PanelUi;
  streamOptions?: StreamOptions;
  batchStreamOptions?: BatchStreamOptions;
}

const VERSIONS_PAGE = 50;
const RUNS_PAGE = 25;
const BATCHES_PAGE = 20;

type Handlers = { [N in RequestName]: (params: RequestParams<N>) => Promise<RequestResult<N>> };

export class PanelRouter {
  private ready = false;
  private readonly waiting: ToWebview[] = [];
  /** Run and batch streams by id (ids are UUIDs, so the two never collide). */
  private readonly streams = new Map<string, AbortController>();
  private readonly handlers: Handlers;
  private disposed = false;

  constructor(
    readonly promptId: string,
    private readonly services: PanelServices,
    private readonly post: (message: ToWebview) => PromiseLike<boolean> | void,
  ) {
    this.handlers = this.createHandlers();
  }

  /** A message from the webview: anything malformed is logged and dropped, never acted on. */
  async receive(raw: unknown): Promise<void> {
    const message = ToHost.safeParse(raw);
    if (!message.success) return this.services.ui.log?.(`run panel: dropped a malformed message: ${describeIssues(message.error)}`);
    if (message.data.type === 'ready') return this.becomeReady();
    // A request proves a live page, which always says `ready` first. A hide reported late (after the
    // rebuilt page's `ready`, seen under load after Reload Window) would otherwise hold this page's
    // replies back for good, leaving the panel on its loading ring.
    this.becomeReady();
    const { id, name, params } = message.data;
    const parsed = REQUESTS[name].params.safeParse(params);
    if (!parsed.success) {
      this.send({ type: 'reply', id, ok: false, error: { kind: 'other', message: `The panel sent ${name} with ${describeIssues(parsed.error)}`, details: [] } });
      return;
    }
    try {
      const handler = this.handlers[name] as (p: unknown) => Promise<unknown>;
      // Checked here, not in the webview: the page trusts what the host posts (so its bundle need
      // not carry zod), and a handler that returned a half-shaped answer is the host's bug to report.
      const result = REQUESTS[name].result.safeParse(await handler(parsed.data));
      if (result.success) this.send({ type: 'reply', id, ok: true, result: result.data });
      else this.send({ type: 'reply', id, ok: false, error: { kind: 'other', message: `The extension answered ${name} with an unexpected shape: ${describeIssues(result.error)}`, details: [] } });
    } catch (error) {
      this.services.ui.failed?.(error);
      this.send({ type: 'reply', id, ok: false, error: toPanelError(error) });
    }
  }

  push<N extends PushName>(name: N, payload: PushPayload<N>): void {
    const checked = PUSHES[name].safeParse(payload);
    if (!checked.success) return this.services.ui.log?.(`run panel: did not push a malformed ${name}: ${describeIssues(checked.error)}`);
    this.send(pushMessage(name, checked.data as PushPayload<N>));
  }

  /** The webview is gone (panel closed, or VS Code reloads it): streams stop, nothing is posted. */
  dispose(): void {
    this.disposed = true;
    for (const controller of this.streams.values()) controller.abort();
    this.streams.clear();
  }

  /**
   * The webview was torn down (hidden without retained context). Its streams stop, and what was
   * waiting is dropped: the page reloads from its kept state, says `ready` and asks again.
   */
  webviewHidden(): void {
    this.ready = false;
    this.waiting.length = 0;
    for (const controller of this.streams.values()) controller.abort();
    this.streams.clear();
  }

  private becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    for (const queued of this.waiting.splice(0)) void this.post(queued);
  }

  private send(message: ToWebview): void {
    if (this.disposed) return;
    if (this.ready) void this.post(message);
    else this.waiting.push(message);
  }

  private async prompt(): Promise<PromptWithVersion> {
    return this.services.prompts.getPrompt(this.promptId);
  }

  private async promptAndVersion(versionId: string): Promise<[PromptWithVersion, Version]> {
    return Promise.all([this.prompt(), this.services.prompts.getVersion(this.promptId, versionId)]);
  }

  private createHandlers(): Handlers {
    const { prompts, runs, batches, cases, remembered, ui } = this.services;
    const code = (): CodeSource => {
      if (!ui.code) throw new Error('Taking text from the editor is not available here.');
      return ui.code;
    };
    return {
      load: async (): Promise<PanelData> => {
        const [prompt, versions, models] = await Promise.all([this.prompt(), prompts.listVersions(this.promptId, { limit: VERSIONS_PAGE }), runs.listModels()]);
        const apiKey = (await ui.apiKey?.()) ?? 'service';
        return { prompt, versions, models, remembered: remembered.get(this.promptId), apiKey };
      },
      listVersions: ({ cursor }) => prompts.listVersions(this.promptId, { limit: VERSIONS_PAGE, cursor }),
      getVersion: ({ versionId }) => prompts.getVersion(this.promptId, versionId),
      startRun: async (p) => {
        const run = await runs.createRun({
          promptId: this.promptId,
          ...(p.promptVersionId ? { promptVersionId: p.promptVersionId } : {}),
          model: p.model,
          params: p.params,
          inputVariables: p.inputVariables,
          ...(p.input !== null ? { input: p.input } : {}),
        });
        // Kept only once the service took the run, so a refused value is not offered again.
        await remembered.set(this.promptId, { variables: p.inputVariables, input: p.input ?? '', model: p.model, params: p.params });
        return run;
      },
      watchRun: async ({ runId }) => {
        this.streams.get(runId)?.abort();
        const controller = new AbortController();
        this.streams.set(runId, controller);
        void followRun(
          runs,
          runId,
          controller.signal,
          {
            delta: (text) => this.push('runDelta', { runId, text }),
            reset: (attempt, reason) => this.push('runReset', { runId, attempt, reason }),
            done: (run) => this.push('runDone', { run }),
            failed: (error) => this.push('runStreamFailed', { runId, error }),
          },
          this.services.streamOptions,
        ).finally(() => {
          if (this.streams.get(runId) === controller) this.streams.delete(runId);
        });
        return null;
      },
      cancelRun: ({ runId }) => runs.cancelRun(runId),
      startBatch: async (p) => {
        const { promptVersionIds, models, params, repeats, idempotencyKey } = p;
        return batches.createBatch({ promptId: this.promptId, promptVersionIds, models, params, repeats }, idempotencyKey);
      },
      cancelBatch: ({ batchId }) => batches.cancelBatch(batchId),
      getBatch: ({ batchId }) => batches.getBatch(batchId),
      watchBatch: async ({ batchId }) => {
        this.streams.get(batchId)?.abort();
        const controller = new AbortController();
        this.streams.set(batchId, controller);
        void followBatch(
          batches,
          batchId,
          controller.signal,
          {
            progress: (batch) => this.push('batchProgress', { batch }),
            done: (batch) => this.push('batchDone', { batch }),
            failed: (error) => this.push('batchStreamFailed', { batchId, error }),
          },
          this.services.batchStreamOptions,
        ).finally(() => {
          if (this.streams.get(batchId) === controller) this.streams.delete(batchId);
        });
        return null;
      },
      listBatches: () => batches.listBatches({ promptId: this.promptId, limit: BATCHES_PAGE }),
      getRun: ({ runId }) => runs.getRun(runId),
      listRuns: (p) => runs.listRuns({ promptId: this.promptId, promptVersionId: p.promptVersionId, status: p.status, model: p.model, q: p.q, cursor: p.cursor, limit: RUNS_PAGE }),
      usage: ({ groupBy, allPrompts }) => runs.usage({ groupBy, ...(allPrompts ? {} : { promptId: this.promptId }) }),
      copyText: async ({ text }) => {
        await ui.copy(text);
        return null;
      },
      openDocument: async ({ text, language }) => {
        await ui.openDocument(text, language);
        return null;
      },
      restoreVersion: async ({ versionId }) => {
        await ui.restoreVersion(...(await this.promptAndVersion(versionId)));
        return null;
      },
      openVersion: async ({ versionId }) => {
        await ui.openVersion(...(await this.promptAndVersion(versionId)));
        return null;
      },
      signIn: async () => ({ signedIn: await ui.signIn() }),
      openSettings: async () => {
        await ui.openSettings();
        return null;
      },
      setApiKey: async () => ({ apiKey: (await ui.setApiKey?.()) ?? 'service' }),
      listCases: () => cases.listCases(this.promptId),
      createCase: (fields) => cases.createCase(this.promptId, fields),
      updateCase: ({ caseId, ...fields }) => cases.updateCase(caseId, fields),
      deleteCase: async ({ caseId }) => {
        await cases.deleteCase(caseId);
        return null;
      },
      caseFromRun: ({ runId, name }) => cases.caseFromRun(this.promptId, runId, name),
      replayRun: ({ runId, promptVersionId }) => cases.replayRun(runId, promptVersionId),
      textFromSelection: async () => textOfSelection(code().selection()),
      textFromFile: async () => textOfFile(await code().pickFile()),
    };
  }
}

// The webview's side of the protocol: numbered requests matched to their replies, pushes handed to
// listeners, every incoming message validated before use, and the persisted state. The only code
// in the webview that touches `acquireVsCodeApi`.
import {
  PUSHES,
  REQUESTS,
  ToWebview,
  describeIssues,
  type PanelError,
  type PushName,
  type PushPayload,
  type RequestName,
  type RequestParams,
  type RequestResult,
} from './protocol.ts';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** A request the host answered with an error; `error.kind` says what the user can do. */
export class HostError extends Error {
  constructor(readonly error: PanelError) {
    super(error.message);
  }
}

interface Pending {
  name: RequestName;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type PushListener<N extends PushName> = (payload: PushPayload<N>) => void;

export class Host {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<PushName, Set<(payload: never) => void>>();
  private nextId = 1;

  constructor() {
    window.addEventListener('message', (event: MessageEvent<unknown>) => this.receive(event.data));
  }

  /** Tells the host the page can receive messages; it posts nothing before. */
  ready(): void {
    this.api.postMessage({ type: 'ready' });
  }

  request<N extends RequestName>(name: N, params: RequestParams<N>): Promise<RequestResult<N>> {
    const id = this.nextId++;
    return new Promise<RequestResult<N>>((resolve, reject) => {
      this.pending.set(id, { name, resolve: resolve as (value: unknown) => void, reject });
      this.api.postMessage({ type: 'request', id, name, params });
    });
  }

  on<N extends PushName>(name: N, listener: PushListener<N>): void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (payload: never) => void);
  }

  getState(): unknown {
    return this.api.getState();
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  private receive(data: unknown): void {
    const message = ToWebview.safeParse(data);
    if (!message.success) {
      console.warn(`PromptRefine: ignored a malformed message from the host: ${describeIssues(message.error)}`);
      return;
    }
    const m = message.data;
    if (m.type === 'push') {
      const payload = PUSHES[m.name].safeParse(m.payload);
      if (!payload.success) return console.warn(`PromptRefine: ignored push ${m.name}: ${describeIssues(payload.error)}`);
      for (const listener of this.listeners.get(m.name) ?? []) (listener as (p: unknown) => void)(payload.data);
      return;
    }
    const pending = this.pending.get(m.id);
    if (!pending) return;
    this.pending.delete(m.id);
    if (!m.ok) return pending.reject(new HostError(m.error));
    const result = REQUESTS[pending.name].result.safeParse(m.result);
    if (result.success) pending.resolve(result.data);
    else pending.reject(new HostError({ kind: 'other', message: `The extension answered ${pending.name} with an unexpected shape: ${describeIssues(result.error)}`, details: [] }));
  }
}

/** The PanelError of anything a request threw. */
export function panelErrorOf(error: unknown): PanelError {
  if (error instanceof HostError) return error.error;
  return { kind: 'other', message: error instanceof Error ? error.message : String(error), details: [] };
}

// The webview's side of the protocol: numbered requests matched to their replies, pushes handed to
// listeners, and the persisted state. The only code in the webview that touches `acquireVsCodeApi`.
// The host checks every reply and push against the protocol's schemas before posting it (see
// extension/run-panel/router.ts), so here only the envelope is checked: the webview's bundle stays
// free of zod, and a message from anything but the host (which cannot post here) is still dropped.
import type { PanelError, PushName, PushPayload, RequestName, RequestParams, RequestResult, ToWebview } from './protocol.ts';
import { isRecord, isString } from './guards.ts';

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
    if (!isEnvelope(data)) {
      console.warn('PromptRefine: ignored a malformed message from the host');
      return;
    }
    if (data.type === 'push') {
      for (const listener of this.listeners.get(data.name) ?? []) (listener as (p: unknown) => void)(data.payload);
      return;
    }
    const pending = this.pending.get(data.id);
    if (!pending) return;
    this.pending.delete(data.id);
    if (data.ok) pending.resolve(data.result);
    else pending.reject(new HostError(data.error));
  }
}

/** The envelope's shape; the payloads inside were checked by the host. */
function isEnvelope(data: unknown): data is ToWebview {
  if (!isRecord(data)) return false;
  if (data.type === 'push') return isString(data.name);
  if (data.type !== 'reply' || typeof data.id !== 'number') return false;
  return data.ok === true ? 'result' in data : data.ok === false && isRecord(data.error) && isString(data.error.message) && isString(data.error.kind);
}

/** The PanelError of anything a request threw. */
export function panelErrorOf(error: unknown): PanelError {
  if (error instanceof HostError) return error.error;
  return { kind: 'other', message: error instanceof Error ? error.message : String(error), details: [] };
}

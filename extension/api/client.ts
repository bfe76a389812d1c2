// The REST client of the extension: every call the editor makes to the service goes through here.
// It does not import `vscode`, so it is tested against the real service in plain mocha.
import { z } from 'zod';
import {
  ApiErrorBody,
  Deleted,
  PromptList,
  Prompt,
  PromptWithVersion,
  SessionInfo,
  SignedIn,
  SignedOut,
  Version,
  VersionList,
  type CreatePromptBody,
  type CreateVersionBody,
  type ListPage,
  type UpdatePromptBody,
  type User,
} from '../../contract/index.ts';
import { ApiError, ServiceUnreachableError, UnexpectedResponseError } from './errors.ts';

export const SESSION_COOKIE = 'promptrefine.sid';

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

export interface PromptQuery extends PageRequest {
  q?: string;
  tag?: string;
}

/** The `z.input` of the contract's bodies: what a caller may send, defaults still unapplied. */
export type NewPrompt = z.input<typeof CreatePromptBody>;

export interface ClientOptions {
  serviceUrl: string;
  /** The session cookie's value, read on every call so a sign-in elsewhere is picked up. */
  sessionCookie?: () => string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const DEFAULT_TIMEOUT_MS = 20_000;

/** Trims a trailing slash so `${base}/api/...` is always one slash. */
export function normalizeServiceUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The session id out of a `Set-Cookie` header of the sign-in answer, or undefined. */
export function sessionCookieFrom(setCookieHeaders: readonly string[]): string | undefined {
  for (const header of setCookieHeaders) {
    const [pair] = header.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

function queryString(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export class PromptRefineClient {
  readonly serviceUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly sessionCookie: () => string | undefined;

  constructor(options: ClientOptions) {
    this.serviceUrl = normalizeServiceUrl(options.serviceUrl);
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.sessionCookie = options.sessionCookie ?? (() => undefined);
  }

  /** Signs in and answers the user with the new session cookie's value, for the caller to keep. */
  async signIn(email: string, password: string): Promise<{ user: User; sessionCookie: string }> {
    const { data, response } = await this.call('POST', '/api/auth/signin', SignedIn, { email, password });
    const sessionCookie = sessionCookieFrom(response.headers.getSetCookie());
    if (!sessionCookie) {
      throw new UnexpectedResponseError(this.serviceUrl, response.status, `the sign-in answer set no ${SESSION_COOKIE} cookie`);
    }
    return { user: data.user, sessionCookie };
  }

  async signOut(): Promise<void> {
    await this.request('POST', '/api/auth/signout', SignedOut);
  }

  /** Who the kept session belongs to; null when it has expired or there is none. */
  async currentUser(): Promise<User | null> {
    return (await this.request('GET', '/api/auth/session', SessionInfo)).user;
  }

  listPrompts(query: PromptQuery = {}): Promise<ListPage<Prompt>> {
    const { q, tag, limit, cursor } = query;
    return this.request('GET', `/api/prompts${queryString({ q, tag, limit, cursor })}`, PromptList);
  }

  getPrompt(promptId: string): Promise<PromptWithVersion> {
    return this.request('GET', `/api/prompts/${encodeURIComponent(promptId)}`, PromptWithVersion);
  }

  createPrompt(body: NewPrompt): Promise<PromptWithVersion> {
    return this.request('POST', '/api/prompts', PromptWithVersion, body);
  }

  updatePrompt(promptId: string, body: UpdatePromptBody): Promise<Prompt> {
    return this.request('PATCH', `/api/prompts/${encodeURIComponent(promptId)}`, Prompt, body);
  }

  async deletePrompt(promptId: string): Promise<void> {
    await this.request('DELETE', `/api/prompts/${encodeURIComponent(promptId)}`, Deleted);
  }

  listVersions(promptId: string, page: PageRequest = {}): Promise<ListPage<Version>> {
    const path = `/api/prompts/${encodeURIComponent(promptId)}/versions${queryString({ limit: page.limit, cursor: page.cursor })}`;
    return this.request('GET', path, VersionList);
  }

  getVersion(promptId: string, versionId: string): Promise<Version> {
    return this.request('GET', `/api/prompts/${encodeURIComponent(promptId)}/versions/${encodeURIComponent(versionId)}`, Version);
  }

  /** A new immutable version; with `baseVersionId` no longer current the service answers 409 CONFLICT. */
  createVersion(promptId: string, body: CreateVersionBody): Promise<Version> {
    return this.request('POST', `/api/prompts/${encodeURIComponent(promptId)}/versions`, Version, body);
  }

  restoreVersion(promptId: string, versionId: string): Promise<Version> {
    return this.request('POST', `/api/prompts/${encodeURIComponent(promptId)}/restore`, Version, { versionId });
  }

  private async request<T extends z.ZodType>(method: Method, path: string, schema: T, body?: unknown): Promise<z.output<T>> {
    return (await this.call(method, path, schema, body)).data;
  }

  private async call<T extends z.ZodType>(
    method: Method,
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<{ data: z.output<T>; response: Response }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const cookie = this.sessionCookie();
    if (cookie) headers.Cookie = `${SESSION_COOKIE}=${cookie}`;

    let response: Response;
    try {
      response = await this.fetchImpl(`${this.serviceUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new ServiceUnreachableError(this.serviceUrl, networkReason(error));
    }

    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new UnexpectedResponseError(this.serviceUrl, response.status, 'the body is not JSON');
    }
    if (!response.ok) {
      const failure = z.object({ error: ApiErrorBody }).safeParse(json);
      if (!failure.success) throw new UnexpectedResponseError(this.serviceUrl, response.status, 'no error envelope');
      const { code, message, details } = failure.data.error;
      throw new ApiError(code, response.status, message, details);
    }
    const envelope = z.object({ data: z.unknown(), error: z.null() }).safeParse(json);
    if (!envelope.success) throw new UnexpectedResponseError(this.serviceUrl, response.status, 'no data envelope');
    const success = schema.safeParse(envelope.data.data);
    if (!success.success) {
      const issue = success.error.issues[0];
      throw new UnexpectedResponseError(
        this.serviceUrl,
        response.status,
        issue ? `data.${issue.path.join('.')}: ${issue.message}` : 'the data does not match the contract',
      );
    }
    return { data: success.data, response };
  }
}

/** A short reason for a failed fetch, from the cause Node's fetch wraps (ECONNREFUSED, a timeout...). */
function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

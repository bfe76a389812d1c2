// The REST client of the extension: every call the editor makes to the service goes through here.
// It does not import `vscode`, so it is tested against the real service in plain mocha.
import type { z } from 'zod';
import {
  Deleted,
  PromptList,
  Prompt,
  PromptWithVersion,
  SessionInfo,
  SETUP_TOKEN_HEADER,
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
import { UnexpectedResponseError } from './errors.ts';
import { SESSION_COOKIE, ServiceHttp, queryString, type HttpOptions } from './http.ts';

export { SESSION_COOKIE };

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

export interface ClientOptions extends Omit<HttpOptions, 'serviceUrl'> {
  /** Normalized once (normalizeServiceUrl): a client serves one URL. */
  serviceUrl: string;
}

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

export class PromptRefineClient {
  private readonly http: ServiceHttp;

  /**
   * `http`: the extension's one connection (its URL and session, read on every call), shared with
   * the runs client and the change feed; options make a client of one fixed URL (sign-in, tests).
   */
  constructor(http: ServiceHttp | ClientOptions) {
    if (http instanceof ServiceHttp) {
      this.http = http;
    } else {
      const serviceUrl = normalizeServiceUrl(http.serviceUrl);
      this.http = new ServiceHttp({ ...http, serviceUrl: () => serviceUrl });
    }
  }

  get serviceUrl(): string {
    return this.http.serviceUrl;
  }

  /** Signs in and answers the user with the new session cookie's value, for the caller to keep. */
  async signIn(email: string, password: string): Promise<{ user: User; sessionCookie: string }> {
    const { data, response } = await this.http.call('POST', '/api/auth/signin', SignedIn, { body: { email, password } });
    const sessionCookie = sessionCookieFrom(response.headers.getSetCookie());
    if (!sessionCookie) {
      throw new UnexpectedResponseError(this.serviceUrl, response.status, `the sign-in answer set no ${SESSION_COOKIE} cookie`);
    }
    return { user: data.user, sessionCookie };
  }

  /** Creates the first account with the one-time setup token; answers like signIn. */
  async setup(token: string, email: string, password: string): Promise<{ user: User; sessionCookie: string }> {
    const { data, response } = await this.http.call('POST', '/api/auth/setup', SignedIn, {
      body: { email, password },
      headers: { [SETUP_TOKEN_HEADER]: token },
    });
    const sessionCookie = sessionCookieFrom(response.headers.getSetCookie());
    if (!sessionCookie) {
      throw new UnexpectedResponseError(this.serviceUrl, response.status, `the setup answer set no ${SESSION_COOKIE} cookie`);
    }
    return { user: data.user, sessionCookie };
  }

  async signOut(): Promise<void> {
    await this.http.request('POST', '/api/auth/signout', SignedOut);
  }

  /** Who the kept session belongs to; null when it has expired or there is none. */
  async currentUser(): Promise<User | null> {
    return (await this.session()).user;
  }

  /** Who the kept session belongs to, and whether the service still waits for its first account. */
  session(): Promise<SessionInfo> {
    return this.http.request('GET', '/api/auth/session', SessionInfo);
  }

  listPrompts(query: PromptQuery = {}): Promise<ListPage<Prompt>> {
    const { q, tag, limit, cursor } = query;
    return this.http.request('GET', `/api/prompts${queryString({ q, tag, limit, cursor })}`, PromptList);
  }

  getPrompt(promptId: string): Promise<PromptWithVersion> {
    return this.http.request('GET', `/api/prompts/${encodeURIComponent(promptId)}`, PromptWithVersion);
  }

  createPrompt(body: NewPrompt): Promise<PromptWithVersion> {
    return this.http.request('POST', '/api/prompts', PromptWithVersion, { body });
  }

  updatePrompt(promptId: string, body: UpdatePromptBody): Promise<Prompt> {
    return this.http.request('PATCH', `/api/prompts/${encodeURIComponent(promptId)}`, Prompt, { body });
  }

  async deletePrompt(promptId: string): Promise<void> {
    await this.http.request('DELETE', `/api/prompts/${encodeURIComponent(promptId)}`, Deleted);
  }

  listVersions(promptId: string, page: PageRequest = {}): Promise<ListPage<Version>> {
    const path = `/api/prompts/${encodeURIComponent(promptId)}/versions${queryString({ limit: page.limit, cursor: page.cursor })}`;
    return this.http.request('GET', path, VersionList);
  }

  getVersion(promptId: string, versionId: string): Promise<Version> {
    return this.http.request('GET', `/api/prompts/${encodeURIComponent(promptId)}/versions/${encodeURIComponent(versionId)}`, Version);
  }

  /** A new immutable version; with `baseVersionId` no longer current the service answers 409 CONFLICT. */
  createVersion(promptId: string, body: CreateVersionBody): Promise<Version> {
    return this.http.request('POST', `/api/prompts/${encodeURIComponent(promptId)}/versions`, Version, { body });
  }

  restoreVersion(promptId: string, versionId: string): Promise<Version> {
    return this.http.request('POST', `/api/prompts/${encodeURIComponent(promptId)}/restore`, Version, { body: { versionId } });
  }
}

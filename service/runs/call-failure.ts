// What a failed model call means for the run: retry it, or fail it with the provider's words.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { RunError } from '../../contract/index.ts';
import { MalformedStream, StreamCutOff, StreamFailure } from './model-call.ts';

export interface CallFailure {
  retryable: boolean;
  /** What the provider asked us to wait (Retry-After), in ms. */
  retryAfterMs: number | undefined;
  error: RunError;
}

/** Why a call was aborted by us rather than failing by itself. */
export type AbortReason = 'canceled' | 'timeout' | 'shutdown';

/** The shortest piece of the API key that is redacted wherever it appears. */
export const KEY_FRAGMENT_LENGTH = 8;

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Lower-cases code unit by code unit, so indexes in the result are indexes in `text`. */
function foldCase(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const lower = text[i]!.toLowerCase();
    out += lower.length === 1 ? lower : text[i];
  }
  return out;
}

/**
 * Removes the API key, any piece of it of KEY_FRAGMENT_LENGTH or more characters in any case, and
 * anything that looks like a key, from text that the provider or the SDK wrote: OpenAI's 401
 * message quotes part of the key, and a proxy may echo more of it.
 */
export function redactSecrets(text: string, apiKey: string | undefined): string {
  let out = text;
  if (apiKey && apiKey.length >= KEY_FRAGMENT_LENGTH) {
    // Every piece of 8 or more characters contains an 8-character window of the key: mark where
    // each window occurs, then replace each marked stretch once.
    const folded = foldCase(text);
    const key = foldCase(apiKey);
    const covered = new Uint8Array(text.length);
    for (let start = 0; start + KEY_FRAGMENT_LENGTH <= key.length; start++) {
      const window = key.slice(start, start + KEY_FRAGMENT_LENGTH);
      for (let at = folded.indexOf(window); at >= 0; at = folded.indexOf(window, at + 1)) covered.fill(1, at, at + KEY_FRAGMENT_LENGTH);
    }
    out = '';
    for (let i = 0; i < text.length; i++) {
      if (!covered[i]) out += text[i];
      else if (i === 0 || !covered[i - 1]) out += '[redacted]';
    }
  } else if (apiKey && apiKey.length >= 4) {
    out = text.split(apiKey).join('[redacted]');
  }
  return out.replace(/\b(sk|rk|sess)-[A-Za-z0-9_*-]{6,}/g, '[redacted key]');
}

export function classifyFailure(error: unknown, abortReason: AbortReason | undefined, apiKey: string | undefined, timeoutMs: number): CallFailure {
  const clean = (message: string) => redactSecrets(message, apiKey);
  if (abortReason === 'canceled') {
    return { retryable: false, retryAfterMs: undefined, error: { code: 'CANCELED', message: 'The run was canceled.', status: null } };
  }
  if (abortReason === 'shutdown') {
    return {
      retryable: false,
      retryAfterMs: undefined,
      error: { code: 'INTERRUPTED', message: 'The service was shut down while this run was in progress. Run it again.', status: null },
    };
  }
  if (abortReason === 'timeout' || error instanceof APIConnectionTimeoutError) {
    return {
      retryable: true,
      retryAfterMs: undefined,
      error: { code: 'TIMEOUT', message: `The model did not finish within ${Math.round(timeoutMs / 1000)} s (PROMPTREFINE_RUN_TIMEOUT_MS).`, status: null },
    };
  }
  if (error instanceof StreamCutOff) {
    return { retryable: true, retryAfterMs: undefined, error: { code: 'CONNECTION_LOST', message: clean(error.message), status: null } };
  }
  if (error instanceof MalformedStream) {
    return { retryable: true, retryAfterMs: undefined, error: { code: 'MALFORMED_STREAM', message: clean(error.message), status: null } };
  }
  if (error instanceof StreamFailure) {
    // A failure reported inside the stream: server-side trouble, worth another attempt.
    return { retryable: true, retryAfterMs: undefined, error: { code: error.code, message: clean(error.message), status: null } };
  }
  if (error instanceof APIConnectionError || (error instanceof APIError && error.status === undefined && !(error instanceof APIUserAbortError))) {
    return {
      retryable: true,
      retryAfterMs: undefined,
      error: { code: 'CONNECTION_ERROR', message: clean(`Could not reach the model provider: ${error.message}`), status: null },
    };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === 'string' ? body.message : error.message;
    const code = error.code ?? error.type ?? `http_${error.status}`;
    const quotaGone = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
    const retryable = !quotaGone && (error.status === 429 || error.status === 408 || error.status === 409 || error.status >= 500);
    return { retryable, retryAfterMs: retryAfterMs(error.headers), error: { code, message: clean(message), status: error.status } };
  }
  // Not from the provider: a broken connection surfaced as a plain error mid-stream, for one.
  const message = error instanceof Error ? error.message : String(error);
  return { retryable: true, retryAfterMs: undefined, error: { code: 'CONNECTION_ERROR', message: clean(message), status: null } };
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Exponential backoff with full jitter; a provider's Retry-After wins when it asks for longer. */
export function backoffMs(attempt: number, policy: BackoffPolicy, retryAfter: number | undefined, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return retryAfter !== undefined ? Math.max(Math.min(retryAfter, 60_000), jittered) : jittered;
}

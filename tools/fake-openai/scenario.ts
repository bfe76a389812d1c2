// What the fake answers: the scripted steps tests queue, and the deterministic defaults
// (echo text, token counts, delta chunking) used when a step leaves something out.
// Everything here is pure, so both wire formats derive the same reply from the same step.

import type { ApiKind } from './model-rules.ts';

/** Restricts which request a step answers. Requests that do not match skip over the step. */
export interface StepMatch {
  /** Only answer requests for this exact model id. */
  model?: string;
  /** Only answer requests to this API (`/v1/responses` or `/v1/chat/completions`). */
  api?: ApiKind;
}

/** Token counts to report instead of the computed ones. Missing fields keep their defaults. */
export interface UsageOverrides {
  inputTokens?: number;
  /** Includes reasoning tokens, as OpenAI counts them. Default: text tokens + reasoningTokens. */
  outputTokens?: number;
  cachedTokens?: number;
  reasoningTokens?: number;
}

/** Shared by the steps that produce (some of) a reply. */
export interface ReplyOptions {
  /** Output text. Default: `Echo: <last user text>`. */
  text?: string;
  /**
   * The streamed deltas, in order, when a test needs them cut where words would not cut them (half
   * a surrogate pair in each of two deltas). The text is then their join, and `text` is not used.
   */
  chunks?: string[];
  usage?: UsageOverrides;
  /** Delay before the response headers; overrides the server's `latencyMs`. */
  latencyMs?: number;
  /** Delay before each streamed delta; overrides the server's `tokenDelayMs`. */
  tokenDelayMs?: number;
}

/** How the model stopped: `length` is the output limit (max_output_tokens), `content_filter` a refusal. */
export type FinishReason = 'stop' | 'length' | 'content_filter';

/** A normal answer: JSON, or the complete event stream when the request has `stream: true`. */
export interface SuccessStep extends StepMatch, ReplyOptions {
  kind: 'success';
  /**
   * Default `stop`. Chat Completions: the last choice's `finish_reason`. Responses API: anything
   * but `stop` ends with `response.incomplete` (`incomplete_details.reason` `max_output_tokens`
   * or `content_filter`) instead of `response.completed`.
   */
  finishReason?: FinishReason;
}

/** An HTTP error with OpenAI's error body. `type`, `code` and `message` default per status. */
export interface ErrorStep extends StepMatch {
  kind: 'error';
  status: number;
  type?: string;
  code?: string | null;
  message?: string;
  param?: string | null;
  /** Sent as `Retry-After` (seconds; fractions allowed — the SDK parses floats). */
  retryAfterSeconds?: number;
  /** Sent as `retry-after-ms`, which the SDK prefers over `Retry-After`. */
  retryAfterMs?: number;
  /** Sent as `x-should-retry`, which overrides the SDK's status-based retry decision. */
  shouldRetry?: boolean;
  latencyMs?: number;
}

/** Never answers. The request stays open until the client aborts or the server closes. */
export interface HangStep extends StepMatch {
  kind: 'hang';
}

/**
 * Drops the connection: a stream is cut (socket destroyed, no terminating chunk) after
 * `afterDeltas` text deltas; a non-streaming request is cut before any response is written.
 */
export interface DisconnectStep extends StepMatch, ReplyOptions {
  kind: 'disconnect';
  /** Default 1. */
  afterDeltas?: number;
}

/**
 * The API reports a failure inside a stream after `afterDeltas` deltas (default 1).
 * Responses API: a `response.failed` event (default) or an `error` event (`event: 'error'`).
 * Chat Completions: a `data: {"error": {...}}` frame. Either way the stream then ends.
 * On a non-streaming request this becomes an HTTP 500 with the same message and code.
 */
export interface StreamFailureStep extends StepMatch, ReplyOptions {
  kind: 'stream-failure';
  afterDeltas?: number;
  event?: 'response.failed' | 'error';
  /** Default `server_error`. */
  code?: string;
  /** Default `server_error`. Used by the `error` event and the chat error frame. */
  type?: string;
  message?: string;
}

/**
 * Sends the response headers (and, streaming, the opening events and `afterDeltas` deltas,
 * default 0), then stalls: nothing more until `FakeOpenAI.release()` is called, when the reply
 * carries on to its normal end, or until the client gives up. A provider that accepted the
 * request and then went quiet, or (released) a slow one a test wants to control.
 */
export interface StallStep extends StepMatch, ReplyOptions {
  kind: 'stall';
  afterDeltas?: number;
}

/**
 * Ends the HTTP response cleanly (a proper end of body, not a reset) after `afterDeltas` deltas
 * (default 1), without the events that say the model finished (`response.completed`, a chunk
 * with `finish_reason`, `[DONE]`): a proxy or server that closed the stream early. The SDK's
 * iterator just ends, so only a client that checks for the completion notices.
 */
export interface EndEarlyStep extends StepMatch, ReplyOptions {
  kind: 'end-early';
  afterDeltas?: number;
}

/** Sends a frame whose data is not JSON after `afterDeltas` deltas (default 1), then ends. */
export interface MalformedStep extends StepMatch, ReplyOptions {
  kind: 'malformed';
  afterDeltas?: number;
  /** The frame's data line, as sent. Default: an unterminated JSON object. */
  data?: string;
}

export type ScriptedStep = SuccessStep | ErrorStep | HangStep | DisconnectStep | StreamFailureStep | StallStep | EndEarlyStep | MalformedStep;

const DEFAULT_STEP: SuccessStep = { kind: 'success' };

/** The queue behind `FakeOpenAI.script()`. */
export class Script {
  #steps: ScriptedStep[] = [];

  push(steps: readonly ScriptedStep[]): void {
    this.#steps.push(...steps);
  }

  /** Removes and returns the first queued step matching the request; a plain success when none does. */
  take(api: ApiKind, model: string): ScriptedStep {
    const index = this.#steps.findIndex(
      (step) => (step.model === undefined || step.model === model) && (step.api === undefined || step.api === api),
    );
    if (index === -1) return DEFAULT_STEP;
    const [step] = this.#steps.splice(index, 1);
    return step ?? DEFAULT_STEP;
  }

  get pending(): readonly ScriptedStep[] {
    return [...this.#steps];
  }

  clear(): void {
    this.#steps = [];
  }
}

export function defaultReplyText(lastUserText: string): string {
  return `Echo: ${lastUserText}`;
}

/** ~4 characters per token, like OpenAI's rule of thumb. Deterministic, never random. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface ResolvedUsage {
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  reasoningTokens: number;
  totalTokens: number;
}

export function resolveUsage(promptText: string, outputText: string, overrides: UsageOverrides = {}): ResolvedUsage {
  const reasoningTokens = overrides.reasoningTokens ?? 0;
  const inputTokens = overrides.inputTokens ?? Math.max(1, estimateTokens(promptText));
  const outputTokens = overrides.outputTokens ?? estimateTokens(outputText) + reasoningTokens;
  return {
    inputTokens,
    outputTokens,
    cachedTokens: overrides.cachedTokens ?? 0,
    reasoningTokens,
    totalTokens: inputTokens + outputTokens,
  };
}

/**
 * Splits text into word-ish deltas ("Echo: ", "hello ", "world") that concatenate back to
 * exactly the input, so tests can check the streamed deltas against the final text.
 */
export function chunkText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

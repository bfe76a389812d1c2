// Runs one scripted step for either API. The APIs only describe their wire shapes (an
// ApiAdapter of pure functions); latency, hanging, errors and breakage are decided here once.

import { defaultErrorFor, type ErrorReply } from './errors.ts';
import type { Exchange } from './exchange.ts';
import type { ApiKind } from './model-rules.ts';
import type { JsonObject, PromptText } from './request-body.ts';
import { chunkText, defaultReplyText, resolveUsage, type ErrorStep, type FinishReason, type ResolvedUsage, type ScriptedStep } from './scenario.ts';
import { pumpStream, type StreamCut, type StreamPlan, type StreamStall } from './sse.ts';

/** How a scripted in-stream failure is reported (see StreamFailureStep). */
export interface StreamFailure {
  event: 'response.failed' | 'error';
  type: string;
  code: string;
  message: string;
}

/** Everything an API needs to render one reply; ids derive from the request number, so runs are reproducible. */
export interface ReplyContext {
  requestId: number;
  model: string;
  body: JsonObject;
  /** Unix seconds, as OpenAI's `created` / `created_at`. */
  createdAt: number;
  text: string;
  /** `text` split into the streamed deltas. */
  chunks: string[];
  usage: ResolvedUsage;
  failure: StreamFailure;
  /** How the model stopped (see SuccessStep.finishReason). */
  finishReason: FinishReason;
}

export interface ApiAdapter {
  kind: ApiKind;
  /** Required-field checks OpenAI makes before anything else. */
  validate(body: JsonObject): ErrorReply | undefined;
  promptText(body: JsonObject): PromptText;
  /** The non-streaming 200 body. */
  json(ctx: ReplyContext): object;
  streamPlan(ctx: ReplyContext): StreamPlan;
}

export interface Timing {
  latencyMs: number;
  tokenDelayMs: number;
  /** Resolves at the next `FakeOpenAI.release()`: what a stalled reply waits for. */
  released(): Promise<void>;
}

export function errorReplyFromStep(step: ErrorStep): ErrorReply {
  const defaults = defaultErrorFor(step.status);
  const headers: Record<string, string> = {};
  if (step.retryAfterSeconds !== undefined) headers['retry-after'] = String(step.retryAfterSeconds);
  if (step.retryAfterMs !== undefined) headers['retry-after-ms'] = String(step.retryAfterMs);
  if (step.shouldRetry !== undefined) headers['x-should-retry'] = String(step.shouldRetry);
  return {
    status: step.status,
    error: {
      message: step.message ?? defaults.message,
      type: step.type ?? defaults.type,
      param: step.param ?? null,
      code: step.code === undefined ? defaults.code : step.code,
    },
    headers,
  };
}

export async function respond(ex: Exchange, api: ApiAdapter, body: JsonObject, model: string, step: ScriptedStep, timing: Timing): Promise<void> {
  if (step.kind === 'hang') return ex.untilGone();

  await ex.sleep(step.latencyMs ?? timing.latencyMs);
  if (ex.gone) return;
  if (step.kind === 'error') return ex.sendError(errorReplyFromStep(step));

  const prompt = api.promptText(body);
  const text = step.chunks?.join('') ?? step.text ?? defaultReplyText(prompt.lastUserText);
  const failing = step.kind === 'stream-failure' ? step : undefined;
  const failure: StreamFailure = {
    event: failing?.event ?? 'response.failed',
    type: failing?.type ?? 'server_error',
    code: failing?.code ?? 'server_error',
    message: failing?.message ?? 'The server had an error while processing your request.',
  };
  const ctx: ReplyContext = {
    requestId: ex.record.id,
    model,
    body,
    createdAt: Math.floor(Date.now() / 1000),
    text,
    chunks: step.chunks ?? chunkText(text),
    usage: resolveUsage(prompt.allText, text, step.usage),
    failure,
    finishReason: step.kind === 'success' ? (step.finishReason ?? 'stop') : 'stop',
  };

  if (!ex.record.stream) {
    if (step.kind === 'stall') await Promise.race([timing.released(), ex.untilGone()]);
    if (step.kind === 'disconnect' || step.kind === 'end-early' || step.kind === 'malformed') return ex.disconnect();
    if (step.kind === 'stream-failure') {
      return ex.sendError({ status: 500, error: { message: failure.message, type: failure.type, param: null, code: failure.code } });
    }
    return ex.sendJson(200, api.json(ctx));
  }

  const cut: StreamCut | undefined =
    step.kind === 'disconnect' ? { afterDeltas: step.afterDeltas ?? 1, mode: 'disconnect' }
    : step.kind === 'stream-failure' ? { afterDeltas: step.afterDeltas ?? 1, mode: 'failure' }
    : step.kind === 'end-early' ? { afterDeltas: step.afterDeltas ?? 1, mode: 'end' }
    : step.kind === 'malformed' ? { afterDeltas: step.afterDeltas ?? 1, mode: 'malformed', ...(step.data === undefined ? {} : { data: step.data }) }
    : undefined;
  const stall: StreamStall | undefined = step.kind === 'stall' ? { afterDeltas: step.afterDeltas ?? 0, released: timing.released() } : undefined;
  await pumpStream(ex, api.streamPlan(ctx), step.tokenDelayMs ?? timing.tokenDelayMs, cut, stall);
}

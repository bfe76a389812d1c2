// Wire shapes of `POST /v1/chat/completions`, typed against the SDK's declarations.
// The strict `chat.completions.stream()` helper needs the role in the first delta and a
// finish_reason on the last choice chunk, and picks usage up only from a chunk with an id.

import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { invalidRequest } from './errors.ts';
import { chatPromptText, isJsonObject, type JsonObject } from './request-body.ts';
import type { ApiAdapter, ReplyContext } from './respond.ts';
import type { SseFrame, StreamPlan } from './sse.ts';

function toWireUsage(ctx: ReplyContext): CompletionUsage {
  const { usage } = ctx;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function common(ctx: ReplyContext): Pick<ChatCompletion, 'id' | 'created' | 'model' | 'service_tier' | 'system_fingerprint'> {
  return {
    id: `chatcmpl-fake-${ctx.requestId}`,
    created: ctx.createdAt,
    model: ctx.model,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

function completion(ctx: ReplyContext): ChatCompletion {
  return {
    ...common(ctx),
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: ctx.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: ctx.finishReason,
      },
    ],
    usage: toWireUsage(ctx),
  };
}

/** `stream_options: {include_usage: true}` adds `usage: null` to every chunk and a final usage-only chunk. */
function includeUsage(body: JsonObject): boolean {
  const options = body['stream_options'];
  return isJsonObject(options) && options['include_usage'] === true;
}

function streamPlan(ctx: ReplyContext): StreamPlan {
  const withUsage = includeUsage(ctx.body);
  const chunk = (choices: ChatCompletionChunk.Choice[], usage?: CompletionUsage): SseFrame => {
    const data: ChatCompletionChunk = { ...common(ctx), object: 'chat.completion.chunk', choices };
    if (withUsage) data.usage = usage ?? null;
    return { data };
  };
  const choice = (delta: ChatCompletionChunk.Choice.Delta, finish_reason: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk.Choice => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason,
  });

  const closing = [chunk([choice({}, ctx.finishReason)])];
  if (withUsage) closing.push(chunk([], toWireUsage(ctx)));
  closing.push({ data: '[DONE]' });

  return {
    opening: [chunk([choice({ role: 'assistant', content: '', refusal: null })])],
    deltas: ctx.chunks.map((content) => chunk([choice({ content })])),
    closing,
    // Mid-stream failures arrive as a bare error frame; the SDK turns it into an APIError.
    failure: () => [{ data: { error: { message: ctx.failure.message, type: ctx.failure.type, param: null, code: ctx.failure.code } } }],
  };
}

export const chatApi: ApiAdapter = {
  kind: 'chat',
  validate(body: JsonObject) {
    if (typeof body['model'] !== 'string') return invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    if (!Array.isArray(body['messages'])) return invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    return undefined;
  },
  promptText: chatPromptText,
  json: completion,
  streamPlan,
};

// The per-model request rules the real API enforces and that our service must respect.
// They live together here so that when OpenAI changes a rule there is one place to update.
// The rules run before any scripted step is consumed: the real API rejects such requests
// before doing any work, so a rejected request never uses up a step.

import { parametersForModel } from '../../contract/models.ts';
import { invalidRequest, type ErrorReply } from './errors.ts';
import type { JsonObject } from './request-body.ts';

export type ApiKind = 'responses' | 'chat';

/** Model ids served by `GET /v1/models` unless the server is started with its own list. */
export const DEFAULT_MODELS: readonly string[] = [
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-5-codex',
  'gpt-5.1',
  'gpt-5.1-codex',
  'gpt-5.1-codex-mini',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4o',
  'gpt-4o-mini',
  'o3',
  'o4-mini',
];

/**
 * Reasoning models: those the one rule of the contract (parametersForModel, which the service's
 * catalog serves too) gives a reasoning effort. They reject sampling parameters and, on the
 * Responses API, put a `reasoning` item before the message in `output` — which catches code that
 * wrongly assumes `output[0]` is the message.
 */
export function isReasoningModel(model: string): boolean {
  return parametersForModel(model).reasoningEffort !== null;
}

/** Codex models are served by the Responses API only. */
export function isResponsesOnlyModel(model: string): boolean {
  return model.includes('codex');
}

/** The request's reasoning effort: `reasoning.effort` on Responses, `reasoning_effort` on Chat. */
function requestedEffort(api: ApiKind, body: JsonObject): { param: string; value: unknown } | undefined {
  if (api === 'chat') return body['reasoning_effort'] == null ? undefined : { param: 'reasoning_effort', value: body['reasoning_effort'] };
  const reasoning = body['reasoning'];
  const effort = reasoning && typeof reasoning === 'object' && !Array.isArray(reasoning) ? reasoning['effort'] : undefined;
  return effort == null ? undefined : { param: 'reasoning.effort', value: effort };
}

/** Returns the error OpenAI would answer for this request, or undefined when it is acceptable. */
export function checkModelRules(api: ApiKind, model: string, body: JsonObject): ErrorReply | undefined {
  if (api === 'chat' && isResponsesOnlyModel(model)) {
    // Verbatim from the real API, which answers 404 (not 400) with code null and param "model".
    return {
      status: 404,
      error: {
        message: 'This model is only supported in v1/responses and not in v1/chat/completions.',
        type: 'invalid_request_error',
        param: 'model',
        code: null,
      },
    };
  }
  const parameters = parametersForModel(model);
  // Sampling parameters reasoning models refuse (OpenAI: "Unsupported parameter").
  const sampling = [
    ['temperature', parameters.temperature],
    ['top_p', parameters.topP],
  ] as const;
  for (const [param, range] of sampling) {
    if (range === null && body[param] !== undefined && body[param] !== null) {
      return invalidRequest(`Unsupported parameter: '${param}' is not supported with this model.`, param, 'unsupported_parameter');
    }
  }
  const effort = requestedEffort(api, body);
  if (effort && parameters.reasoningEffort === null) {
    return invalidRequest(`Unsupported parameter: '${effort.param}' is not supported with this model.`, effort.param, 'unsupported_parameter');
  }
  if (effort && parameters.reasoningEffort && !parameters.reasoningEffort.some((allowed) => allowed === effort.value)) {
    const supported = parameters.reasoningEffort.map((v) => `'${v}'`).join(', ');
    return invalidRequest(
      `Unsupported value: '${effort.param}' does not support ${JSON.stringify(effort.value)} with this model. Supported values are: ${supported}.`,
      effort.param,
      'unsupported_value',
    );
  }
  if (parameters.reasoningEffort !== null) {
    if (api === 'chat' && body['max_tokens'] !== undefined && body['max_tokens'] !== null) {
      return invalidRequest(
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        'max_tokens',
        'unsupported_parameter',
      );
    }
  }
  return undefined;
}

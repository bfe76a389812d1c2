// The models a run can use and the one rule for which parameters each takes. The service's
// catalog (GET /api/models), the fake OpenAI server and the webview all read that rule from here,
// so the form, the validation of POST /api/test-runs and the fake provider cannot disagree.
import { z } from 'zod';

export const MODEL_APIS = ['responses', 'chat'] as const;
export const ModelApi = z.enum(MODEL_APIS).meta({ description: 'The OpenAI API a model is called through' });
export type ModelApi = z.infer<typeof ModelApi>;

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

export const ParameterRange = z
  .object({ min: z.number(), max: z.number(), integer: z.boolean() })
  .meta({ id: 'ParameterRange', description: 'Inclusive bounds of a numeric parameter' });
export type ParameterRange = z.infer<typeof ParameterRange>;

/** The widest bounds any model has; RunParams refuses values outside them for every model. */
export const PARAMETER_LIMITS = {
  temperature: { min: 0, max: 2, integer: false },
  topP: { min: 0, max: 1, integer: false },
  maxOutputTokens: { min: 1, max: 1_000_000, integer: true },
} as const satisfies Record<string, ParameterRange>;

export const ModelParameters = z
  .object({
    temperature: ParameterRange.nullable().meta({ description: 'null: the model does not take it' }),
    topP: ParameterRange.nullable().meta({ description: 'null: the model does not take it' }),
    maxOutputTokens: ParameterRange.nullable().meta({ description: 'null: the model does not take it' }),
    reasoningEffort: z.array(z.enum(REASONING_EFFORTS)).nullable().meta({ description: 'The values the model takes; null: none' }),
    verbosity: z.array(z.enum(VERBOSITIES)).nullable().meta({ description: 'The values the model takes; null: none' }),
  })
  .meta({ id: 'ModelParameters', description: 'Which run parameters a model takes, and their limits' });
export type ModelParameters = z.infer<typeof ModelParameters>;
export type ParameterName = keyof ModelParameters;
export const PARAMETER_NAMES: readonly ParameterName[] = ['temperature', 'topP', 'maxOutputTokens', 'reasoningEffort', 'verbosity'];

/**
 * The one rule for which parameters a model id takes, following OpenAI's: reasoning models (the
 * gpt-5 family and the o-series: o1, o3, o4-mini…) refuse temperature and top-p and take a
 * reasoning effort; verbosity belongs to the gpt-5 family; every model takes max output tokens.
 * Any other id (gpt-4.1, a local model) is a sampling model. A provider prefix such as
 * `openai/` is ignored. Used by the service's catalog for every model (known or not), by the fake
 * OpenAI server, and by the webview only for an id that GET /api/models did not list.
 */
export function parametersForModel(modelId: string): ModelParameters {
  const name = modelId.trim().toLowerCase();
  const base = name.slice(name.lastIndexOf('/') + 1);
  const gpt5 = /^gpt-5(?:\.(\d+))?(?![\d])/.exec(base);
  const oSeries = /^o\d/.test(base);
  if (!gpt5 && !oSeries) {
    return { temperature: PARAMETER_LIMITS.temperature, topP: PARAMETER_LIMITS.topP, maxOutputTokens: PARAMETER_LIMITS.maxOutputTokens, reasoningEffort: null, verbosity: null };
  }
  return {
    temperature: null,
    topP: null,
    maxOutputTokens: PARAMETER_LIMITS.maxOutputTokens,
    reasoningEffort: gpt5 ? gpt5Efforts(gpt5[1] === undefined ? 0 : Number(gpt5[1])) : ['low', 'medium', 'high'],
    verbosity: gpt5 ? [...VERBOSITIES] : null,
  };
}

/** gpt-5 itself added `minimal`; 5.1 replaced it with `none`; 5.2 added `xhigh`. */
function gpt5Efforts(minor: number): ReasoningEffort[] {
  if (minor === 0) return ['minimal', 'low', 'medium', 'high'];
  if (minor === 1) return ['none', 'low', 'medium', 'high'];
  return ['none', 'low', 'medium', 'high', 'xhigh'];
}

export const ModelId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[A-Za-z0-9._:\/-]+$/, 'must be a model id such as gpt-5.4');

export const ModelInfo = z
  .object({
    id: z.string(),
    api: ModelApi,
    inputPerMTok: z.number().nullable().meta({ description: 'USD per million input tokens' }),
    cachedInputPerMTok: z.number().nullable().meta({ description: 'USD per million cached input tokens' }),
    outputPerMTok: z.number().nullable().meta({ description: 'USD per million output tokens (reasoning included)' }),
    priceSource: z.string().nullable(),
    priceDate: z.string().nullable().meta({ description: 'The day the price was read from its source (YYYY-MM-DD)' }),
    parameters: ModelParameters,
  })
  .meta({ id: 'ModelInfo' });
export type ModelInfo = z.infer<typeof ModelInfo>;
export const ModelList = z.array(ModelInfo).meta({ id: 'ModelList' });

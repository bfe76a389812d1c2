// Which run parameters a model takes, and their limits, without zod: the webview reads this rule
// too, and its bundle must stay small (zod alone is 450 KB minified). contract/models.ts builds
// the zod schemas of the same shapes for the service and the OpenAPI document.

export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];
export const VERBOSITIES = ['low', 'medium', 'high'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

/** Inclusive bounds of a numeric parameter. */
export interface ParameterRange {
  min: number;
  max: number;
  integer: boolean;
}

/** Which run parameters a model takes (null: it does not take it), and their limits. */
export interface ModelParameters {
  temperature: ParameterRange | null;
  topP: ParameterRange | null;
  maxOutputTokens: ParameterRange | null;
  reasoningEffort: ReasoningEffort[] | null;
  verbosity: Verbosity[] | null;
}
export type ParameterName = keyof ModelParameters;
export const PARAMETER_NAMES: readonly ParameterName[] = ['temperature', 'topP', 'maxOutputTokens', 'reasoningEffort', 'verbosity'];

/** The widest bounds any model has; RunParams refuses values outside them for every model. */
export const PARAMETER_LIMITS = {
  temperature: { min: 0, max: 2, integer: false },
  topP: { min: 0, max: 1, integer: false },
  maxOutputTokens: { min: 1, max: 1_000_000, integer: true },
} as const satisfies Record<string, ParameterRange>;


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


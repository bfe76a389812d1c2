// Which run parameters a model takes, and the form's text turned into RunParams. The rules are the
// service's: each model GET /api/models lists carries its `parameters` (which it takes, their
// limits, the values it allows). Only for an id the list does not have (typed under "Other model
// id…") does the panel fall back to the contract's `parametersForModel`, the same rule the service
// applies to such an id; the service's answer to the run stays the final word.
import type { ModelInfo, RunParams } from '../contract/index.ts';
import { parametersForModel, type ModelParameters, type ParameterRange } from '../contract/model-parameters.ts';

export type ParamName = keyof RunParams;
export const PARAM_NAMES: readonly ParamName[] = ['temperature', 'topP', 'maxOutputTokens', 'reasoningEffort', 'verbosity'];

/** The rules for `model`: the service's when it listed the model, else the contract's rule. */
export function modelParameters(model: string, models: readonly ModelInfo[]): ModelParameters {
  return models.find((m) => m.id === model)?.parameters ?? parametersForModel(model);
}

/** The parameters `rules` lets a user set, in the form's order. */
export function paramsTaken(rules: ModelParameters): ParamName[] {
  return PARAM_NAMES.filter((name) => {
    const rule = rules[name];
    return rule !== null && (!Array.isArray(rule) || rule.length > 0);
  });
}

/** The form's values as typed: numbers are text until a run is asked for. */
export type ParamInputs = Record<ParamName, string>;
export const EMPTY_PARAMS: ParamInputs = { temperature: '', topP: '', maxOutputTokens: '', reasoningEffort: '', verbosity: '' };

export function paramInputsOf(params: RunParams): ParamInputs {
  const text = (v: number | string | undefined) => (v === undefined ? '' : String(v));
  return {
    temperature: text(params.temperature),
    topP: text(params.topP),
    maxOutputTokens: text(params.maxOutputTokens),
    reasoningEffort: text(params.reasoningEffort),
    verbosity: text(params.verbosity),
  };
}

export type ParamsResult = { ok: true; params: RunParams } | { ok: false; problems: Partial<Record<ParamName, string>> };

const limit = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 6 });

function numberIn(text: string, range: ParameterRange): number | string {
  const value = Number(text);
  if (!Number.isFinite(value) || text.trim() === '') return 'must be a number';
  if (range.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (value < range.min || value > range.max) return `must be between ${limit(range.min)} and ${limit(range.max)}`;
  return value;
}

/** Only parameters the model takes and that are filled in are sent; empty means the model's default. */
export function parseParams(inputs: ParamInputs, rules: ModelParameters): ParamsResult {
  const params: RunParams = {};
  const problems: Partial<Record<ParamName, string>> = {};
  for (const name of ['temperature', 'topP', 'maxOutputTokens'] as const) {
    const range = rules[name];
    if (!range || inputs[name].trim() === '') continue;
    const value = numberIn(inputs[name], range);
    if (typeof value === 'string') problems[name] = value;
    else params[name] = value;
  }
  // A value kept from another model that this one does not allow is left out (its default applies).
  const effort = rules.reasoningEffort?.find((e) => e === inputs.reasoningEffort);
  if (effort) params.reasoningEffort = effort;
  const verbosity = rules.verbosity?.find((v) => v === inputs.verbosity);
  if (verbosity) params.verbosity = verbosity;
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, params };
}

export const PARAM_LABELS: Record<ParamName, string> = {
  temperature: 'Temperature',
  topP: 'Top-p',
  maxOutputTokens: 'Max output tokens',
  reasoningEffort: 'Reasoning effort',
  verbosity: 'Verbosity',
};

/**
 * The model a prompt's first run is offered when nothing was run with it before: a modest one,
 * not the list's first (often the dearest). The cheapest priced model whose id ends in "-mini"
 * (OpenAI's name for its small general models), else the cheapest priced model, else the first
 * listed. "Cheapest" is by output price, then input price, per million tokens.
 */
export function modestModel(models: readonly ModelInfo[]): string {
  const priced = models.filter((m) => m.inputPerMTok !== null && m.outputPerMTok !== null);
  const cheapest = (list: ModelInfo[]) =>
    [...list].sort((a, b) => (a.outputPerMTok ?? 0) - (b.outputPerMTok ?? 0) || (a.inputPerMTok ?? 0) - (b.inputPerMTok ?? 0))[0];
  return (cheapest(priced.filter((m) => /-mini$/i.test(m.id))) ?? cheapest(priced) ?? models[0])?.id ?? '';
}

// Which run parameters a model takes, and the form's text turned into RunParams. The rules follow
// OpenAI's: reasoning models (the gpt-5 family and the o-series) refuse temperature and top-p and
// take a reasoning effort; verbosity is a gpt-5 parameter. An unknown id is offered everything the
// rules allow for its name, and the provider's answer stays the final word.
import { REASONING_EFFORTS, VERBOSITIES, type RunParams } from '../contract/index.ts';

export type ParamName = keyof RunParams;
export const PARAM_NAMES: readonly ParamName[] = ['temperature', 'topP', 'maxOutputTokens', 'reasoningEffort', 'verbosity'];

export function isReasoningModel(model: string): boolean {
  return /^(gpt-5|o\d)/i.test(model.trim());
}

export function applicableParams(model: string): Set<ParamName> {
  const reasoning = isReasoningModel(model);
  const names = new Set<ParamName>(['maxOutputTokens']);
  if (reasoning) names.add('reasoningEffort');
  else names.add('temperature').add('topP');
  if (/^gpt-5/i.test(model.trim())) names.add('verbosity');
  return names;
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

function numberIn(text: string, min: number, max: number, integer: boolean): number | string {
  const value = Number(text);
  if (!Number.isFinite(value) || text.trim() === '') return 'must be a number';
  if (integer && !Number.isInteger(value)) return 'must be a whole number';
  if (value < min || value > max) return `must be between ${min} and ${max.toLocaleString('en-US')}`;
  return value;
}

/** Only parameters that apply to `model` and are filled in are sent; empty means the model's default. */
export function parseParams(inputs: ParamInputs, model: string): ParamsResult {
  const applicable = applicableParams(model);
  const params: RunParams = {};
  const problems: Partial<Record<ParamName, string>> = {};
  const numeric = (name: 'temperature' | 'topP' | 'maxOutputTokens', min: number, max: number, integer: boolean) => {
    if (!applicable.has(name) || inputs[name].trim() === '') return;
    const value = numberIn(inputs[name], min, max, integer);
    if (typeof value === 'string') problems[name] = value;
    else params[name] = value;
  };
  numeric('temperature', 0, 2, false);
  numeric('topP', 0, 1, false);
  numeric('maxOutputTokens', 1, 1_000_000, true);
  const effort = REASONING_EFFORTS.find((e) => e === inputs.reasoningEffort);
  if (applicable.has('reasoningEffort') && effort) params.reasoningEffort = effort;
  const verbosity = VERBOSITIES.find((v) => v === inputs.verbosity);
  if (applicable.has('verbosity') && verbosity) params.verbosity = verbosity;
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, params };
}

export const PARAM_LABELS: Record<ParamName, string> = {
  temperature: 'Temperature',
  topP: 'Top-p',
  maxOutputTokens: 'Max output tokens',
  reasoningEffort: 'Reasoning effort',
  verbosity: 'Verbosity',
};

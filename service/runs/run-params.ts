// Checks a run's parameters against what its model takes (its `parameters` in the catalog), so a
// parameter the provider would refuse, or one it would silently ignore, is a 400 before any model
// call, naming the parameter and the model.
import type { ErrorDetail, ModelParameters, ParameterRange, RunParams } from '../../contract/index.ts';
import { AppError } from '../http/app-error.ts';

function rangeProblem(value: number, range: ParameterRange, model: string): string | undefined {
  if (range.integer && !Number.isInteger(value)) return `must be a whole number for ${model}`;
  if (value < range.min || value > range.max) return `must be between ${range.min} and ${range.max} for ${model}`;
  return undefined;
}

function choiceProblem(value: string, allowed: readonly string[], model: string): string | undefined {
  return allowed.includes(value) ? undefined : `must be one of ${allowed.join(', ')} for ${model}`;
}

/** One detail per parameter the model does not take or whose value is outside its limits. */
export function paramProblems(model: string, params: RunParams, parameters: ModelParameters): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const report = (name: keyof RunParams, message: string | undefined) => {
    if (message) details.push({ path: `params.${name}`, message });
  };
  const notTaken = `is not taken by ${model}; leave it out`;
  for (const name of ['temperature', 'topP', 'maxOutputTokens'] as const) {
    const value = params[name];
    const range = parameters[name];
    if (value !== undefined) report(name, range ? rangeProblem(value, range, model) : notTaken);
  }
  for (const name of ['reasoningEffort', 'verbosity'] as const) {
    const value = params[name];
    const allowed = parameters[name];
    if (value !== undefined) report(name, allowed ? choiceProblem(value, allowed, model) : notTaken);
  }
  return details;
}

/** Throws 400 INVALID_INPUT naming every parameter `model` does not take as given. */
export function assertParamsFit(model: string, params: RunParams, parameters: ModelParameters): void {
  const details = paramProblems(model, params, parameters);
  if (details.length === 0) return;
  throw new AppError('INVALID_INPUT', `${details.map((d) => `${d.path}: ${d.message}`).join('; ')} (see GET /api/models for what each model takes)`, details);
}

// The models offered, the API each is called through, their prices and the parameters each takes.
// The built-in table can be replaced or extended, without a rebuild, by a JSON file named in
// PROMPTREFINE_MODELS_FILE.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  ModelApi,
  ModelParameters,
  PARAMETER_LIMITS,
  parametersForModel,
  ParameterRange,
  type ModelInfo,
} from '../../contract/index.ts';

const OPENAI_PRICING = 'OpenAI API pricing page, standard tier (developers.openai.com/api/docs/pricing)';

/** OpenAI's current coding-capable models (USD per million tokens, standard tier, short context). */
const PRICED_MODELS: readonly Omit<ModelInfo, 'parameters'>[] = [
  { id: 'gpt-5.5', api: 'responses', inputPerMTok: 5, cachedInputPerMTok: 0.5, outputPerMTok: 30, priceSource: OPENAI_PRICING, priceDate: '2026-06-04' },
  { id: 'gpt-5.4', api: 'responses', inputPerMTok: 2.5, cachedInputPerMTok: 0.25, outputPerMTok: 15, priceSource: OPENAI_PRICING, priceDate: '2026-06-04' },
  { id: 'gpt-5.4-mini', api: 'responses', inputPerMTok: 0.75, cachedInputPerMTok: 0.075, outputPerMTok: 4.5, priceSource: OPENAI_PRICING, priceDate: '2026-06-04' },
  { id: 'gpt-5.4-nano', api: 'responses', inputPerMTok: 0.2, cachedInputPerMTok: 0.02, outputPerMTok: 1.25, priceSource: OPENAI_PRICING, priceDate: '2026-06-04' },
  { id: 'gpt-5.3-codex', api: 'responses', inputPerMTok: 1.75, cachedInputPerMTok: 0.175, outputPerMTok: 14, priceSource: OPENAI_PRICING, priceDate: '2026-05-13' },
  { id: 'gpt-5.2-codex', api: 'responses', inputPerMTok: 1.75, cachedInputPerMTok: 0.175, outputPerMTok: 14, priceSource: OPENAI_PRICING, priceDate: '2026-05-13' },
  { id: 'gpt-5.2', api: 'responses', inputPerMTok: 1.75, cachedInputPerMTok: 0.175, outputPerMTok: 14, priceSource: OPENAI_PRICING, priceDate: '2026-05-13' },
];

/** The built-in table, each model with the parameters the rule (contract/models.ts) gives its id. */
export const BUILT_IN_MODELS: readonly ModelInfo[] = PRICED_MODELS.map((model) => ({ ...model, parameters: parametersForModel(model.id) }));

/** A range in a models file must lie within what RunParams accepts for any model. */
function rangeWithin(limits: ParameterRange) {
  return ParameterRange.refine((r) => r.min <= r.max, 'min must not be above max')
    .refine((r) => r.min >= limits.min && r.max <= limits.max, `must lie within ${limits.min}–${limits.max}`)
    .refine((r) => r.integer === limits.integer, `integer must be ${limits.integer}`);
}
/** Each field given replaces the rule's (null: the model does not take it); the others keep the rule's. */
const ParametersOverride = z.strictObject({
  temperature: rangeWithin(PARAMETER_LIMITS.temperature).nullable().optional(),
  topP: rangeWithin(PARAMETER_LIMITS.topP).nullable().optional(),
  maxOutputTokens: rangeWithin(PARAMETER_LIMITS.maxOutputTokens).nullable().optional(),
  reasoningEffort: ModelParameters.shape.reasoningEffort.optional(),
  verbosity: ModelParameters.shape.verbosity.optional(),
});

const Price = z.number().min(0).nullable().default(null);
const ModelEntry = z.strictObject({
  id: z.string().trim().min(1),
  api: ModelApi,
  inputPerMTok: Price,
  cachedInputPerMTok: Price,
  outputPerMTok: Price,
  priceSource: z.string().nullable().default(null),
  priceDate: z.iso.date().nullable().default(null),
  parameters: ParametersOverride.optional(),
});
const ModelsFile = z.strictObject({
  /** `extend` (default) adds to and overrides the built-in table; `replace` drops it. */
  mode: z.enum(['extend', 'replace']).default('extend'),
  models: z.array(ModelEntry),
});

export interface ModelCatalog {
  list(): ModelInfo[];
  /** The entry of a known model, or undefined: unknown models still run, unpriced. */
  find(id: string): ModelInfo | undefined;
  /** The API a model is called through: the table's, else a guess for unknown ids. */
  apiFor(id: string): ModelInfo['api'];
  /** The parameters a model takes: the table's, else the rule for its id. */
  parametersFor(id: string): ModelParameters;
}

export function loadModelsFile(path: string): z.infer<typeof ModelsFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`PROMPTREFINE_MODELS_FILE ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = ModelsFile.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`PROMPTREFINE_MODELS_FILE ${path} is not a valid model table: ${problems}`);
  }
  return parsed.data;
}

export function createModelCatalog(options: { file?: string | undefined; defaultApi: ModelInfo['api'] }): ModelCatalog {
  const entries = new Map<string, ModelInfo>();
  const fromFile = options.file ? loadModelsFile(options.file) : undefined;
  if (fromFile?.mode !== 'replace') for (const model of BUILT_IN_MODELS) entries.set(model.id, model);
  for (const { parameters, ...model } of fromFile?.models ?? []) {
    const overrides = Object.fromEntries(Object.entries(parameters ?? {}).filter(([, value]) => value !== undefined));
    entries.set(model.id, { ...model, parameters: { ...parametersForModel(model.id), ...overrides } });
  }
  return {
    list: () => [...entries.values()],
    find: (id) => entries.get(id),
    parametersFor: (id) => entries.get(id)?.parameters ?? parametersForModel(id),
    // Codex models exist only on the Responses API; other unknown ids use the configured default.
    apiFor: (id) => entries.get(id)?.api ?? (/codex/i.test(id) ? 'responses' : options.defaultApi),
  };
}

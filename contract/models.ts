// The models a run can use and the one rule for which parameters each takes (that rule lives in
// ./model-parameters.ts, without zod, for the webview's sake). The service's catalog
// (GET /api/models), the fake OpenAI server and the webview all read it, so the form, the
// validation of POST /api/test-runs and the fake provider cannot disagree.
import { z } from 'zod';
import { REASONING_EFFORTS, VERBOSITIES, type ModelParameters as PlainModelParameters, type ParameterRange as PlainParameterRange } from './model-parameters.ts';

export * from './model-parameters.ts';

export const MODEL_APIS = ['responses', 'chat'] as const;
export const ModelApi = z.enum(MODEL_APIS).meta({ description: 'The OpenAI API a model is called through' });
export type ModelApi = z.infer<typeof ModelApi>;

export const ParameterRange = z
  .object({ min: z.number(), max: z.number(), integer: z.boolean() })
  .meta({ id: 'ParameterRange', description: 'Inclusive bounds of a numeric parameter' });
export type ParameterRange = z.infer<typeof ParameterRange>;

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

// The schemas and the plain types the webview uses must describe the same values: either
// assignment fails to compile if one of them changes alone.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [Same<ParameterRange, PlainParameterRange>, Same<ModelParameters, PlainModelParameters>] = [true, true];
void sameShapes;

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

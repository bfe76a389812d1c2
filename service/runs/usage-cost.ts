// Token usage of both APIs in the contract's one shape, and its price.
import type { ModelInfo, Usage } from '../../contract/index.ts';

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens: number;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
  total_tokens?: number | null;
}

export interface ChatUsage {
  prompt_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens: number;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  total_tokens?: number | null;
}

// Cached tokens are part of the input, reasoning tokens part of the output, on both APIs.
export function usageFromResponses(u: ResponsesUsage): Usage {
  return {
    inputTokens: u.input_tokens,
    cachedInputTokens: u.input_tokens_details?.cached_tokens ?? 0,
    outputTokens: u.output_tokens,
    reasoningTokens: u.output_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: u.total_tokens ?? u.input_tokens + u.output_tokens,
  };
}

export function usageFromChat(u: ChatUsage): Usage {
  return {
    inputTokens: u.prompt_tokens,
    cachedInputTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    outputTokens: u.completion_tokens,
    reasoningTokens: u.completion_tokens_details?.reasoning_tokens ?? 0,
    totalTokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens,
  };
}

/** The part of a model's entry that prices a run. */
export type ModelPrices = Pick<ModelInfo, 'inputPerMTok' | 'cachedInputPerMTok' | 'outputPerMTok'>;

/** USD, or null when the model has no price or the usage is unknown. */
export function costOf(usage: Usage | null, model: ModelPrices | undefined): number | null {
  if (!usage || !model || model.inputPerMTok === null || model.outputPerMTok === null) return null;
  const cachedPrice = model.cachedInputPerMTok ?? model.inputPerMTok;
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  const micro = uncached * model.inputPerMTok + usage.cachedInputTokens * cachedPrice + usage.outputTokens * model.outputPerMTok;
  // Rounded to a millionth of a cent: float noise would otherwise show in sums.
  return Math.round((micro / 1_000_000) * 1e8) / 1e8;
}

// Contract-shaped data for the webview tests: one prompt with two versions, a model table, runs.
import { randomUUID } from 'node:crypto';
import { parametersForModel, type ModelInfo, type PromptWithVersion, type TestRun, type Version } from '../../../contract/index.ts';
import type { PanelData } from '../../protocol.ts';

export const PROMPT_ID = randomUUID();
const T0 = Date.parse('2026-11-27T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export const V1: Version = {
  id: randomUUID(),
  promptId: PROMPT_ID,
  versionNumber: 1,
  content: 'Review this diff:\n{{diff}}',
  notes: 'Created',
  restoredFromVersionId: null,
  createdAt: at(0),
};
export const V2: Version = {
  id: randomUUID(),
  promptId: PROMPT_ID,
  versionNumber: 2,
  content: 'Review this diff as a senior engineer:\n{{diff}}\nAnswer in {{language}}.',
  notes: 'Ask for a language',
  restoredFromVersionId: null,
  createdAt: at(5),
};

export const MODELS: ModelInfo[] = [
  { id: 'gpt-5.4', api: 'responses', inputPerMTok: 2.5, cachedInputPerMTok: 0.25, outputPerMTok: 15, priceSource: 'test', priceDate: '2026-06-04' },
  { id: 'gpt-5.4-mini', api: 'responses', inputPerMTok: 0.75, cachedInputPerMTok: 0.075, outputPerMTok: 4.5, priceSource: 'test', priceDate: '2026-06-04' },
  { id: 'gpt-4.1', api: 'chat', inputPerMTok: null, cachedInputPerMTok: null, outputPerMTok: null, priceSource: null, priceDate: null },
].map((model) => ({ ...model, api: model.api as ModelInfo['api'], parameters: parametersForModel(model.id) }));

export function aPrompt(overrides: Partial<PromptWithVersion> = {}): PromptWithVersion {
  return {
    id: PROMPT_ID,
    title: 'Review a diff',
    type: 'user',
    tags: ['review'],
    currentVersionId: V2.id,
    currentVersionNumber: 2,
    createdAt: at(0),
    updatedAt: at(5),
    currentVersion: V2,
    ...overrides,
  };
}

export function panelData(overrides: Partial<PanelData> = {}): PanelData {
  return {
    prompt: aPrompt(),
    versions: { items: [V2, V1], nextCursor: null },
    models: MODELS,
    remembered: null,
    ...overrides,
  };
}

export function aRun(overrides: Partial<TestRun> = {}): TestRun {
  return {
    id: randomUUID(),
    promptId: PROMPT_ID,
    promptVersionId: V2.id,
    versionNumber: 2,
    status: 'succeeded',
    model: 'gpt-5.4',
    api: 'responses',
    params: {},
    inputVariables: { diff: '+ a line', language: 'English' },
    input: null,
    output: 'Echo: the diff looks fine',
    usage: { inputTokens: 1200, cachedInputTokens: 200, outputTokens: 300, reasoningTokens: 64, totalTokens: 1500 },
    costUsd: 0.00745,
    error: null,
    attempts: 1,
    latencyMs: 1830,
    createdAt: at(10),
    startedAt: at(10),
    finishedAt: at(10),
    updatedAt: at(10),
    ...overrides,
  };
}

export function queued(run: TestRun): TestRun {
  return { ...run, status: 'queued', output: null, usage: null, costUsd: null, latencyMs: null, startedAt: null, finishedAt: null, attempts: 0 };
}

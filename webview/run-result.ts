// A finished (or running) run as the user reads it: status, tokens, cost, latency, attempts, and a
// failure in the provider's words with what to do next. Shared by the run view and history.
import type { TestRun } from '../contract/index.ts';
import { runErrorAdvice } from './advice.ts';
import { button } from './controls.ts';
import { h, stats } from './dom.ts';
import { duration, tokens, usd } from './format.ts';

export const STATUS_LABELS: Record<TestRun['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function statusBadge(status: TestRun['status']): HTMLElement {
  return h('span', { class: `status status-${status}`, 'data-status': status }, STATUS_LABELS[status]);
}

export function usageStats(run: TestRun): HTMLElement {
  const u = run.usage;
  return stats([
    ['Status', STATUS_LABELS[run.status], 'status'],
    ['Input tokens', tokens(u?.inputTokens), 'inputTokens'],
    ['Cached input', tokens(u?.cachedInputTokens), 'cachedInputTokens'],
    ['Output tokens', tokens(u?.outputTokens), 'outputTokens'],
    ['Reasoning', tokens(u?.reasoningTokens), 'reasoningTokens'],
    ['Cost', u ? usd(run.costUsd) : '—', 'cost'],
    ['Latency', duration(run.latencyMs), 'latency'],
    ['Attempts', String(run.attempts), 'attempts'],
  ]);
}

/** What the panel can do about a failure: with the extension's local service, set the key. */
export interface FailureActions {
  /** Present when the extension keeps the key (its local service): offered for key errors. */
  setApiKey?: () => void;
}

export function runFailure(run: TestRun, actions: FailureActions = {}): HTMLElement | null {
  if (!run.error) return null;
  const { code, message, status } = run.error;
  const local = actions.setApiKey !== undefined;
  const keyError = ['no_api_key', 'invalid_api_key'].includes(code.toLowerCase()) || status === 401;
  return h(
    'div',
    { class: run.status === 'canceled' ? 'notice' : 'error-box', role: 'alert', 'data-run-error': code },
    h('p', { class: 'error-title' }, `${code}${status ? ` (HTTP ${status})` : ''}`),
    h('p', { class: 'error-message' }, message),
    h('p', { class: 'error-next' }, runErrorAdvice(run.error, run.model, local)),
    local && keyError && actions.setApiKey ? h('div', { class: 'actions' }, button('Set OpenAI API Key', actions.setApiKey, { action: 'set-api-key' })) : null,
  );
}

/** The run's settings as sent: parameters, variables and input. */
export function runSettings(run: TestRun): HTMLElement {
  const params = Object.entries(run.params);
  const vars = Object.entries(run.inputVariables);
  return h(
    'div',
    { class: 'run-settings' },
    h('h4', null, 'Parameters'),
    params.length > 0 ? stats(params.map(([k, v]) => [k, String(v), `param:${k}`])) : h('p', { class: 'hint' }, 'Model defaults (none set).'),
    h('h4', null, 'Variables'),
    vars.length > 0 ? h('dl', { class: 'variables-list' }, vars.flatMap(([k, v]) => [h('dt', null, `{{${k}}}`), h('dd', null, h('pre', null, v))])) : h('p', { class: 'hint' }, 'None.'),
    run.input !== null ? [h('h4', null, 'Input'), h('pre', { class: 'input' }, run.input)] : null,
  );
}

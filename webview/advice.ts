// What to do next about a failed run. The provider's own message is always shown as it is; this
// adds one sentence on the way out, chosen from the error's code and HTTP status.
import type { RunError } from '../contract/index.ts';

/**
 * `localService`: the extension runs the service itself and keeps its key, so the way out is the
 * Set OpenAI API Key command, not an environment variable somewhere.
 */
export function runErrorAdvice(error: RunError, model: string, localService = false): string {
  const code = error.code.toLowerCase();
  const status = error.status ?? null;
  if (code === 'canceled') return 'You canceled this run. Run it again when you are ready.';
  if (code === 'no_api_key') {
    return localService
      ? 'No OpenAI API key is set. Set one with “PromptRefine: Set OpenAI API Key”, then rerun.'
      : 'The service has no OpenAI API key: set OPENAI_API_KEY where the service runs and restart it.';
  }
  if (code === 'invalid_api_key' || status === 401) {
    return localService
      ? 'The OpenAI API key was refused: set the right one with “PromptRefine: Set OpenAI API Key” (and check promptrefine.openaiBaseUrl), then rerun.'
      : 'The service’s OpenAI API key was refused: check OPENAI_API_KEY where the service runs and restart it.';
  }
  if (code === 'insufficient_quota') return 'The OpenAI account is out of credit: add credit or use another key, then rerun.';
  if (status === 429 || code.includes('rate_limit')) return 'The provider is rate-limiting this key. Wait a minute and rerun, or pick a smaller model.';
  if (code === 'unsupported_parameter' || code === 'unsupported_value') return `${model} does not take one of the parameters set: clear it in Parameters and rerun.`;
  if (code === 'model_not_found' || (status === 404 && /model/i.test(error.message))) return `Check the model id "${model}" (or the API it is called through) and pick another model.`;
  if (code === 'context_length_exceeded') return 'The prompt and input are longer than this model takes: shorten them or lower Max output tokens.';
  if (code === 'timeout') return 'The model took too long. Rerun, lower Max output tokens or the reasoning effort, or raise PROMPTREFINE_RUN_TIMEOUT_MS on the service.';
  if (code === 'connection_error') {
    return localService
      ? 'The local service could not reach the model provider: check the setting promptrefine.openaiBaseUrl and the network, then rerun.'
      : 'The service could not reach the model provider: check OPENAI_BASE_URL and the network where the service runs, then rerun.';
  }
  if (code === 'interrupted') return 'The service stopped while this run was in progress. Rerun it.';
  if (status !== null && status >= 500) return 'The provider had a server error. Rerun in a moment.';
  if (status === 400) return 'The provider refused the request as sent: read its message above, change the prompt or parameters, and rerun.';
  return 'Read the provider’s message above; rerun once it is dealt with.';
}

// What the local service is started with, from the extension's settings and secret storage: how
// long it stays once no window calls it, and the environment that carries the OpenAI key and base
// URL. Plain functions, so the rules are tested without VS Code.

/** Minutes the local service stays after the last window has gone (the setting's bounds). */
export const IDLE_MINUTES = {
  // Long enough that closing and reopening a window, or a reload, finds it warm; short enough that
  // a forgotten service does not hold memory for the rest of the day.
  default: 10,
  // The windows call it every 15 s; a minute leaves room for a slow or suspended window.
  minimum: 1,
  maximum: 24 * 60,
} as const;

/** The service's PROMPTREFINE_IDLE_EXIT_SECONDS for the setting's value; out of range or not a number falls back or clamps. */
export function idleExitSeconds(minutes: unknown): number {
  const value = typeof minutes === 'number' && Number.isFinite(minutes) ? minutes : IDLE_MINUTES.default;
  return Math.round(Math.min(IDLE_MINUTES.maximum, Math.max(IDLE_MINUTES.minimum, value)) * 60);
}

/**
 * The environment a local service is started with: the key from secret storage and the base URL
 * setting. Unset values are passed as undefined, so a key or base URL of the VS Code process's own
 * environment never reaches the service in place of what the user chose here.
 */
export function localServiceEnv(apiKey: string | undefined, baseUrl: string | undefined): Record<string, string | undefined> {
  return {
    OPENAI_API_KEY: apiKey?.trim() || undefined,
    OPENAI_BASE_URL: baseUrl?.trim() || undefined,
  };
}

/** Why a base URL setting cannot be used, or undefined when it can (empty means OpenAI's own). */
export function baseUrlProblem(value: string | undefined): string | undefined {
  const text = value?.trim() ?? '';
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'use an http:// or https:// URL';
  } catch {
    return 'it is not a URL (for example https://api.openai.com/v1 or http://127.0.0.1:11434/v1)';
  }
}

/** What to check before keeping a key: something pasted, on one line. The provider decides whether it is valid. */
export function apiKeyProblem(value: string): string | undefined {
  const text = value.trim();
  if (!text) return 'Paste the key (it starts with sk- for OpenAI)';
  if (/\s/.test(text)) return 'A key has no spaces or line breaks';
  return undefined;
}

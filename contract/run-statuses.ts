// A run's statuses, without zod, so the webview can list them without carrying zod in its bundle.
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];

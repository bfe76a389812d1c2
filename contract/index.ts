// The REST contract (README.md § REST API, and GET /api/openapi.json) as zod schemas and the types
// inferred from them, imported by the service, the extension and the webview.
export * from './common.ts';
export * from './auth.ts';
export * from './prompts.ts';
export * from './models.ts';
export * from './test-runs.ts';
export * from './events.ts';
export * from './changes.ts';
export * from './health.ts';
export * from './template.ts';
export * from './lock-file.ts';
export * from './templates.ts';
export * from './export.ts';
export * from './regex-rule.ts';
export * from './cases.ts';
export * from './batches.ts';

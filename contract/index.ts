// The REST contract (shared/CONTRACT.md) as zod schemas and the types inferred from them.
export * from './common.ts';
export * from './auth.ts';
export * from './prompts.ts';
export * from './test-runs.ts';
export * from './health.ts';
export * from './template.ts';

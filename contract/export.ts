// Export and import: the `promptrefine/v1` JSON document (everything about every prompt), the
// query of the export routes, and the summary of an import. The document is the backup format:
// export, import into an empty database, export again, and the two are equal except `exportedAt`.
import { z } from 'zod';
import { Id, Timestamp } from './common.ts';
import { CaseName, TestCase } from './cases.ts';
import { PromptType, Version } from './prompts.ts';
import { TestRun } from './test-runs.ts';

export const EXPORT_FORMAT = 'promptrefine/v1';

export const PROMPT_EXPORT_FORMATS = ['json', 'markdown', 'typescript', 'promptfoo'] as const;
export type PromptExportFormat = (typeof PROMPT_EXPORT_FORMATS)[number];
export const WORKSPACE_EXPORT_FORMATS = ['json', 'markdown'] as const;
export type WorkspaceExportFormat = (typeof WORKSPACE_EXPORT_FORMATS)[number];

export const PromptExportQuery = z.strictObject({
  format: z.enum(PROMPT_EXPORT_FORMATS).default('json').meta({
    description:
      '`json`: the `promptrefine/v1` document with this one prompt. `markdown`: for reading. `typescript`: one version as a function that renders it. `promptfoo`: one version as a promptfooconfig.yaml',
  }),
  versionId: Id.optional().meta({ description: 'For typescript and promptfoo: the version to export (default: the current one)' }),
});
export type PromptExportQuery = z.infer<typeof PromptExportQuery>;

export const WorkspaceExportQuery = z.strictObject({
  format: z.enum(WORKSPACE_EXPORT_FORMATS).default('json'),
});
export type WorkspaceExportQuery = z.infer<typeof WorkspaceExportQuery>;

/** A test case as it is exported: every field, expectations checked as when they are saved. */
export const ExportedTestCase = TestCase.extend({ name: CaseName }).meta({ id: 'ExportedTestCase' });

export const ExportedPrompt = z
  .strictObject({
    id: Id,
    title: z.string().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    type: PromptType,
    tags: z.array(z.string().min(1).max(50)).max(20),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    currentVersionId: Id.nullable(),
    versions: z.array(Version).meta({ description: 'Every version, oldest first' }),
    testRuns: z.array(TestRun).meta({ description: 'Every run, oldest first' }),
    cases: z.array(ExportedTestCase).meta({ description: 'Every test case (deleted ones aside), oldest first' }),
  })
  .meta({ id: 'ExportedPrompt' });
export type ExportedPrompt = z.infer<typeof ExportedPrompt>;

export const ExportDocument = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT),
    exportedAt: Timestamp,
    prompts: z.array(ExportedPrompt).meta({ description: 'Every prompt, oldest first' }),
  })
  .meta({
    id: 'ExportDocument',
    description:
      'Everything about the exported prompts, every field of every record, keys in a stable order. Deleted prompts are not exported. Import keeps ids, version numbers and timestamps.',
  });
export type ExportDocument = z.infer<typeof ExportDocument>;

export const IMPORT_KINDS = ['prompt', 'version', 'testRun', 'case'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

const Counts = z.object({
  prompts: z.number().int(),
  versions: z.number().int(),
  testRuns: z.number().int(),
  cases: z.number().int(),
});
export type ImportCounts = z.infer<typeof Counts>;

export const ImportConflict = z
  .object({
    kind: z.enum(IMPORT_KINDS),
    id: Id,
    message: z.string().meta({ description: 'What differs; the record in the database was left as it was' }),
  })
  .meta({ id: 'ImportConflict' });
export type ImportConflict = z.infer<typeof ImportConflict>;

export const ImportSummary = z
  .object({
    created: Counts.meta({ description: 'Records written' }),
    skipped: Counts.meta({ description: 'Records already in the database with the same content' }),
    conflicts: z.array(ImportConflict).meta({ description: 'Records whose id exists with other content: never overwritten' }),
  })
  .meta({ id: 'ImportSummary' });
export type ImportSummary = z.infer<typeof ImportSummary>;

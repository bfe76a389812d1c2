import { z } from 'zod';
import { Id, PageQuery, TemplateId, Timestamp, listOf } from './common.ts';

export const PROMPT_TYPES = ['user', 'system'] as const;
export const PromptType = z
  .enum(PROMPT_TYPES)
  .meta({ description: '`user`: the rendered content is the user message. `system`: it is the instructions, and each run supplies the user message as `input`.' });
export type PromptType = z.infer<typeof PromptType>;

export const MAX_CONTENT_CHARS = 200_000;

export const Title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const Tag = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(50, 'must be at most 50 characters')
  .regex(/^[^,\s][^,]*$/, 'must not contain commas');
/** Tags are kept in the order given, without duplicates. */
export const Tags = z
  .array(Tag)
  .max(20, 'at most 20 tags')
  .transform((tags) => [...new Set(tags)]);
export const Content = z.string().max(MAX_CONTENT_CHARS, `must be at most ${MAX_CONTENT_CHARS} characters`);
export const Notes = z.string().trim().max(2000, 'must be at most 2000 characters');

export const Version = z
  .object({
    id: Id,
    promptId: Id,
    versionNumber: z.number().int().min(1),
    content: z.string(),
    notes: z.string().nullable(),
    restoredFromVersionId: Id.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Version' });
export type Version = z.infer<typeof Version>;

export const Prompt = z
  .object({
    id: Id,
    title: z.string(),
    type: PromptType,
    tags: z.array(z.string()),
    currentVersionId: Id.nullable(),
    currentVersionNumber: z.number().int().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Prompt' });
export type Prompt = z.infer<typeof Prompt>;

export const PromptWithVersion = Prompt.extend({ currentVersion: Version.nullable() }).meta({ id: 'PromptWithVersion' });
export type PromptWithVersion = z.infer<typeof PromptWithVersion>;

export const PromptList = listOf(Prompt).meta({ id: 'PromptList' });
export const VersionList = listOf(Version).meta({ id: 'VersionList' });

export const PromptIdParams = z.strictObject({ id: Id });
export const VersionIdParams = z.strictObject({ id: Id, versionId: Id });

export const ListPromptsQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Text to find in the title (substring or trigram similarity)' }),
  tag: z.string().trim().min(1).max(50).optional().meta({ description: 'Only prompts with this tag' }),
});
export type ListPromptsQuery = z.infer<typeof ListPromptsQuery>;

export const CreatePromptBody = z
  .strictObject({
    title: Title.optional().meta({ description: "Required, except with templateId (default: the template's title)" }),
    type: PromptType.optional().meta({ description: "Default `user`; with templateId, the template's type" }),
    tags: Tags.optional().meta({ description: "Default none; with templateId, the template's tags" }),
    content: Content.optional().meta({ description: 'When given, becomes version 1' }),
    notes: Notes.optional(),
    templateId: TemplateId.optional().meta({
      description: "Start from this template (GET /api/templates): version 1 is its content, and its notes name the template",
    }),
  })
  .superRefine((body, ctx) => {
    if (body.templateId === undefined && body.title === undefined) {
      ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required (unless templateId is given)' });
    }
    if (body.templateId !== undefined && body.content !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: "cannot be given with templateId: version 1 is the template's content" });
    }
  })
  .meta({ id: 'CreatePromptBody', description: '`{title, type?, tags?, content?, notes?}`, or `{templateId, title?}` to start from a template' });
export type CreatePromptBody = z.infer<typeof CreatePromptBody>;

export const UpdatePromptBody = z
  .strictObject({ title: Title.optional(), type: PromptType.optional(), tags: Tags.optional() })
  .meta({ id: 'UpdatePromptBody' });
export type UpdatePromptBody = z.infer<typeof UpdatePromptBody>;

export const CreateVersionBody = z
  .strictObject({
    content: Content,
    notes: Notes.optional(),
    baseVersionId: Id.optional().meta({
      description: 'The version this edit started from. When it is no longer current the answer is 409 and nothing is written.',
    }),
  })
  .meta({ id: 'CreateVersionBody' });
export type CreateVersionBody = z.infer<typeof CreateVersionBody>;

export const RestoreBody = z.strictObject({ versionId: Id }).meta({ id: 'RestoreBody' });
export type RestoreBody = z.infer<typeof RestoreBody>;

export const Deleted = z.object({ deleted: z.literal(true) });

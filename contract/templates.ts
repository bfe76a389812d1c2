// Prompt templates (GET/POST/DELETE /api/templates): the built-in ones for coding models, and the
// user's own, saved from content or from any version. `POST /api/prompts` with `templateId` starts
// a prompt from one.
import { z } from 'zod';
import { BUILTIN_TEMPLATE_PREFIX, Id, TemplateId, Timestamp, listOf } from './common.ts';
import { Content, PromptType, Tags, Title } from './prompts.ts';

export const isBuiltInTemplateId = (id: string) => id.startsWith(BUILTIN_TEMPLATE_PREFIX);

export const Description = z.string().trim().max(300, 'must be at most 300 characters');

export const Template = z
  .object({
    id: z.string().meta({ description: '`builtin:<slug>` for built-in templates, else a UUID' }),
    title: z.string(),
    type: PromptType,
    description: z.string().meta({ description: 'One line: what the template is for' }),
    content: z.string().meta({ description: 'The text, with its `{{variables}}`' }),
    tags: z.array(z.string()),
    builtIn: z.boolean().meta({ description: 'Built-in templates cannot be changed or deleted' }),
    createdAt: Timestamp,
  })
  .meta({ id: 'Template' });
export type Template = z.infer<typeof Template>;

export const TemplateList = listOf(Template).meta({ id: 'TemplateList' });

/**
 * One object rather than a union, so a mistake is reported on the field at fault
 * ("content: is required") instead of as "no variant matched".
 */
export const CreateTemplateBody = z
  .strictObject({
    title: Title.optional().meta({ description: "Required with content; with fromVersionId the default is the prompt's title" }),
    type: PromptType.optional().meta({ description: 'Default `user`; with fromVersionId, the type of its prompt' }),
    description: Description.optional(),
    content: Content.optional().meta({ description: 'The text, with its `{{variables}}`; or give fromVersionId' }),
    tags: Tags.optional().meta({ description: "Default none; with fromVersionId, the prompt's tags" }),
    fromVersionId: Id.optional().meta({ description: "Save this version's content as a template" }),
  })
  .superRefine((body, ctx) => {
    if (body.fromVersionId !== undefined) {
      if (body.content !== undefined) ctx.addIssue({ code: 'custom', path: ['content'], message: 'cannot be given with fromVersionId' });
      return;
    }
    if (body.title === undefined) ctx.addIssue({ code: 'custom', path: ['title'], message: 'is required (or give fromVersionId)' });
    if (body.content === undefined) ctx.addIssue({ code: 'custom', path: ['content'], message: 'is required (or give fromVersionId)' });
    else if (body.content.trim() === '') ctx.addIssue({ code: 'custom', path: ['content'], message: 'must not be empty' });
  })
  .meta({ id: 'CreateTemplateBody', description: '`{title, content, type?, description?, tags?}`, or `{fromVersionId, title?, description?}` to save a version' });
export type CreateTemplateBody = z.infer<typeof CreateTemplateBody>;

export const TemplateIdParams = z.strictObject({ id: TemplateId });

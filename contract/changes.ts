// GET /api/changes: one `change` event for every create, update, delete and new version of a
// prompt, from whichever service process made it. Clients refresh what they show from it.
import { z } from 'zod';
import { Id } from './common.ts';

export const CHANGE_KINDS = ['prompt.created', 'prompt.updated', 'prompt.deleted', 'version.created', 'case.changed'] as const;
export const ChangeKind = z.enum(CHANGE_KINDS);
export type ChangeKind = z.infer<typeof ChangeKind>;

/** The SSE event name of every change. */
export const CHANGE_EVENT = 'change';

export const ChangeEvent = z
  .object({
    kind: ChangeKind,
    promptId: Id,
    versionId: Id.optional().meta({ description: 'The new version, for `version.created`' }),
  })
  .meta({ id: 'ChangeEvent' });
export type ChangeEvent = z.infer<typeof ChangeEvent>;

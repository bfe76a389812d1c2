// Saving a prompt document creates a new immutable version on top of the version it was based on.
// When the prompt moved on elsewhere the service refuses (409) and nothing is written; the user
// chooses to compare, to save anyway on top of the newer version, or to cancel. Never silently.
import type { CreateVersionBody, PromptWithVersion, Version } from '../../contract/index.ts';
import { isApiError } from '../api/errors.ts';

export type ConflictChoice = 'compare' | 'saveOnTop' | 'cancel';

export interface VersionWriter {
  createVersion(promptId: string, body: CreateVersionBody): Promise<Version>;
  getPrompt(promptId: string): Promise<PromptWithVersion>;
}

export interface SaveRequest {
  promptId: string;
  content: string;
  /** The version the edit started from; null for a prompt that had no version yet. */
  baseVersionId: string | null;
  /** Its content: saving the same text again adds no version. */
  baseContent?: string;
  notes?: string;
}

export type SaveOutcome =
  | { kind: 'saved'; version: Version }
  | { kind: 'unchanged' }
  | { kind: 'cancelled'; latest: PromptWithVersion }
  | { kind: 'compare'; latest: PromptWithVersion };

/** Each "save on top" can meet yet another newer version; after this many the user is asked to look. */
const MAX_ATTEMPTS = 3;

export async function saveAsNewVersion(
  api: VersionWriter,
  request: SaveRequest,
  askOnConflict: (latest: PromptWithVersion) => Promise<ConflictChoice>,
): Promise<SaveOutcome> {
  if (request.baseVersionId !== null && request.content === request.baseContent) return { kind: 'unchanged' };
  let baseVersionId = request.baseVersionId;
  for (let attempt = 1; ; attempt++) {
    try {
      const body: CreateVersionBody = { content: request.content };
      if (request.notes) body.notes = request.notes;
      if (baseVersionId) body.baseVersionId = baseVersionId;
      return { kind: 'saved', version: await api.createVersion(request.promptId, body) };
    } catch (error) {
      if (!isApiError(error, 'CONFLICT')) throw error;
      const latest = await api.getPrompt(request.promptId);
      const choice = attempt < MAX_ATTEMPTS ? await askOnConflict(latest) : 'compare';
      if (choice === 'compare') return { kind: 'compare', latest };
      if (choice === 'cancel') return { kind: 'cancelled', latest };
      baseVersionId = latest.currentVersionId;
    }
  }
}

/** The words of the conflict question, so the dialog and its test agree. */
export function conflictMessage(title: string, baseNumber: number | null, latest: PromptWithVersion): string {
  const since = baseNumber === null ? '' : ` since you opened v${baseNumber}`;
  return (
    `"${title}" has a newer version (v${latest.currentVersionNumber ?? '?'})${since}. ` +
    'Your save was not written. Compare the two, or save yours as a new version on top of it?'
  );
}

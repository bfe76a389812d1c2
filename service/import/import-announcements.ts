// THE ONE CALL SITE for the change feed on import: after the import's transaction commits, each
// prompt it created should be announced as `prompt.created` (GET /api/changes), so open clients
// show it. The change-feed publisher is built separately; wire it here, and only here.
export type AnnounceImportedPrompts = (promptIds: readonly string[]) => void;

/** Until the change feed's publisher is wired in, imported prompts are not announced. */
export const announceNothing: AnnounceImportedPrompts = () => {};

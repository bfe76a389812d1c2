// Announcing prompt changes to every service process (GET /api/changes). Called inside the
// transaction of the write it announces: the event goes out after COMMIT, and never for a rollback.
import type { ChangeEvent } from '../../contract/index.ts';
import type { Executor } from '../db/connect.ts';
import { notifyCall, publish } from '../db/notifications.ts';
import type { SQL } from 'drizzle-orm';

/** The notification channel of prompt changes. Payload: a ChangeEvent as JSON (ids only, far below 8000 bytes). */
export const PROMPT_CHANGES_CHANNEL = 'promptrefine_prompt_changes';

export async function announceChange(tx: Executor, change: ChangeEvent): Promise<void> {
  await publish(tx, PROMPT_CHANGES_CHANNEL, JSON.stringify(change));
}

/** The same announcement as an expression, for a statement that writes the change itself (one round trip less). */
export function changeNotification(change: ChangeEvent): SQL {
  return notifyCall(PROMPT_CHANGES_CHANNEL, JSON.stringify(change));
}

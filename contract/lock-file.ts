// The embedded database folder's lock file: the service that holds the folder writes its pid, then,
// once it listens, its loopback port and the key it proves itself with on
// GET /api/health?challenge=. The VS Code extension reads it to find its local service.
import { z } from 'zod';

export const LOCK_FILE = 'promptrefine.lock';

export const LockInfo = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535).optional(),
  key: z.string().min(16).optional(),
});
export type LockInfo = z.infer<typeof LockInfo>;

/** A lock file's content (a bare pid from older versions, or JSON); undefined when unreadable. */
export function parseLockInfo(text: string): LockInfo | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const parsed = LockInfo.safeParse(JSON.parse(trimmed));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

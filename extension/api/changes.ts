// The service's change feed, GET /api/changes: one `change` event for every create, update, delete
// and new version of a prompt, from whichever window or process made it. Only the contract's
// shape is let through; anything else on the stream (keep-alives, events of a newer service) is
// skipped. It does not import `vscode`, so it is tested against the real service.
import { CHANGE_EVENT, ChangeEvent } from '../../contract/index.ts';
import type { ServiceHttp } from './http.ts';
import { openEventStream, readEvents } from './sse.ts';

/**
 * Opens the feed (resolving once the service accepted it, so the caller knows it is connected) and
 * answers its changes as they come. It ends when the service ends the stream (at sign-out, or when
 * it stops) or `signal` aborts; a refused session is an ApiError UNAUTHENTICATED.
 */
export async function openChanges(http: ServiceHttp, signal: AbortSignal): Promise<AsyncIterable<ChangeEvent>> {
  const body = await openEventStream(http, '/api/changes', signal);
  return changesOf(body, http.serviceUrl, signal);
}

async function* changesOf(body: ReadableStream<Uint8Array>, serviceUrl: string, signal: AbortSignal): AsyncGenerator<ChangeEvent> {
  for await (const raw of readEvents(body, serviceUrl, signal)) {
    if (raw.event !== CHANGE_EVENT) continue;
    const change = parseChange(raw.data);
    if (change) yield change;
  }
}

/** One `change` event's data as the contract's ChangeEvent, or undefined (skipped). */
export function parseChange(data: string): ChangeEvent | undefined {
  try {
    const parsed = ChangeEvent.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

// An AbortSignal that fires when the client of a request goes away, so long-lived work on its
// behalf (a `?wait=true` request, an event stream) can let go of what it holds.
import type { Response } from 'express';

export function clientGone(res: Response): AbortSignal {
  const controller = new AbortController();
  // The connection may already be gone while the handler awaited something: then 'close' has fired.
  if (res.destroyed || res.socket === null || res.socket.destroyed) controller.abort();
  // 'close' also follows a normal finish; by then there is nothing left to release.
  else res.once('close', () => controller.abort());
  return controller.signal;
}

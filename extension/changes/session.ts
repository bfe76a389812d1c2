// Which session the change feed follows. Signing in, signing out, another user or another service
// means everything shown may belong to someone else: one "everything changed", and the feed is
// stopped and, when signed in, started again for the new session. The same session checked again
// (Refresh, the status menu, a retry) changes nothing, so nothing reloads twice.
import type { User } from '../../contract/index.ts';

export type SessionState = { kind: 'signedIn'; user: Pick<User, 'id'> } | { kind: 'checking' | 'signedOut' | 'unreachable' };

export interface SessionFollowerDeps {
  feed: { start(): void; stop(): Promise<void> };
  changes: { everything(): void };
}

function sessionKey(state: SessionState, serviceUrl: string): string {
  return state.kind === 'signedIn' ? `signedIn ${state.user.id} ${serviceUrl}` : state.kind;
}

/** Answers the function to call with every connection state; `initial` is the state now. */
export function followSession(deps: SessionFollowerDeps, initial: SessionState, serviceUrl: string): (state: SessionState, serviceUrl: string) => void {
  let session = sessionKey(initial, serviceUrl);
  return (state, url) => {
    const next = sessionKey(state, url);
    if (next === session) return;
    session = next;
    deps.changes.everything();
    void deps.feed.stop().then(() => {
      // Still the same session once the old stream has closed: follow it.
      if (state.kind === 'signedIn' && session === next) deps.feed.start();
    });
  };
}

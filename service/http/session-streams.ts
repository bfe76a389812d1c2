// Long-lived answers (event streams) belong to the session that opened them: when that session
// ends (sign-out, or the store destroys it, as at a new sign-in), every stream it opened is closed,
// so nothing keeps flowing to a client that is no longer signed in.
//
// Every streaming route registers here: GET /api/test-runs/:id/events and the change feed
// (GET /api/changes). Keyed on req.sessionID, the raw id this process holds in memory (whatever
// the store keeps of it). A sign-out handled by another process on the same PostgreSQL does not
// reach this registry; a run's stream then ends with its run, and the change feed with its client.
export class SessionStreams {
  private readonly bySession = new Map<string, Set<() => void>>();

  /**
   * Registers an open stream of `sessionId`; `close` ends it. Returns the function to call when
   * the stream ends by itself, so the registry never holds a finished stream.
   */
  register(sessionId: string, close: () => void): () => void {
    let streams = this.bySession.get(sessionId);
    if (!streams) {
      streams = new Set();
      this.bySession.set(sessionId, streams);
    }
    streams.add(close);
    return () => {
      const current = this.bySession.get(sessionId);
      current?.delete(close);
      if (current?.size === 0) this.bySession.delete(sessionId);
    };
  }

  /** Closes every open stream of the session; returns how many there were. */
  closeAll(sessionId: string): number {
    const streams = this.bySession.get(sessionId);
    if (!streams) return 0;
    this.bySession.delete(sessionId);
    for (const close of streams) close();
    return streams.size;
  }

  /** Open streams, all sessions together (for tests and diagnostics). */
  count(): number {
    let total = 0;
    for (const streams of this.bySession.values()) total += streams.size;
    return total;
  }
}

// Thin glue between the connection and the one "prompts changed" event (changes/prompt-changes.ts):
// the service's change feed is followed while signed in and stopped at sign-out, and signing in,
// signing out or switching service announces that everything changed, once.
import * as vscode from 'vscode';
import { openChanges } from '../api/changes.ts';
import { isApiError } from '../api/errors.ts';
import { ChangeFeed } from '../changes/feed.ts';
import { PromptChanges } from '../changes/prompt-changes.ts';
import type { Connection, ConnectionState } from './connection.ts';

/** Who is signed in where: a new value means everything shown may belong to someone else. */
function sessionKey(state: ConnectionState, serviceUrl: string): string {
  return state.kind === 'signedIn' ? `signedIn ${state.user.id} ${serviceUrl}` : state.kind;
}

export function createPromptChanges(connection: Connection): { changes: PromptChanges; disposable: vscode.Disposable } {
  const changes = new PromptChanges({ onListenerError: (error) => console.error('PromptRefine: a change listener failed', error) });
  const feed = new ChangeFeed({
    connect: (signal) => openChanges(connection.http, signal),
    change: (change) => changes.fromFeed(change),
    reconnected: () => changes.everything(),
    stopped: (error) => {
      // Signed out elsewhere (or the session ended): the connection finds out and says so.
      if (isApiError(error, 'UNAUTHENTICATED')) void connection.check().catch(() => undefined);
    },
  });

  let session = sessionKey(connection.state, connection.client.serviceUrl);
  const follow = (state: ConnectionState) => {
    const next = sessionKey(state, connection.client.serviceUrl);
    if (next === session) return;
    session = next;
    changes.everything();
    void feed.stop().then(() => {
      // Still the same session once the old stream has closed: follow it.
      if (state.kind === 'signedIn' && session === next) feed.start();
    });
  };
  const subscription = connection.onDidChange(follow);
  return {
    changes,
    disposable: new vscode.Disposable(() => {
      subscription.dispose();
      void feed.stop();
      changes.dispose();
    }),
  };
}

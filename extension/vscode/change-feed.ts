// Thin glue between the connection and the one "prompts changed" event (changes/prompt-changes.ts):
// the service's change feed is followed while signed in and stopped at sign-out, and signing in,
// signing out or switching service announces that everything changed, once.
import * as vscode from 'vscode';
import { openChanges } from '../api/changes.ts';
import { isApiError } from '../api/errors.ts';
import { ChangeFeed } from '../changes/feed.ts';
import { PromptChanges } from '../changes/prompt-changes.ts';
import { followSession } from '../changes/session.ts';
import type { Connection } from './connection.ts';

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

  // The service key, not the URL: the local service's port changes when it restarts, its sessions do not.
  const follow = followSession({ feed, changes }, connection.state, connection.serviceKey);
  const subscription = connection.onDidChange((state) => follow(state, connection.serviceKey));
  return {
    changes,
    disposable: new vscode.Disposable(() => {
      subscription.dispose();
      void feed.stop();
      changes.dispose();
    }),
  };
}

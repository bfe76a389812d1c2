// The only place commands are registered: one handler for every key of the catalog, no more, no
// fewer (the type says so), each registration owned by the extension context.
import * as vscode from 'vscode';
import { authCommands } from './auth.ts';
import { COMMANDS, type CommandKey } from '../catalog.ts';
import { localServiceCommands } from './local-service.ts';
import { promptCommands } from './prompts.ts';
import { transferCommands } from './transfer.ts';
import type { Handler, Services } from './services.ts';
import { versionCommands } from './versions.ts';
import { viewCommands } from './view.ts';

export function registerCommands(s: Services): void {
  const handlers: Record<CommandKey, Handler> = {
    ...authCommands(s),
    ...viewCommands(s),
    ...promptCommands(s),
    ...versionCommands(s),
    ...localServiceCommands(s),
    ...transferCommands(s),
  };
  for (const key of Object.keys(COMMANDS) as CommandKey[]) {
    s.context.subscriptions.push(vscode.commands.registerCommand(COMMANDS[key], handlers[key]));
  }
}

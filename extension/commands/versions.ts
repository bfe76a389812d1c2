// Commands on a version: open (read-only), compare with the current one or another, restore, copy id.
import * as vscode from 'vscode';
import type { CommandKey } from '../catalog.ts';
import { currentDiffTitle, versionsDiffTitle } from '../documents/diff-title.ts';
import { openVersion, readyToOpen, restoreVersion } from '../vscode/prompt-actions.ts';
import { currentUri, versionUri } from '../vscode/prompt-fs.ts';
import type { Handler, Services } from './services.ts';
import { pickVersion, versionTarget } from './targets.ts';

type VersionCommands = 'openVersion' | 'compareWithCurrent' | 'compareWithVersion' | 'restoreVersion' | 'copyVersionId';

export function versionCommands(s: Services): Pick<Record<CommandKey, Handler>, VersionCommands> {
  return {
    openVersion: async (arg) => {
      const target = await versionTarget(s, arg, 'Open which version?');
      if (target) await openVersion(s, target.prompt, target.version);
    },

    compareWithCurrent: async (arg) => {
      const target = await versionTarget(s, arg, 'Compare which version with the current one?');
      if (!target) return;
      const { version } = target;
      // The current version as it is now, not as the tree last loaded it.
      const prompt = await readyToOpen(s, target.prompt.id);
      if (!prompt) return;
      await vscode.commands.executeCommand(
        'vscode.diff',
        versionUri(prompt.id, prompt.title, version),
        currentUri(prompt.id, prompt.title),
        currentDiffTitle(prompt.title, version.versionNumber, prompt.currentVersionNumber),
      );
    },

    compareWithVersion: async (arg) => {
      const target = await versionTarget(s, arg, 'Compare which version?');
      if (!target) return;
      const { prompt, version } = target;
      const other = await pickVersion(s, prompt, `Compare v${version.versionNumber} with…`, version.id);
      if (!other) return;
      // Older on the left, newer on the right, as in any history.
      const [older, newer] = other.versionNumber < version.versionNumber ? [other, version] : [version, other];
      await vscode.commands.executeCommand(
        'vscode.diff',
        versionUri(prompt.id, prompt.title, older),
        versionUri(prompt.id, prompt.title, newer),
        versionsDiffTitle(prompt.title, older.versionNumber, newer.versionNumber),
      );
    },

    restoreVersion: async (arg) => {
      const target = await versionTarget(s, arg, 'Restore which version?');
      if (target) await restoreVersion(s, target.prompt, target.version);
    },

    copyVersionId: async (arg) => {
      const target = await versionTarget(s, arg, 'Copy the id of which version?');
      if (!target) return;
      await vscode.env.clipboard.writeText(target.version.id);
      void vscode.window.setStatusBarMessage(`Copied the id of v${target.version.versionNumber}: ${target.version.id}`, 5000);
    },
  };
}

// Commands on a version: open (read-only), compare with the current one or another, restore, copy id.
import * as vscode from 'vscode';
import type { Prompt, Version } from '../../contract/index.ts';
import { currentUri, versionUri } from '../vscode/prompt-fs.ts';
import type { CommandKey } from './catalog.ts';
import { openCurrentDocument } from './prompts.ts';
import type { Handler, Services } from './services.ts';
import { pickVersion, readyToOpen, reloadOpenCurrentDocuments, versionTarget } from './targets.ts';

type VersionCommands = 'openVersion' | 'compareWithCurrent' | 'compareWithVersion' | 'restoreVersion' | 'copyVersionId';

const isCurrent = (prompt: Prompt, version: Version) => prompt.currentVersionId === version.id;

export function versionCommands(s: Services): Pick<Record<CommandKey, Handler>, VersionCommands> {
  return {
    openVersion: async (arg) => {
      const target = await versionTarget(s, arg, 'Open which version?');
      if (!target) return;
      const { prompt, version } = target;
      // The current version is the one that can be edited; any other opens read-only.
      if (isCurrent(prompt, version)) return openCurrentDocument(s, prompt);
      if (!(await readyToOpen(s, prompt.id))) return;
      await vscode.window.showTextDocument(versionUri(prompt.id, prompt.title, version), { preview: true });
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
        `${prompt.title}: v${version.versionNumber} ↔ current (v${prompt.currentVersionNumber ?? '?'})`,
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
        `${prompt.title}: v${older.versionNumber} ↔ v${newer.versionNumber}`,
      );
    },

    restoreVersion: async (arg) => {
      const target = await versionTarget(s, arg, 'Restore which version?');
      if (!target) return;
      const { prompt, version } = target;
      if (isCurrent(prompt, version)) {
        void vscode.window.showInformationMessage(`v${version.versionNumber} is already the current version of "${prompt.title}".`);
        return;
      }
      const restored = await s.actions.run(`Restoring v${version.versionNumber}…`, () =>
        s.connection.client.restoreVersion(prompt.id, version.id),
      );
      if (!restored) return;
      s.tree.refresh();
      reloadOpenCurrentDocuments(s, prompt.id);
      void vscode.window.showInformationMessage(
        `Restored v${version.versionNumber} of "${prompt.title}" as the new v${restored.versionNumber}. Nothing was removed from its history.`,
      );
    },

    copyVersionId: async (arg) => {
      const target = await versionTarget(s, arg, 'Copy the id of which version?');
      if (!target) return;
      await vscode.env.clipboard.writeText(target.version.id);
      void vscode.window.setStatusBarMessage(`Copied the id of v${target.version.versionNumber}: ${target.version.id}`, 5000);
    },
  };
}

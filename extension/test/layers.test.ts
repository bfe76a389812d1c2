// The floors of extension/: plain logic (api, changes, tree, documents) never touches VS Code or a
// floor above it; the VS Code adapters never reach up into the commands or the run panel. A file
// that imports upward makes a cycle waiting to happen and logic that cannot be tested in mocha.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const EXTENSION_DIR = join(import.meta.dirname, '..');

function importsOf(folder: string): { file: string; from: string }[] {
  return readdirSync(join(EXTENSION_DIR, folder), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .flatMap((entry) => {
      const file = join(EXTENSION_DIR, folder, entry.name);
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/^import[^;]*?from '([^']+)';/gms)].map((m) => ({ file: relative(EXTENSION_DIR, file), from: m[1] ?? '' }));
    });
}

const RULES: Record<string, RegExp> = {
  api: /^vscode$|^\.\.\/(changes|tree|documents|vscode|commands|run-panel)\//,
  changes: /^vscode$|^\.\.\/(tree|documents|vscode|commands|run-panel)\//,
  tree: /^vscode$|^\.\.\/(vscode|commands|run-panel)\//,
  documents: /^vscode$|^\.\.\/(tree|vscode|commands|run-panel)\//,
  vscode: /^\.\.\/(commands|run-panel)\//,
};

describe('imports inside extension/', () => {
  for (const [folder, forbidden] of Object.entries(RULES)) {
    it(`${folder}/ imports nothing from a floor above it`, () => {
      const upward = importsOf(folder).filter(({ from }) => forbidden.test(from));
      assert.deepEqual(upward, []);
    });
  }
});

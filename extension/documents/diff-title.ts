// The title of a "compare with the current version" diff names the current version's number, and
// the current version moves on (a save, a restore, another window): the title is worked out again
// on every change (vscode/diff-titles.ts). Pure, so it is tested without VS Code.

export function currentDiffTitle(title: string, versionNumber: number, currentNumber: number | null): string {
  return `${title}: v${versionNumber} ↔ current (v${currentNumber ?? '?'})`;
}

export function versionsDiffTitle(title: string, older: number, newer: number): string {
  return `${title}: v${older} ↔ v${newer}`;
}

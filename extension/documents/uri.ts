// Where prompt documents live in the `promptrefine:` file system. The path carries the ids the
// file system needs and ends in a file name that the editor shows in its tab ("Title · v2.prompt").
//   /<promptId>/<Title> · current.prompt            the current version, editable; saving adds a version
//   /<promptId>/<versionId>/<Title> · v<N>.prompt    one version, read-only
// Works on the URI's path only, so it is tested without VS Code.

export const SCHEME = 'promptrefine';
export const EXTENSION = '.prompt';

export type PromptDocument =
  | { kind: 'current'; promptId: string; title: string }
  | { kind: 'version'; promptId: string; versionId: string; versionNumber: number; title: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CURRENT_NAME = new RegExp(`^(.*) · current\\${EXTENSION}$`);
const VERSION_NAME = new RegExp(`^(.*) · v(\\d+)\\${EXTENSION}$`);

/** A title as one path segment: no slashes or backslashes, nothing a file name cannot hold. */
export function fileNameTitle(title: string): string {
  const cleaned = title
    .replace(/[/\\]/g, '∕')
    .replace(/[\u0000-\u001f:*?"<>|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (cleaned || 'Untitled').slice(0, 120);
}

export function currentPath(promptId: string, title: string): string {
  return `/${promptId}/${fileNameTitle(title)} · current${EXTENSION}`;
}

export function versionPath(promptId: string, versionId: string, versionNumber: number, title: string): string {
  return `/${promptId}/${versionId}/${fileNameTitle(title)} · v${versionNumber}${EXTENSION}`;
}

export function pathOf(doc: PromptDocument): string {
  return doc.kind === 'current'
    ? currentPath(doc.promptId, doc.title)
    : versionPath(doc.promptId, doc.versionId, doc.versionNumber, doc.title);
}

/** The document a path names, or undefined for anything else (folders, files VS Code probes for). */
export function parsePath(path: string): PromptDocument | undefined {
  const segments = path.split('/').filter(Boolean);
  const [promptId, second, third] = segments;
  if (!promptId || !UUID.test(promptId)) return undefined;
  if (segments.length === 2 && second) {
    const match = CURRENT_NAME.exec(second);
    return match ? { kind: 'current', promptId, title: match[1] ?? '' } : undefined;
  }
  if (segments.length === 3 && second && third && UUID.test(second)) {
    const match = VERSION_NAME.exec(third);
    if (!match) return undefined;
    return { kind: 'version', promptId, versionId: second, versionNumber: Number(match[2]), title: match[1] ?? '' };
  }
  return undefined;
}

/** Folders of the file system: the root, one per prompt and one per version, so `stat` can answer them. */
export function isFolderPath(path: string): boolean {
  const segments = path.split('/').filter(Boolean);
  return segments.length <= 2 && segments.every((segment) => UUID.test(segment));
}

// Where prompt documents live in the `promptrefine:` file system. What the editor shows of a URI
// (the tab, the breadcrumbs, the window title) is its path, so the path is only what a person
// reads: the prompt's title and the version. The ids the file system needs ride in the query.
//   /<Title> · current.prompt?prompt=<promptId>                      the current version, editable
//   /<Title> · v<N>.prompt?prompt=<promptId>&version=<versionId>     one version, read-only
// Other query parameters are ignored (a diff adds one to tell two diffs of the same pair apart).
// Works on the URI's path and query only, so it is tested without VS Code.

export const SCHEME = 'promptrefine';
export const EXTENSION = '.prompt';

export type PromptDocument =
  | { kind: 'current'; promptId: string; title: string }
  | { kind: 'version'; promptId: string; versionId: string; versionNumber: number; title: string };

/** The two parts of a URI this module reads and writes; a `vscode.Uri` is one. */
export interface DocumentLocation {
  path: string;
  query: string;
}

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

export function currentLocation(promptId: string, title: string): DocumentLocation {
  return { path: `/${fileNameTitle(title)} · current${EXTENSION}`, query: new URLSearchParams({ prompt: promptId }).toString() };
}

export function versionLocation(promptId: string, versionId: string, versionNumber: number, title: string): DocumentLocation {
  return {
    path: `/${fileNameTitle(title)} · v${versionNumber}${EXTENSION}`,
    query: new URLSearchParams({ prompt: promptId, version: versionId }).toString(),
  };
}

export function locationOf(doc: PromptDocument): DocumentLocation {
  return doc.kind === 'current'
    ? currentLocation(doc.promptId, doc.title)
    : versionLocation(doc.promptId, doc.versionId, doc.versionNumber, doc.title);
}

/** The document a URI names, or undefined for anything else (the root, files VS Code probes for). */
export function parseDocument({ path, query }: DocumentLocation): PromptDocument | undefined {
  const segments = path.split('/').filter(Boolean);
  const [name] = segments;
  if (segments.length !== 1 || !name) return undefined;
  const params = new URLSearchParams(query);
  const promptId = params.get('prompt') ?? '';
  const versionId = params.get('version');
  if (!UUID.test(promptId)) return undefined;
  if (versionId === null) {
    const match = CURRENT_NAME.exec(name);
    return match ? { kind: 'current', promptId, title: match[1] ?? '' } : undefined;
  }
  const match = VERSION_NAME.exec(name);
  if (!match || !UUID.test(versionId)) return undefined;
  return { kind: 'version', promptId, versionId, versionNumber: Number(match[2]), title: match[1] ?? '' };
}

/** The one folder of the file system, its root, so `stat` can answer it. */
export function isFolderPath(path: string): boolean {
  return path.split('/').filter(Boolean).length === 0;
}

// The static checks of `npm run release-check`: plain functions over file contents, so each rule is
// unit-tested (scripts/release/checks.test.ts) apart from the slow steps that run commands.
import { createHash } from 'node:crypto';

/** Packages allowed to run install scripts, and why. Anything else with one fails the check. */
export const APPROVED_INSTALL_SCRIPTS: Record<string, string> = {
  esbuild: 'picks its platform binary from the optional @esbuild/* package (no download); the bundler',
  keytar: 'dev only, a native module of @vscode/vsce (packaging); builds from source or a prebuilt shipped in the package',
  '@vscode/vsce-sign': 'dev only, part of @vscode/vsce; selects its platform package',
};

export interface LockPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  hasInstallScript?: boolean;
}

export interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockPackage>;
}

const REGISTRY = 'https://registry.npmjs.org/';

/** The name of a lockfile key such as `node_modules/a/node_modules/@b/c`: `@b/c`. */
export function packageName(key: string): string {
  const at = key.lastIndexOf('node_modules/');
  return at === -1 ? key : key.slice(at + 'node_modules/'.length);
}

/** Supply-chain rules on package-lock.json: one registry, pinned sha512 integrity, known install scripts. */
export function lockfileProblems(lock: Lockfile): string[] {
  const problems: string[] = [];
  if (lock.lockfileVersion !== 3) problems.push(`lockfileVersion is ${String(lock.lockfileVersion)}, expected 3`);
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.link) continue;
    const name = packageName(key);
    // npm here records no download addresses (then it fetches from the configured registry); an
    // address that is there must be the public registry, never a tarball URL or git repository.
    if (entry.resolved !== undefined && !entry.resolved.startsWith(REGISTRY)) problems.push(`${key} is not resolved from ${REGISTRY} (${entry.resolved})`);
    if (!entry.integrity?.startsWith('sha512-')) problems.push(`${key} has no sha512 integrity`);
    if (entry.hasInstallScript && !(name in APPROVED_INSTALL_SCRIPTS)) {
      problems.push(`${key}@${entry.version ?? '?'} runs an install script and is not in APPROVED_INSTALL_SCRIPTS`);
    }
  }
  return problems;
}

/** Tracked paths that are build outputs, data or logs, which must never be committed. */
export function trackedOutputProblems(trackedPaths: string[]): string[] {
  const forbidden = /(^|\/)(node_modules|dist|out|\.test-artifacts|\.promptrefine|pgdata)(\/|$)|\.vsix$|\.log$|(^|\/)\.env$/;
  return trackedPaths.filter((p) => forbidden.test(p)).map((p) => `${p} is tracked but is a build output, data or log`);
}

/** The repository must stand alone: no file may point at material outside it. */
export function outsideReferenceProblems(files: { path: string; text: string }[]): string[] {
  const outside = /\.\.\/shared\/|\/work\/shared|shared\/CONTRACT\.md/;
  return files.filter((f) => outside.test(f.text)).map((f) => `${f.path} refers to a file outside the repository`);
}

/**
 * Every "verified by" in the hardening checklist must name something that exists: a test title in
 * backticks must appear in a test file, an `npm run X` must be a script. A checklist that cites a
 * test nobody wrote is worse than none.
 */
export function citationProblems(checklist: string, testSources: string, scripts: Record<string, string>): string[] {
  const problems: string[] = [];
  let cited = 0;
  for (const line of checklist.split('\n')) {
    const at = line.toLowerCase().indexOf('verified by');
    if (at === -1) continue;
    for (const match of line.slice(at).matchAll(/`([^`]+)`/g)) {
      const cite = match[1]!;
      cited += 1;
      const npmRun = /^npm run ([\w:-]+)/.exec(cite);
      if (npmRun) {
        if (!(npmRun[1]! in scripts)) problems.push(`the checklist cites \`${cite}\`, but package.json has no script ${npmRun[1]}`);
      } else if (/^(npm|git|node|bash|curl|psql|ls|stat|find|grep|npx) /.test(cite)) {
        // A shell command: its result is recorded in the release-readiness report.
      } else if (!testSources.includes(cite)) {
        problems.push(`the checklist cites the test "${cite}", which no test file contains`);
      }
    }
  }
  if (cited === 0) problems.push('the checklist cites no verification at all');
  return problems;
}

/**
 * What the offline audit assessed: every production package (path, version, integrity) of the
 * lockfile, hashed. A dev-only change leaves it alone; any change to what ships changes it.
 */
export function productionSetHash(lock: Lockfile): string {
  const lines = Object.entries(lock.packages ?? {})
    .filter(([key, entry]) => key !== '' && !entry.dev && !(entry as { devOptional?: boolean }).devOptional)
    .map(([key, entry]) => `${key}@${entry.version ?? ''}#${entry.integrity ?? ''}`)
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The recorded offline assessment is valid only for the production packages it was made on. */
export function auditRecordProblems(auditDoc: string, productionHash: string): string[] {
  const recorded = /Production dependency set SHA-256: `?([0-9a-f]{64})`?/.exec(auditDoc)?.[1];
  if (!recorded) return ['docs/dependency-audit.md does not record what it assessed ("Production dependency set SHA-256: <hash>", from npm run audit-hash)'];
  if (recorded !== productionHash) {
    return [
      'the production dependencies changed since docs/dependency-audit.md was written, and npm audit cannot answer here: assess the changed packages and update the record (npm run audit-hash prints the new hash)',
    ];
  }
  return [];
}

export interface SizeBudgets {
  vsixBytes: number;
  extensionBundleBytes: number;
  webviewBundleBytes: number;
}

export function sizeProblems(sizes: SizeBudgets, budgets: SizeBudgets): string[] {
  return (Object.keys(budgets) as (keyof SizeBudgets)[])
    .filter((k) => typeof budgets[k] === 'number' && sizes[k] > budgets[k])
    .map((k) => `${k} is ${sizes[k].toLocaleString('en')} bytes, over its budget of ${budgets[k].toLocaleString('en')}`);
}

/** What the .vsix may hold: the manifest, docs, media, the readme's screenshots and the built bundles (the local service's included); nothing else. */
export function vsixContentProblems(files: string[]): string[] {
  const allowed = /^(package\.json|README(\.vsix)?\.md|CHANGELOG\.md|LICENSE(\.txt)?|media\/[\w./-]+|docs\/images\/[\w.-]+\.png|dist\/[\w.-]+\.(c?js|json|wasm|data|tar\.gz)|dist\/[\w./-]+)$/;
  return files
    .filter((f) => !allowed.test(f) || /\.(map|ts|env|log)$/.test(f) || f.includes('node_modules/'))
    .map((f) => `the .vsix would hold ${f}`);
}

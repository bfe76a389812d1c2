import assert from 'node:assert/strict';
import {
  auditRecordProblems,
  citationProblems,
  lockfileProblems,
  outsideReferenceProblems,
  packageName,
  productionSetHash,
  sizeProblems,
  trackedOutputProblems,
  vsixContentProblems,
} from './checks.ts';

const good = { resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-abc', version: '1.0.0' };

describe('release check rules', () => {
  it('names a package from its nested lockfile key', () => {
    assert.equal(packageName('node_modules/a/node_modules/@b/c'), '@b/c');
    assert.equal(packageName('node_modules/esbuild'), 'esbuild');
  });

  it('refuses a lockfile package from another registry, without integrity, or with an unapproved install script', () => {
    const problems = lockfileProblems({
      lockfileVersion: 3,
      packages: {
        '': {},
        'node_modules/ok': good,
        'node_modules/no-address': { ...good, resolved: undefined },
        'node_modules/elsewhere': { ...good, resolved: 'https://evil.example/x.tgz' },
        'node_modules/unpinned': { ...good, integrity: undefined },
        'node_modules/postinstaller': { ...good, hasInstallScript: true },
        'node_modules/x/node_modules/esbuild': { ...good, hasInstallScript: true },
      },
    });
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems.join('\n'), /elsewhere is not resolved/);
    assert.match(problems.join('\n'), /unpinned has no sha512/);
    assert.match(problems.join('\n'), /postinstaller@1.0.0 runs an install script/);
  });

  it("passes this repository's own lockfile", async () => {
    const { readFileSync } = await import('node:fs');
    const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
    assert.deepEqual(lockfileProblems(lock), []);
  });

  it('finds tracked build outputs, data and logs', () => {
    const problems = trackedOutputProblems(['service/app.ts', 'dist/extension.cjs', 'a/b.vsix', 'x.log', 'data/pgdata/base/1', 'docs/dist-notes.md']);
    assert.deepEqual(
      problems.map((p) => p.split(' ')[0]),
      ['dist/extension.cjs', 'a/b.vsix', 'x.log', 'data/pgdata/base/1'],
    );
  });

  it('finds files that point outside the repository', () => {
    const problems = outsideReferenceProblems([
      { path: 'ok.md', text: 'see docs/deploy.md' },
      // Built from parts so that this test file does not itself trip the rule it tests.
      { path: 'bad.ts', text: `// see ../${'shared'}/CONTRACT.md` },
    ]);
    assert.deepEqual(problems, ['bad.ts refers to a file outside the repository']);
  });

  it('refuses a checklist that cites a test or script that does not exist', () => {
    const tests = "it('refuses 30 wrong passwords from rotating addresses', ...)";
    const checklist = [
      '- Sign-in throttling. Verified by: `refuses 30 wrong passwords from rotating addresses`.',
      '- Ghost. Verified by: `a test nobody wrote`.',
      '- Audit. Verified by: `npm run release-check` and `npm run no-such-script`.',
      '- Perms. Verified by: `stat -c %a ~/.promptrefine`.',
    ].join('\n');
    const problems = citationProblems(checklist, tests, { 'release-check': 'tsx x' });
    assert.deepEqual(problems, [
      'the checklist cites the test "a test nobody wrote", which no test file contains',
      'the checklist cites `npm run no-such-script`, but package.json has no script no-such-script',
    ]);
    assert.deepEqual(citationProblems('nothing verified here', tests, {}), ['the checklist cites no verification at all']);
  });

  it('accepts the offline audit record only for the production packages it assessed', () => {
    const sha = 'a'.repeat(64);
    assert.deepEqual(auditRecordProblems(`# Dependency audit\nProduction dependency set SHA-256: ${sha}\n`, sha), []);
    assert.match(auditRecordProblems(`Production dependency set SHA-256: ${'b'.repeat(64)}`, sha).join(), /changed since/);
    assert.match(auditRecordProblems('no hash', sha).join(), /does not record/);
  });

  it('hashes what ships: a dev-only change keeps the hash, a production change alters it', () => {
    const lock = { lockfileVersion: 3, packages: { '': {}, 'node_modules/a': good, 'node_modules/t': { ...good, dev: true } } };
    const base = productionSetHash(lock);
    assert.equal(productionSetHash({ ...lock, packages: { ...lock.packages, 'node_modules/t': { ...good, dev: true, version: '9.9.9' } } }), base);
    assert.notEqual(productionSetHash({ ...lock, packages: { ...lock.packages, 'node_modules/a': { ...good, version: '1.0.1' } } }), base);
  });

  it('flags sizes over budget and files the .vsix must not carry', () => {
    const budgets = { vsixBytes: 100, extensionBundleBytes: 100, webviewBundleBytes: 100 };
    assert.deepEqual(sizeProblems({ vsixBytes: 100, extensionBundleBytes: 101, webviewBundleBytes: 5 }, budgets), [
      'extensionBundleBytes is 101 bytes, over its budget of 100',
    ]);
    assert.deepEqual(vsixContentProblems(['package.json', 'README.vsix.md', 'LICENSE', 'media/icon.svg', 'docs/images/run-panel.png', 'dist/webview.js', 'dist/extension.cjs', 'dist/service/main.mjs', 'dist/service/pglite.wasm', 'dist/pg_trgm.tar.gz']), []);
    assert.deepEqual(vsixContentProblems(['dist/extension.cjs.map', 'service/app.ts', '.env', 'docs/deploy.md']), [
      'the .vsix would hold dist/extension.cjs.map',
      'the .vsix would hold service/app.ts',
      'the .vsix would hold .env',
      'the .vsix would hold docs/deploy.md',
    ]);
  });
});

import assert from 'node:assert/strict';
import { currentPath, fileNameTitle, isFolderPath, parsePath, pathOf, versionPath, type PromptDocument } from '../documents/uri.ts';

const promptId = '0b9f6f64-6a8e-4a43-9a39-7d1f0f5b8c11';
const versionId = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';

describe('prompt document URIs', () => {
  it('round-trips the current document and a version', () => {
    const docs: PromptDocument[] = [
      { kind: 'current', promptId, title: 'Review a diff' },
      { kind: 'version', promptId, versionId, versionNumber: 12, title: 'Review a diff' },
    ];
    for (const doc of docs) assert.deepEqual(parsePath(pathOf(doc)), doc);
  });

  it('names the tab after the prompt and the version', () => {
    assert.equal(currentPath(promptId, 'Review').split('/').pop(), 'Review · current.prompt');
    assert.equal(versionPath(promptId, versionId, 3, 'Review').split('/').pop(), 'Review · v3.prompt');
  });

  it('keeps a title with slashes in one path segment', () => {
    const path = versionPath(promptId, versionId, 1, 'a/b\\c');
    assert.equal(path.split('/').length, 4);
    assert.deepEqual(parsePath(path), { kind: 'version', promptId, versionId, versionNumber: 1, title: 'a∕b∕c' });
    assert.equal(fileNameTitle('   '), 'Untitled');
  });

  it('refuses paths it did not make', () => {
    for (const path of ['/', `/${promptId}`, '/not-a-uuid/x · current.prompt', `/${promptId}/x.prompt`, `/${promptId}/${versionId}/x · current.prompt`, `/${promptId}/.vscode/settings.json`]) {
      assert.equal(parsePath(path), undefined, path);
    }
  });

  it('knows its folders', () => {
    assert.ok(isFolderPath('/'));
    assert.ok(isFolderPath(`/${promptId}`));
    assert.ok(isFolderPath(`/${promptId}/${versionId}`));
    assert.ok(!isFolderPath(currentPath(promptId, 'x')));
    assert.ok(!isFolderPath('/.vscode'));
  });
});

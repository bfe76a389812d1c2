import assert from 'node:assert/strict';
import { currentLocation, fileNameTitle, isFolderPath, locationOf, parseDocument, versionLocation, type PromptDocument } from '../documents/uri.ts';

const promptId = '0b9f6f64-6a8e-4a43-9a39-7d1f0f5b8c11';
const versionId = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-/i;

describe('prompt document URIs', () => {
  it('round-trips the current document and a version', () => {
    const docs: PromptDocument[] = [
      { kind: 'current', promptId, title: 'Review a diff' },
      { kind: 'version', promptId, versionId, versionNumber: 12, title: 'Review a diff' },
    ];
    for (const doc of docs) assert.deepEqual(parseDocument(locationOf(doc)), doc);
  });

  it('names the tab after the prompt and the version', () => {
    assert.equal(currentLocation(promptId, 'Review').path, '/Review · current.prompt');
    assert.equal(versionLocation(promptId, versionId, 3, 'Review').path, '/Review · v3.prompt');
  });

  it('shows no id in the path, which is what tabs and breadcrumbs show; the ids are in the query', () => {
    for (const location of [currentLocation(promptId, 'Review'), versionLocation(promptId, versionId, 3, 'Review')]) {
      assert.doesNotMatch(location.path, UUID_ANYWHERE);
      assert.match(location.query, new RegExp(promptId));
    }
  });

  it('ignores query parameters it does not know', () => {
    const location = versionLocation(promptId, versionId, 3, 'Review');
    assert.deepEqual(parseDocument({ path: location.path, query: `${location.query}&against=5` }), {
      kind: 'version',
      promptId,
      versionId,
      versionNumber: 3,
      title: 'Review',
    });
  });

  it('keeps a title with slashes in one path segment', () => {
    const location = versionLocation(promptId, versionId, 1, 'a/b\\c');
    assert.equal(location.path.split('/').length, 2);
    assert.deepEqual(parseDocument(location), { kind: 'version', promptId, versionId, versionNumber: 1, title: 'a∕b∕c' });
    assert.equal(fileNameTitle('   '), 'Untitled');
  });

  it('refuses locations it did not make', () => {
    const prompt = `prompt=${promptId}`;
    const both = `prompt=${promptId}&version=${versionId}`;
    const others: [string, string][] = [
      ['/', ''],
      ['/', prompt],
      ['/x · current.prompt', ''],
      ['/x · current.prompt', 'prompt=not-a-uuid'],
      ['/x.prompt', prompt],
      ['/x · current.prompt', both],
      ['/x · v2.prompt', prompt],
      ['/x · v2.prompt', `prompt=${promptId}&version=nope`],
      ['/.vscode/settings.json', prompt],
      [`/${promptId}/x · current.prompt`, prompt],
    ];
    for (const [path, query] of others) assert.equal(parseDocument({ path, query }), undefined, `${path}?${query}`);
  });

  it('knows its one folder', () => {
    assert.ok(isFolderPath('/'));
    assert.ok(!isFolderPath(currentLocation(promptId, 'x').path));
    assert.ok(!isFolderPath('/.vscode'));
  });
});

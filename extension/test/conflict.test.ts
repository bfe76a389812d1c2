import assert from 'node:assert/strict';
import type { CreateVersionBody, PromptWithVersion, Version } from '../../contract/index.ts';
import { ApiError } from '../api/errors.ts';
import { conflictMessage, saveAsNewVersion, type ConflictChoice, type VersionWriter } from '../documents/conflict.ts';
import { aPrompt, aVersion, withCurrent } from './support/fixtures.ts';

/** Keeps versions like the service: refuses a base that is not current with 409. */
class FakeService implements VersionWriter {
  readonly posted: CreateVersionBody[] = [];
  readonly prompt = aPrompt({ title: 'Review' });
  history: Version[] = [aVersion(this.prompt.id, 1)];

  get current(): Version {
    return this.history.at(-1) as Version;
  }

  /** Someone else saves in another window. */
  saveElsewhere(content: string): void {
    this.history.push(aVersion(this.prompt.id, this.history.length + 1, { content }));
  }

  async createVersion(promptId: string, body: CreateVersionBody): Promise<Version> {
    this.posted.push(body);
    if (body.baseVersionId && body.baseVersionId !== this.current.id) throw new ApiError('CONFLICT', 409, 'The prompt has a newer version');
    const version = aVersion(promptId, this.history.length + 1, { content: body.content, notes: body.notes ?? null });
    this.history.push(version);
    return version;
  }

  async getPrompt(): Promise<PromptWithVersion> {
    return withCurrent(this.prompt, this.current);
  }
}

describe('saving a prompt document as a new version', () => {
  it('saves on top of its base version with the notes', async () => {
    const service = new FakeService();
    const base = service.current.id;
    const outcome = await saveAsNewVersion(service, { promptId: service.prompt.id, content: 'edited', baseVersionId: base, notes: 'why' }, () =>
      assert.fail('asked about a conflict that is not there'),
    );
    assert.equal(outcome.kind, 'saved');
    assert.deepEqual(service.posted, [{ content: 'edited', notes: 'why', baseVersionId: base }]);
    assert.equal(service.current.content, 'edited');
  });

  it('asks when the prompt moved on, and cancelling writes nothing', async () => {
    const service = new FakeService();
    const base = service.current.id;
    service.saveElsewhere('theirs');
    const asked: number[] = [];
    const outcome = await saveAsNewVersion(service, { promptId: service.prompt.id, content: 'mine', baseVersionId: base }, async (latest) => {
      asked.push(latest.currentVersionNumber ?? 0);
      return 'cancel';
    });
    assert.deepEqual(asked, [2]);
    assert.equal(outcome.kind, 'cancelled');
    assert.deepEqual(service.history.map((v) => v.content), ['content of v1', 'theirs']);
  });

  it('answers "compare" with the newer version so the editor can show both', async () => {
    const service = new FakeService();
    const base = service.current.id;
    service.saveElsewhere('theirs');
    const outcome = await saveAsNewVersion(service, { promptId: service.prompt.id, content: 'mine', baseVersionId: base }, async () => 'compare');
    assert.equal(outcome.kind, 'compare');
    assert.equal(outcome.kind === 'compare' && outcome.latest.currentVersion?.content, 'theirs');
    assert.equal(service.history.length, 2);
  });

  it('"save on top" adds the edit as a newer version, keeping theirs in history', async () => {
    const service = new FakeService();
    const base = service.current.id;
    service.saveElsewhere('theirs');
    const outcome = await saveAsNewVersion(service, { promptId: service.prompt.id, content: 'mine', baseVersionId: base }, async () => 'saveOnTop');
    assert.equal(outcome.kind === 'saved' && outcome.version.versionNumber, 3);
    assert.deepEqual(service.history.map((v) => v.content), ['content of v1', 'theirs', 'mine']);
    assert.equal(service.posted[1]?.baseVersionId, service.history[1]?.id);
  });

  it('stops asking after repeated conflicts and asks the user to compare', async () => {
    const service = new FakeService();
    const base = service.current.id;
    service.saveElsewhere('theirs');
    const choices: ConflictChoice[] = [];
    // Someone saves again every time the user chooses to save on top.
    const outcome = await saveAsNewVersion(service, { promptId: service.prompt.id, content: 'mine', baseVersionId: base }, async () => {
      service.saveElsewhere('again');
      choices.push('saveOnTop');
      return 'saveOnTop';
    });
    assert.equal(outcome.kind, 'compare');
    assert.equal(choices.length, 2);
    assert.ok(!service.history.some((v) => v.content === 'mine'));
  });

  it('lets other errors through', async () => {
    const service = new FakeService();
    service.createVersion = async () => {
      throw new ApiError('INVALID_INPUT', 400, 'content: must be at most 200000 characters');
    };
    await assert.rejects(saveAsNewVersion(service, { promptId: service.prompt.id, content: 'x', baseVersionId: null }, async () => 'cancel'), /200000/);
  });

  it('words the question with both version numbers', () => {
    const service = new FakeService();
    service.saveElsewhere('theirs');
    const message = conflictMessage('Review', 1, withCurrent(service.prompt, service.current));
    assert.match(message, /"Review" has a newer version \(v2\) since you opened v1/);
    assert.match(message, /not written/);
  });
});

describe('saving unchanged text', () => {
  it('adds no version when the text is the same as its base', async () => {
    const service = new FakeService();
    const base = service.current;
    const outcome = await saveAsNewVersion(
      service,
      { promptId: service.prompt.id, content: base.content, baseVersionId: base.id, baseContent: base.content },
      () => assert.fail('no conflict to ask about'),
    );
    assert.equal(outcome.kind, 'unchanged');
    assert.deepEqual(service.posted, []);
  });
});

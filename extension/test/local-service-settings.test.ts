// What the local service is started with: the idle time from its setting, the key and base URL in
// its environment (and nothing of VS Code's own environment in their place), and the checks on
// what the user types.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogFollower } from '../local-service/log-follower.ts';
import { apiKeyProblem, baseUrlProblem, idleExitSeconds, IDLE_MINUTES, localServiceEnv } from '../local-service/settings.ts';

describe('local service settings', () => {
  it('turns the idle minutes into seconds, within the setting’s bounds', () => {
    assert.equal(idleExitSeconds(10), 600);
    assert.equal(idleExitSeconds(undefined), IDLE_MINUTES.default * 60);
    assert.equal(idleExitSeconds('5'), IDLE_MINUTES.default * 60, 'a value that is not a number falls back to the default');
    assert.equal(idleExitSeconds(0), IDLE_MINUTES.minimum * 60);
    assert.equal(idleExitSeconds(1e9), IDLE_MINUTES.maximum * 60);
  });

  it('passes the kept key and the base URL, and blanks them when unset', () => {
    assert.deepEqual(localServiceEnv(' sk-abc ', 'http://127.0.0.1:9/v1'), { OPENAI_API_KEY: 'sk-abc', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    // Undefined, not missing: LocalService spreads these over process.env, so VS Code's own
    // OPENAI_API_KEY cannot stand in for a key the user cleared.
    const none = localServiceEnv(undefined, '  ');
    assert.ok('OPENAI_API_KEY' in none && none.OPENAI_API_KEY === undefined);
    assert.ok('OPENAI_BASE_URL' in none && none.OPENAI_BASE_URL === undefined);
  });

  it('says what is wrong with a base URL or a key', () => {
    assert.equal(baseUrlProblem(''), undefined);
    assert.equal(baseUrlProblem('https://api.openai.com/v1'), undefined);
    assert.match(baseUrlProblem('ftp://x') ?? '', /http/);
    assert.match(baseUrlProblem('not a url') ?? '', /not a URL/);
    assert.equal(apiKeyProblem('sk-123'), undefined);
    assert.match(apiKeyProblem('  ') ?? '', /Paste/);
    assert.match(apiKeyProblem('sk-1 23') ?? '', /no spaces/);
  });
});

describe('the local service log in the Output channel', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'promptrefine-log-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the end of the log, then each line as the service appends it, and starts over when the log is cut back', () => {
    const file = join(dir, 'service.log');
    const seen: string[] = [];
    const follower = new LogFollower(file, (text) => seen.push(text), 10);
    follower.poll();
    assert.deepEqual(seen, [], 'no log yet: nothing, no error');
    writeFileSync(file, 'old line that is long\nlast\n');
    follower.poll();
    assert.deepEqual(seen, ['long\nlast\n'], 'only the tail of what was there');
    appendFileSync(file, 'listening\n');
    follower.poll();
    follower.poll();
    assert.deepEqual(seen.slice(1), ['listening\n'], 'each new line once');
    writeFileSync(file, 'new\n');
    follower.poll();
    assert.deepEqual(seen.slice(2), ['new\n']);
  });
});

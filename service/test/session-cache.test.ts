// Sessions are served from memory (one database round trip less per request), and a sign-out, a
// password change or a lost notification connection still ends them everywhere at once.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { setCredentials } from '../auth/user-accounts.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import type { ListenerEvent } from '../db/notifications.ts';
import { queryRows } from '../db/raw-query.ts';
import { createPostgresDatabase, describeEachDatabase } from './support/databases.ts';
import { eventually } from './support/event-stream.ts';
import { startTestApp, USER, type TestApp } from '../testing/test-app.ts';
import type { ApiClient } from '../testing/api-client.ts';

const status = async (api: ApiClient) => (await api.request('GET', '/api/prompts')).status;

describeEachDatabase('session cache', (db) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(db());
  });
  afterEach(async () => app.close());

  it('serves a session from memory, so its row is not read on every request', async () => {
    const api = await app.signedIn();
    assert.equal(await status(api), 200);
    // Deleted behind the service's back (no announcement): the cached session still answers. This
    // is what the cache saves; every real way a session ends is announced (the tests below).
    await db().handle.db.execute(sql`delete from sessions`);
    assert.equal(await status(api), 200);
  });

  it('ends a session at once on sign-out, and a new sign-in is a new session', async () => {
    const api = await app.signedIn();
    const old = api.cookie;
    assert.equal(await status(api), 200);
    await api.ok('POST', '/api/auth/signout');
    api.cookie = old;
    assert.equal(await status(api), 401, 'the signed-out cookie is refused straight away');
    const again = await app.signedIn();
    assert.equal(await status(again), 200);
  });

  it('ends every session when the password is set again (the set-password command)', async () => {
    const api = await app.signedIn();
    assert.equal(await status(api), 200);
    await setCredentials(db().handle.db, USER.email, USER.password);
    await eventually(async () => (await status(api)) === 401);
  });
});

describe('session cache across service processes [PostgreSQL]', function () {
  this.timeout(120_000);
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  const handles: DatabaseHandle[] = [];
  const apps: TestApp[] = [];

  before(async () => {
    created = await createPostgresDatabase();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    for (const handle of handles.splice(0)) await handle.close();
  });
  after(async () => created?.drop());

  const listenerEvents: ListenerEvent[] = [];

  async function instance(): Promise<{ app: TestApp; handle: DatabaseHandle }> {
    const handle = await openDatabase({ databaseUrl: created.url, onListenerEvent: (e) => listenerEvents.push(e) });
    handles.push(handle);
    await handle.migrate();
    const app = await startTestApp({ kind: 'postgres', handle, url: created.url, reset: async () => {} });
    apps.push(app);
    return { app, handle };
  }

  it('a sign-out through one process ends the session in another that had it in memory', async () => {
    const a = await instance();
    const b = await instance();
    const onA = await a.app.signedIn();
    const onB = b.app.anonymous();
    onB.cookie = onA.cookie;
    assert.equal(await status(onB), 200, 'B reads the session, and keeps it');
    await onA.ok('POST', '/api/auth/signout');
    await eventually(async () => (await status(onB)) === 401);
  });

  it('serves nothing from memory while its notification connection is down, and caches again once it is back', async () => {
    const { app, handle } = await instance();
    const api = await app.signedIn();
    assert.equal(await status(api), 200);
    // What a server restart or a network cut does to the connection that LISTENs.
    const killed = await queryRows<{ pid: number }>(
      handle.db,
      sql`select pg_terminate_backend(pid) as ok, pid from pg_stat_activity where datname = current_database() and query like 'LISTEN%'`,
    );
    assert.equal(killed.length, 1);
    await eventually(() => listenerEvents.some((e) => e.state === 'lost'));
    // A sign-out made meanwhile could not be announced: the session must come from the database.
    await handle.db.execute(sql`delete from sessions`);
    assert.equal(await status(api), 401, 'nothing was served from memory after the connection dropped');
    // Once listening again, sessions are cached again.
    await eventually(async () => {
      const again = await app.signedIn();
      if ((await status(again)) !== 200) return false;
      await handle.db.execute(sql`delete from sessions`);
      return (await status(again)) === 200;
    });
  });
});

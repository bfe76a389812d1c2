// The database goes away: answers are 503 UNAVAILABLE (never a hang, a stack or SQL), and the
// service recovers by itself when the database is back.
import assert from 'node:assert/strict';
import type { ListPage, Prompt } from '../../contract/index.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

describe('database outage [PostgreSQL]', () => {
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  let app: TestApp;

  before(async () => {
    created = await createPostgresDatabase();
    const target = new URL(created.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(created.url);
    viaProxy.port = String(proxy.port);
    handle = await openDatabase({ databaseUrl: viaProxy.toString() });
    await handle.migrate();
    app = await startTestApp({ kind: 'postgres', handle, url: viaProxy.toString(), reset: async () => {} });
  });
  after(async () => {
    await app?.close();
    await handle?.close();
    await proxy?.close();
    await created?.drop();
  });

  it('answers 503 while the database is down and recovers without a restart', async () => {
    const api = await app.signedIn();
    await api.ok('POST', '/api/prompts', { title: 'Survivor', content: 'kept' });
    assert.deepEqual((await api.get('/api/health')).body.data, { status: 'ok', database: 'postgres' });

    await proxy.cut();
    const health = await api.get('/api/health');
    assert.equal(health.status, 503);
    assert.equal(health.body.error?.code, 'UNAVAILABLE');
    assert.ok(health.headers.get('retry-after'));
    const list = await api.get('/api/prompts');
    assert.equal(list.status, 503);
    assert.equal(list.body.error?.code, 'UNAVAILABLE');
    const write = await api.post('/api/prompts', { title: 'during outage' });
    assert.equal(write.status, 503);
    for (const text of [health.text, list.text, write.text]) {
      assert.doesNotMatch(text, /select|insert|at \w+ \(|postgres:\/\//i, 'no SQL, stack or URL in the answer');
    }

    await proxy.restore();
    assert.equal((await api.get('/api/health')).status, 200);
    const after = await api.ok<ListPage<Prompt>>('GET', '/api/prompts');
    assert.deepEqual(after.items.map((p) => p.title), ['Survivor']);
  });
});

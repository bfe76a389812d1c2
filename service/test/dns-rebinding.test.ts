// A page whose own name was made to resolve to 127.0.0.1 (DNS rebinding) sends Host: its name.
// On loopback the service answers only to loopback names and PROMPTREFINE_ALLOWED_HOSTS; writes a
// browser marks cross-site are refused. fetch cannot set Host, so these use node:http.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { startService } from '../server.ts';
import { describeEachDatabase } from './support/databases.ts';
import { raw } from './support/raw-http.ts';
import { silentLogger, startTestApp, USER, type TestApp } from '../testing/test-app.ts';

describeEachDatabase('DNS rebinding and cross-site writes', (database) => {
  let app: TestApp;
  let port: string;
  beforeEach(async () => {
    app = await startTestApp(database(), { allowedHosts: ['prompts.example.test'] });
    port = new URL(app.url).port;
  });
  afterEach(() => app.close());

  it('refuses every /api request whose Host is not a loopback name, with 403 FORBIDDEN', async () => {
    const cookie = (await app.signedIn()).cookie ?? '';
    for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `127.0.0.1.attacker.example:${port}`, `localhost.:${port}`, `0.0.0.0:${port}`]) {
      for (const [method, path, body] of [
        ['GET', '/api/health', undefined],
        ['GET', '/api/openapi.json', undefined],
        ['GET', '/api/auth/session', undefined],
        ['GET', '/api/prompts', undefined],
        ['POST', '/api/prompts', { title: 'planted', content: 'x' }],
        ['POST', '/api/auth/signin', { email: USER.email, password: USER.password }],
      ] as const) {
        const res = await raw(app.url, method, path, host, { cookie }, body);
        assert.equal(res.status, 403, `${method} ${path} with Host ${host}`);
        assert.equal(res.body?.error?.code, 'FORBIDDEN');
        assert.equal(res.body?.data, null);
      }
    }
    // Without any Host, Node's HTTP server answers 400 before the app sees the request.
    assert.equal((await raw(app.url, 'GET', '/api/health', null)).status, 400, 'no Host at all');
    const list = await app.signedIn().then((api) => api.ok<{ items: unknown[] }>('GET', '/api/prompts'));
    assert.deepEqual(list.items, [], 'nothing was written');
  });

  it('answers localhost, 127.0.0.1 and [::1] with or without the port, and the names in PROMPTREFINE_ALLOWED_HOSTS', async () => {
    for (const host of ['localhost', `localhost:${port}`, 'LocalHost', '127.0.0.1', `127.0.0.1:${port}`, '[::1]', `[::1]:${port}`, 'prompts.example.test', `Prompts.Example.Test:${port}`]) {
      const res = await raw(app.url, 'GET', '/api/health', host);
      assert.equal(res.status, 200, `Host ${host}`);
    }
    const signIn = await raw(app.url, 'POST', '/api/auth/signin', `localhost:${port}`, { origin: `http://localhost:${port}` }, { email: USER.email, password: USER.password });
    assert.equal(signIn.status, 200);
  });

  it('refuses writes a browser marks Sec-Fetch-Site: cross-site, even from an allowed Origin', async () => {
    const api = await app.signedIn();
    for (const origin of [undefined, app.url]) {
      const headers: Record<string, string> = { 'sec-fetch-site': 'cross-site', ...(origin ? { origin } : {}) };
      const write = await api.post('/api/prompts', { title: 'cross-site' }, { headers });
      assert.equal(write.status, 403);
      assert.equal(write.body.error?.code, 'FORBIDDEN');
      const signIn = await app.anonymous().post('/api/auth/signin', { email: USER.email, password: USER.password }, { headers });
      assert.equal(signIn.status, 403);
    }
    const read = await api.get('/api/prompts', { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(read.status, 200, 'reads are left to CORS, which this service never grants');
    for (const site of ['same-origin', 'none']) {
      const res = await api.post('/api/prompts', { title: site }, { headers: { 'sec-fetch-site': site, origin: app.url } });
      assert.equal(res.status, 201, site);
    }
    const list = await api.ok<{ items: { title: string }[] }>('GET', '/api/prompts');
    assert.deepEqual(list.items.map((p) => p.title).sort(), ['none', 'same-origin']);
  });
});

describe('Host check of the running service', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'promptrefine-hosts-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on loopback answers only loopback names, HOST itself and PROMPTREFINE_ALLOWED_HOSTS', async function () {
    this.timeout(300_000);
    const service = await startService(
      loadConfig({ PORT: '0', HOST: '127.0.0.2', PROMPTREFINE_DATA_DIR: dataDir, PROMPTREFINE_ALLOWED_HOSTS: 'dev.box.test, other.test' }),
      { logger: silentLogger() },
    );
    try {
      for (const host of ['127.0.0.2', 'localhost:1', 'dev.box.test', 'other.test:8787']) {
        assert.equal((await raw(service.url, 'GET', '/api/health', host)).status, 200, host);
      }
      assert.equal((await raw(service.url, 'GET', '/api/health', 'rebind.attacker.example')).status, 403);
    } finally {
      await service.close();
    }
  });
});

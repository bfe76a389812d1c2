// Input that PostgreSQL cannot store or that was not made by the service is refused with 400
// INVALID_INPUT naming the field, and nothing is written: a NUL character or half a surrogate
// pair in any text, bytes that are not UTF-8, a forged cursor, a path that does not decode.
// Every route is covered by walking the OpenAPI document, which lists every route (route-table.test.ts).
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { ListPage, PromptWithVersion, TestRun } from '../../contract/index.ts';
import { queryRows } from '../db/raw-query.ts';
import type { ApiClient, ApiResponse } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, USER, type TestApp } from '../testing/test-app.ts';

interface Parameter {
  in: string;
  name: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: { $ref?: string; properties?: Record<string, unknown> } }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

const NUL = '\u0000';
const HALF_EMOJI = '\ud83d';

function assertRefused(res: ApiResponse, field: string, what: string, message = /NUL character|surrogate/) {
  assert.equal(res.status, 400, `${what}: ${res.text}`);
  assert.equal(res.body.error?.code, 'INVALID_INPUT', what);
  const detail = res.body.error?.details[0];
  assert.equal(detail?.path, field, `${what} names the field: ${res.text}`);
  assert.match(detail?.message ?? '', message, what);
  assert.ok(res.body.error?.message.startsWith(`${field}: `), `${what}: the message starts with the field`);
}

/** Every string in `value`, with a function that rebuilds `value` with that one string replaced. */
function stringLeaves(value: unknown, path: string[] = []): { path: string; replace: (s: (old: string) => string) => unknown }[] {
  if (typeof value === 'string') return [{ path: path.join('.'), replace: (s) => s(value) }];
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      stringLeaves(item, [...path, String(i)]).map((leaf) => ({ path: leaf.path, replace: (s: (old: string) => string) => value.map((v, j) => (j === i ? leaf.replace(s) : v)) })),
    );
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [
      ...stringLeaves(inner, [...path, key]).map((leaf) => ({
        path: leaf.path,
        replace: (s: (old: string) => string) => ({ ...value, [key]: leaf.replace(s) }),
      })),
    ]);
  }
  return [];
}

describeEachDatabase('hostile input', (database) => {
  let app: TestApp;
  let api: ApiClient;
  let prompt: PromptWithVersion;
  let systemPrompt: PromptWithVersion;

  const counts = async () => {
    const [row] = await queryRows<Record<string, string | number>>(
      database().handle.db,
      sql`select (select count(*) from prompts) as prompts, (select count(*) from prompt_versions) as versions,
        (select count(*) from test_runs) as runs, (select count(*) from users) as users`,
    );
    return Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, Number(v)]));
  };

  beforeEach(async () => {
    app = await startTestApp(database());
    api = await app.signedIn();
    prompt = await api.ok('POST', '/api/prompts', { title: 'Reviewer', tags: ['code'], content: 'Review {{code}}' });
    await api.ok('POST', `/api/prompts/${prompt.id}/versions`, { content: 'Review this {{code}}', notes: 'v2' });
    systemPrompt = await api.ok('POST', '/api/prompts', { title: 'System', type: 'system', content: 'Be brief' });
  });
  afterEach(() => app.close());

  async function openApi(): Promise<OpenApi> {
    return JSON.parse((await api.get('/api/openapi.json')).text) as OpenApi;
  }

  it('refuses a NUL character in every query parameter, path parameter and body field of every route, naming it', async () => {
    const document = await openApi();
    const before = await counts();
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const params = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const concrete = (nulIn?: string) =>
          path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === nulIn ? encodeURIComponent(`${prompt.id}${NUL}`) : prompt.id));
        for (const name of params) {
          const res = await api.request(method.toUpperCase(), concrete(name), method === 'get' || method === 'delete' ? {} : { body: {} });
          assertRefused(res, name, `${method} ${path} with a NUL in :${name}`);
          checked++;
        }
        for (const { name } of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
          const res = await api.request(method.toUpperCase(), `${concrete()}?${name}=${encodeURIComponent(`a${NUL}b`)}`, method === 'get' ? {} : { body: {} });
          assertRefused(res, name, `${method} ${path} with a NUL in ?${name}`);
          checked++;
        }
        const schema = operation.requestBody?.content['application/json']?.schema;
        const ref = schema?.$ref?.split('/').pop();
        const properties = Object.keys((ref ? document.components.schemas[ref]?.properties : schema?.properties) ?? {});
        for (const property of properties) {
          const res = await api.request(method.toUpperCase(), concrete(), { body: { [property]: `a${NUL}b` } });
          assertRefused(res, property, `${method} ${path} with a NUL in ${property}`);
          checked++;
        }
      }
    }
    assert.ok(checked >= 30, `checked ${checked} fields`);
    assert.deepEqual(await counts(), before, 'nothing was written');
    // The session survived all of it.
    assert.equal((await api.get('/api/auth/session')).status, 200);
  });

  // Valid requests, so that without the check each would reach the database.
  const validRequests = (): { method: string; path: string; body?: unknown; query?: Record<string, string> }[] => [
    { method: 'POST', path: '/api/prompts', body: { title: 'New', tags: ['a', 'b'], content: 'Hello {{name}}', notes: 'first' } },
    { method: 'PATCH', path: `/api/prompts/${prompt.id}`, body: { title: 'Renamed', tags: ['x'] } },
    { method: 'POST', path: `/api/prompts/${prompt.id}/versions`, body: { content: 'Changed {{code}}', notes: 'why' } },
    {
      method: 'POST',
      path: '/api/test-runs',
      body: { promptId: prompt.id, model: 'gpt-4.1-mini', inputVariables: { code: 'let x = 1' } },
    },
    { method: 'POST', path: '/api/test-runs', body: { promptId: systemPrompt.id, model: 'gpt-4.1-mini', input: 'Hello there' } },
    { method: 'GET', path: '/api/prompts', query: { q: 'Review', tag: 'code' } },
    { method: 'GET', path: '/api/test-runs', query: { q: 'output', model: 'gpt-4.1-mini' } },
  ];

  for (const [character, label, message] of [
    [NUL, 'a NUL character', /NUL character/],
    [HALF_EMOJI, 'half of a surrogate pair', /surrogate/],
  ] as const) {
    it(`refuses ${label} in each text of valid requests (body fields, tags, variable names and values, queries) and writes nothing`, async () => {
      const before = await counts();
      for (const request of validRequests()) {
        // A URL cannot carry half a surrogate pair (UTF-8 has no bytes for it); its percent-encoded
        // surrogate bytes are refused as not UTF-8 (see below).
        if (request.body === undefined && character === HALF_EMOJI) continue;
        const leaves = request.body !== undefined ? stringLeaves(request.body) : stringLeaves(request.query ?? {});
        for (const leaf of leaves) {
          const changed = leaf.replace((old) => `${old.slice(0, 2)}${character}${old.slice(2)}`);
          const res =
            request.body !== undefined
              ? await api.request(request.method, request.path, { body: changed })
              : await api.get(`${request.path}?${new URLSearchParams(changed as Record<string, string>).toString()}`);
          assertRefused(res, leaf.path, `${request.method} ${request.path} with ${label} in ${leaf.path}`, message);
        }
        // Keys of stored objects too: a variable name.
        const body = request.body as { inputVariables?: Record<string, string> } | undefined;
        if (body?.inputVariables) {
          const res = await api.post(request.path, { ...body, inputVariables: { [`co${character}de`]: 'x' } });
          assert.equal(res.status, 400, res.text);
          assert.match(res.body.error?.details[0]?.path ?? '', /^inputVariables\.co\\u[0-9a-f]{4}de$/);
        }
      }
      const signIn = await app.anonymous().post('/api/auth/signin', { email: `de${character}v@example.com`, password: USER.password });
      assertRefused(signIn, 'email', `sign-in with ${label} in the email`, message);
      assert.deepEqual(await counts(), before, 'nothing was written');
    });
  }

  it('refuses a body whose bytes are not UTF-8, instead of saving U+FFFD in their place', async () => {
    const before = await counts();
    const body = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from([0xe9]), Buffer.from('","content":"x"}')]);
    const res = await fetch(`${app.url}/api/prompts`, { method: 'POST', headers: { cookie: api.cookie ?? '', 'content-type': 'application/json' }, body });
    const answer = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(res.status, 400);
    assert.equal(answer.error.code, 'INVALID_INPUT');
    assert.match(answer.error.message, /^body: is not valid UTF-8/);
    assert.deepEqual(await counts(), before);
  });

  it('refuses a body that is not what its Content-Encoding says, and accepts one that is', async () => {
    const post = (body: Buffer) =>
      fetch(`${app.url}/api/prompts`, {
        method: 'POST',
        headers: { cookie: api.cookie ?? '', 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body,
      });
    const bad = await post(Buffer.from('{"title":"not gzip"}'));
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_INPUT');
    const good = await post(gzipSync('{"title":"gzipped"}'));
    assert.equal(good.status, 201);
  });

  it('refuses percent-encoding that does not decode to UTF-8, in a path or a query', async () => {
    for (const path of ['/api/prompts/%E0%A4%A', `/api/prompts/${prompt.id}/versions/%FF`]) {
      const res = await api.get(path);
      assert.equal(res.status, 400, `${path}: ${res.text}`);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
    }
    for (const [query, field] of [
      ['q=%FF', 'q'],
      ['q=%E0%A4%A', 'q'],
      ['tag=%C3', 'tag'],
      // Half of a surrogate pair, as some encoders write it.
      ['q=%ED%A0%BD', 'q'],
    ] as const) {
      const res = await api.get(`/api/prompts?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.error?.details[0]?.path, field);
    }
  });

  it('refuses repeated, bracketed and out-of-range query parameters with 400, never 500', async () => {
    for (const query of ['limit=1&limit=2', 'q=a&q=b', 'q[a]=b', 'limit=1e309', 'limit=-1', 'limit=1.5', 'limit=99999999999999999999', 'cursor=']) {
      const res = await api.get(`/api/prompts?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
    }
    for (const query of ['from=0000-01-01T00:00:00Z', 'to=0000-06-01T00:00:00Z', 'from=2026-02-30T00:00:00Z']) {
      const res = await api.get(`/api/usage?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body.error?.code, 'INVALID_INPUT');
    }
    // The default window of 30 days before a `to` early in year 1 stops at year 1.
    assert.equal((await api.get('/api/usage?to=0001-01-05T00:00:00Z')).status, 200);
  });

  it('answers a deeply nested body with 400', async () => {
    const res = await api.request('POST', '/api/prompts', { rawBody: `{"title":"x","tags":${'['.repeat(100_000)}${']'.repeat(100_000)}}` });
    assert.equal(res.status, 400);
    assert.equal(res.body.error?.code, 'INVALID_INPUT');
  });

  describe('forged cursors', () => {
    /** Every list route (a route with a `cursor` query parameter), with a real second-page cursor. */
    async function listRoutes(): Promise<{ path: string; cursor: string }[]> {
      await api.ok('POST', '/api/prompts', { title: 'Third', content: 'c' });
      for (let i = 0; i < 2; i++) await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-4.1-mini', inputVariables: { code: 'x' } });
      await api.ok('POST', `/api/prompts/${prompt.id}/cases`, { name: 'case', inputVariables: { code: 'x' } });
      for (let i = 0; i < 2; i++) await api.ok('POST', '/api/batches', { promptId: prompt.id, models: ['gpt-4.1-mini'] });
      const document = await openApi();
      const routes: { path: string; cursor: string }[] = [];
      for (const [template, operations] of Object.entries(document.paths)) {
        if (!operations.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor')) continue;
        const path = template.replace(/\{(\w+)\}/g, () => prompt.id);
        const page = await api.ok<ListPage<unknown>>('GET', `${path}?limit=1`);
        assert.ok(page.nextCursor, `${template} has a second page to forge a cursor from; seed it above`);
        routes.push({ path, cursor: page.nextCursor });
      }
      return routes;
    }

    const encode = (json: string) => Buffer.from(json).toString('base64url');

    /** Cursors of the right shape with the wrong content, and of the wrong shape. */
    function forgeries(real: string): string[] {
      const parts = JSON.parse(Buffer.from(real, 'base64url').toString('utf8')) as (string | number)[];
      const forged: string[] = [];
      parts.forEach((part, i) => {
        const swap = (raw: string) => `[${parts.map((p, j) => (j === i ? raw : JSON.stringify(p))).join(',')}]`;
        const replacements =
          typeof part === 'number'
            ? ['1.5', '0', '-1', '2147483648', '1e400', '"1"', 'null']
            : ['"not a time or an id"', '"2026-13-45T99:99:99.999Z"', '"0000-01-01T00:00:00.000Z"', '"zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz"', '""', '1', 'null'];
        for (const raw of replacements) forged.push(encode(swap(raw)));
      });
      forged.push(encode('[]'), encode(JSON.stringify([...parts, parts[0]])), encode('{}'), encode('"x"'), 'not-base64-json!');
      if (parts.length > 1) forged.push(encode(JSON.stringify([...parts].reverse())));
      return forged;
    }

    it('answers every forged cursor of every list route with 400 naming cursor, and a real one with 200', async () => {
      const routes = await listRoutes();
      assert.ok(routes.length >= 3, `list routes: ${routes.map((r) => r.path).join(', ')}`);
      for (const { path, cursor } of routes) {
        assert.equal((await api.get(`${path}?limit=1&cursor=${cursor}`)).status, 200, `${path} with its own cursor`);
        for (const forged of forgeries(cursor)) {
          const res = await api.get(`${path}?limit=1&cursor=${encodeURIComponent(forged)}`);
          const decoded = Buffer.from(forged, 'base64url').toString('utf8');
          assert.equal(res.status, 400, `${path} with the cursor ${decoded}: ${res.text}`);
          assert.equal(res.body.error?.code, 'INVALID_INPUT');
          assert.equal(res.body.error?.details[0]?.path, 'cursor', decoded);
        }
      }
    });
  });
});

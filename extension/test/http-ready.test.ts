// The hook every call waits on before it is sent: how the extension starts its own local service
// on first use, and how a failed start reaches the user as "unreachable" with the reason and what
// to do (never as a crash of the command).
import assert from 'node:assert/strict';
import { LocalServiceUnavailableError, ServiceUnreachableError } from '../api/errors.ts';
import { ServiceHttp } from '../api/http.ts';
import { PromptRefineClient } from '../api/client.ts';

const session = { data: { user: null, setupRequired: true }, error: null };

describe('calls wait for the service to be ready', () => {
  it('starts the service before the first call, and calls where it then listens', async () => {
    const order: string[] = [];
    let url = 'the local PromptRefine service';
    const http = new ServiceHttp({
      serviceUrl: () => url,
      ready: async () => {
        order.push('ready');
        url = 'http://127.0.0.1:40001';
      },
      fetch: async (input) => {
        order.push(`fetch ${String(input)}`);
        return new Response(JSON.stringify(session), { headers: { 'content-type': 'application/json' } });
      },
    });
    const info = await new PromptRefineClient(http).session();
    assert.deepEqual(info, { user: null, setupRequired: true });
    assert.deepEqual(order, ['ready', 'fetch http://127.0.0.1:40001/api/auth/session']);
  });

  it('turns a failed start into an unreachable service with the start’s own message, and sends nothing', async () => {
    let fetched = false;
    const message = 'The local service’s data folder /x cannot be created: EACCES. Its log: /x/service.log';
    const http = new ServiceHttp({
      serviceUrl: () => 'the local PromptRefine service',
      ready: async () => {
        throw new LocalServiceUnavailableError(message);
      },
      fetch: async () => {
        fetched = true;
        return new Response('{}');
      },
    });
    const error = await new PromptRefineClient(http).listPrompts().then(
      () => assert.fail('it answered'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ServiceUnreachableError, 'shown like any unreachable service (retry, the view’s text)');
    assert.equal((error as Error).message, message, 'in the words of the failed start');
    assert.equal(fetched, false);
  });
});

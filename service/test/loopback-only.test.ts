import assert from 'node:assert/strict';
import OpenAI from 'openai';

describe('tests stay on loopback', () => {
  it('refuses a connection to OpenAI itself, even through the SDK', async () => {
    const client = new OpenAI({ apiKey: 'sk-never-used', maxRetries: 0, timeout: 5000 });
    await assert.rejects(client.models.list(), (error: Error) => {
      const chain: string[] = [];
      for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) chain.push(String((e as Error).message));
      assert.match(chain.join(' | '), /only connect to loopback/);
      return true;
    });
  });
});

// Command-line entry: runs the fake for demos and manual testing of the service.
//   PORT (default 8788), FAKE_OPENAI_LATENCY_MS, FAKE_OPENAI_TOKEN_DELAY_MS, FAKE_OPENAI_API_KEY

import { startFakeOpenAI } from './server.ts';

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    console.error(`${name} must be a non-negative number, got ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return value;
}

const fake = await startFakeOpenAI({
  port: envNumber('PORT', 8788),
  latencyMs: envNumber('FAKE_OPENAI_LATENCY_MS', 0),
  tokenDelayMs: envNumber('FAKE_OPENAI_TOKEN_DELAY_MS', 0),
  // Optional, so a demo can also prove the key is sent; unset means any key is accepted.
  apiKey: process.env['FAKE_OPENAI_API_KEY'] || undefined,
});

console.log(`Fake OpenAI server listening on ${fake.url} — set OPENAI_BASE_URL to this and OPENAI_API_KEY to anything`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`Received ${signal}, stopping fake OpenAI server (${fake.requests.length} requests served).`);
  await fake.close();
  process.exit(0);
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));

// `npm run fake-openai` on an ephemeral port, in a process of its own, as a model provider would
// be: neither the client measured nor the bench pays for the fake's work on its event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface FakeProcess {
  url: string;
  stop: () => Promise<void>;
}

export function startFakeProcess(latencyMs: number, apiKey: string): Promise<FakeProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../tools/fake-openai/main.ts', import.meta.url))], {
    env: { ...process.env, PORT: '0', FAKE_OPENAI_LATENCY_MS: String(latencyMs), FAKE_OPENAI_TOKEN_DELAY_MS: '0', FAKE_OPENAI_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A bench that fails takes its fake with it, rather than leaving it listening (and holding the
  // bench's output pipe open).
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const stop = async () => {
    process.removeListener('exit', orphanGuard);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve({ url: match[1] as string, stop });
    });
    child.once('exit', (code) => reject(new Error(`the fake OpenAI server exited (${code}) before listening`)));
  });
}

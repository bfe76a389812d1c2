// Reading answers from the terminal: a visible line (an email), or a password without echo. When
// standard input is piped instead of a terminal, each call takes the next line.
import { createInterface, type Interface } from 'node:readline';

/** Ctrl+C at a prompt: the caller decides what stopping means. */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
  constructor() {
    super('Cancelled');
  }
}

let piped: { rl: Interface; lines: AsyncIterator<string> } | undefined;

async function nextPipedLine(): Promise<string> {
  piped ??= (() => {
    const rl = createInterface({ input: process.stdin });
    return { rl, lines: rl[Symbol.asyncIterator]() };
  })();
  const next = await piped.lines.next();
  return next.done ? '' : next.value;
}

/** Closes the piped reader so the process can exit. */
export function closeTerminalInput(): void {
  piped?.rl.close();
  piped = undefined;
}

export async function readLine(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return nextPipedLine();
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve, reject) => {
    rl.on('SIGINT', () => {
      rl.close();
      reject(new PromptCancelled());
    });
    rl.question(prompt, (answer) => {
      rl.close();
      resolve(answer.trim());
    });
  });
}

export async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) return nextPipedLine();
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new PromptCancelled());
          return;
        }
        typed = ch === '\u007f' ? typed.slice(0, -1) : typed + ch;
      }
    };
    input.on('data', onData);
  });
}

// A request with exactly the headers given, Host included: fetch (undici) does not let a test set Host.
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  body: { data: unknown; error: { code: string; message: string } | null } | undefined;
}

/** One request with exactly the headers given (Host included, or none at all when host is null). */
export function raw(
  url: string,
  method: string,
  path: string,
  host: string | null,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<RawAnswer> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        setHost: false,
        headers: {
          ...(host === null ? {} : { host }),
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          let parsed: RawAnswer['body'];
          try {
            parsed = JSON.parse(text) as RawAnswer['body'];
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

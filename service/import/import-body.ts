// Reads the body of POST /api/import: its own size limit (PROMPTREFINE_IMPORT_LIMIT, default
// 64 MiB), separate from the 1 MiB of every other route, and read only once the request has been
// authenticated. One buffer for the bytes (sized from Content-Length when given), one string, then
// the parsed value: the raw copies are let go before the import starts writing.
import type { Request } from 'express';
import { AppError } from '../http/app-error.ts';

export const DEFAULT_IMPORT_LIMIT_BYTES = 64 * 1024 * 1024;

const bodyError = (message: string) => new AppError('INVALID_INPUT', `body: ${message}`, [{ path: '', message }]);
// The rest of an oversized body is not read: the connection is closed after the answer.
const tooLarge = (limit: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The document is larger than the import limit of ${limit} bytes (PROMPTREFINE_IMPORT_LIMIT)`, [], { Connection: 'close' });

async function readBytes(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  // With Content-Length the bytes go straight into one buffer of that size; else chunks are joined once.
  const whole = declared !== undefined && Number.isSafeInteger(declared) ? Buffer.allocUnsafe(declared) : undefined;
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size + chunk.length > limit || (whole && size + chunk.length > whole.length)) {
      req.unpipe();
      throw size + chunk.length > limit ? tooLarge(limit) : bodyError('is longer than its Content-Length');
    }
    if (whole) chunk.copy(whole, size);
    else chunks.push(chunk);
    size += chunk.length;
  }
  if (whole) {
    if (size !== whole.length) throw bodyError('is shorter than its Content-Length');
    return whole;
  }
  return Buffer.concat(chunks, size);
}

/** The parsed JSON body, or a 400/413 naming what is wrong with it. */
export async function readImportBody(req: Request, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw bodyError('send the promptrefine/v1 document as JSON, with Content-Type: application/json');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') throw bodyError('send the document uncompressed (no Content-Encoding)');
  let text: string;
  try {
    // fatal: bytes that are not UTF-8 are refused, not turned into U+FFFD and stored altered.
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readBytes(req, limit));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw bodyError('is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw bodyError('is not valid JSON');
  }
}

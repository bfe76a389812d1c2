// Templates, export and import over REST, for the extension's commands. Downloads go to a
// `.partial` file renamed only once complete, so a broken connection never leaves a file that looks
// whole; an import file is streamed up from disk, so its size does not matter to the extension.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  ImportSummary,
  PromptWithVersion,
  TemplateList,
  type PromptExportFormat,
  type Template,
  type WorkspaceExportFormat,
} from '../../contract/index.ts';
import { queryString, type ServiceHttp } from './http.ts';

/** Bytes so far, and the whole size when known. */
export type TransferProgress = (done: number, total: number | undefined) => void;

// Exports and imports take as long as the data is big: only the user's Cancel ends them.
const NO_TIMEOUT_MS = 24 * 60 * 60 * 1000;

export class TransferClient {
  constructor(private readonly http: ServiceHttp) {}

  async listTemplates(): Promise<Template[]> {
    return (await this.http.request('GET', '/api/templates', TemplateList)).items;
  }

  createFromTemplate(templateId: string, title?: string) {
    return this.http.request('POST', '/api/prompts', PromptWithVersion, { body: { templateId, ...(title ? { title } : {}) } });
  }

  /** One prompt (`promptId`) or every prompt (none) into `file`. */
  async download(
    target: { promptId: string; format: PromptExportFormat; versionId?: string } | { format: WorkspaceExportFormat },
    file: string,
    progress?: TransferProgress,
    signal?: AbortSignal,
  ): Promise<void> {
    const path =
      'promptId' in target
        ? `/api/prompts/${encodeURIComponent(target.promptId)}/export${queryString({ format: target.format, versionId: target.versionId })}`
        : `/api/export${queryString({ format: target.format })}`;
    const response = await this.http.send('GET', path, { signal: signal ?? AbortSignal.timeout(NO_TIMEOUT_MS) });
    if (!response.ok) return this.http.fail(response);
    if (!response.body) throw new Error('The service sent an empty export.');
    const total = Number(response.headers.get('content-length')) || undefined;
    // Its own partial file: two exports to the same file at once (a double click) never share one.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    try {
      await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), counter(progress, total), createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw new Error(`The export broke off before it was complete, so nothing was saved: ${(error as Error).message}`);
    }
  }

  /** Streams a promptrefine/v1 file to POST /api/import. */
  async importFile(file: string, progress?: TransferProgress, signal?: AbortSignal): Promise<ImportSummary> {
    const { size } = await stat(file);
    const source = createReadStream(file).pipe(counter(progress, size));
    const { data } = await this.http.call('POST', '/api/import', ImportSummary, {
      upload: { stream: Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>, contentType: 'application/json', length: size },
      signal: signal ?? AbortSignal.timeout(NO_TIMEOUT_MS),
    });
    return data;
  }
}

function counter(progress: TransferProgress | undefined, total: number | undefined): Transform {
  let done = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      progress?.(done, total);
      callback(null, chunk);
    },
  });
}

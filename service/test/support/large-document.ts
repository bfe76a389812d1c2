// A promptrefine/v1 document of a chosen size, produced piece by piece, so neither the test nor the
// bench ever holds it whole: the same seed gives the same bytes on each pass (one pass to count them
// for Content-Length, one to send them).
import { createHash } from 'node:crypto';

export interface LargeDocumentShape {
  prompts: number;
  versionsPerPrompt: number;
  runsPerPrompt: number;
  outputChars: number;
}

/** A UUID (version 4 layout) derived from a name, so every pass writes the same ids. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const iso = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

/** Sizes that make about `megabytes` of JSON. */
export function shapeForMegabytes(megabytes: number): LargeDocumentShape {
  const outputChars = 2000;
  // About 2.6 KB of JSON per run with its fields and indentation.
  const runs = Math.ceil((megabytes * 1024 * 1024) / 2600);
  const prompts = 50;
  return { prompts, versionsPerPrompt: 5, runsPerPrompt: Math.ceil(runs / prompts), outputChars };
}

export function* largeDocument(shape: LargeDocumentShape): Generator<string> {
  yield `{\n  "format": "promptrefine/v1",\n  "exportedAt": "${iso(0)}",\n  "prompts": [`;
  const filler = 'The change looks right; one edge case: an empty list returns undefined. '.repeat(Math.ceil(shape.outputChars / 72)).slice(0, shape.outputChars);
  for (let p = 0; p < shape.prompts; p++) {
    const promptId = uuidOf(`prompt ${p}`);
    const versionIds = Array.from({ length: shape.versionsPerPrompt }, (_, v) => uuidOf(`version ${p} ${v}`));
    const versions = versionIds.map((id, v) => ({
      id,
      promptId,
      versionNumber: v + 1,
      content: `Review this {{language}} diff, take ${v + 1}:\n{{diff}}`,
      notes: v === 0 ? null : `take ${v + 1}`,
      restoredFromVersionId: null,
      createdAt: iso(p * 1_000_000 + v),
    }));
    const head = {
      id: promptId,
      title: `Large prompt ${p}`,
      type: 'user',
      tags: ['large'],
      createdAt: iso(p * 1_000_000),
      updatedAt: iso(p * 1_000_000 + shape.versionsPerPrompt),
      currentVersionId: versionIds[versionIds.length - 1],
      versions,
    };
    const headJson = JSON.stringify(head);
    yield `${p === 0 ? '' : ','}\n${headJson.slice(0, -1)},"testRuns":[`;
    for (let r = 0; r < shape.runsPerPrompt; r++) {
      const v = r % shape.versionsPerPrompt;
      const created = p * 1_000_000 + 10 + r * 10;
      const run = {
        id: uuidOf(`run ${p} ${r}`),
        promptId,
        promptVersionId: versionIds[v],
        versionNumber: v + 1,
        status: 'succeeded',
        model: 'gpt-5.4-mini',
        api: 'responses',
        params: { maxOutputTokens: 800 },
        inputVariables: { language: 'TypeScript', diff: `- old ${r}\n+ new ${r}` },
        input: null,
        output: `${r}: ${filler}`,
        usage: { inputTokens: 200, cachedInputTokens: 0, outputTokens: 500, reasoningTokens: 100, totalTokens: 700 },
        costUsd: 0.0011,
        error: null,
        attempts: 1,
        latencyMs: 900,
        createdAt: iso(created),
        startedAt: iso(created + 1),
        finishedAt: iso(created + 5),
        updatedAt: iso(created + 5),
      };
      yield `${r === 0 ? '' : ','}\n${JSON.stringify(run)}`;
    }
    yield '],"cases":[]}';
  }
  yield '\n  ]\n}\n';
}

export function byteLength(shape: LargeDocumentShape): number {
  let n = 0;
  for (const piece of largeDocument(shape)) n += Buffer.byteLength(piece);
  return n;
}

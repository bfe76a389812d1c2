// Contract-shaped data for the tests of the pure modules.
import { randomUUID } from 'node:crypto';
import type { Prompt, PromptWithVersion, Version } from '../../../contract/index.ts';

export function aVersion(promptId: string, versionNumber: number, overrides: Partial<Version> = {}): Version {
  return {
    id: randomUUID(),
    promptId,
    versionNumber,
    content: `content of v${versionNumber}`,
    notes: null,
    restoredFromVersionId: null,
    createdAt: '2026-11-27T12:00:00.000Z',
    ...overrides,
  };
}

export function aPrompt(overrides: Partial<Prompt> = {}): Prompt {
  return {
    id: randomUUID(),
    title: 'Explain code',
    type: 'user',
    tags: [],
    currentVersionId: null,
    currentVersionNumber: null,
    createdAt: '2026-11-27T12:00:00.000Z',
    updatedAt: '2026-11-27T12:00:00.000Z',
    ...overrides,
  };
}

export function withCurrent(prompt: Prompt, version: Version): PromptWithVersion {
  return { ...prompt, currentVersionId: version.id, currentVersionNumber: version.versionNumber, currentVersion: version };
}

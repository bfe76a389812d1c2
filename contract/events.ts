// Payloads of the service's server-sent event streams, shared by the service that writes them and
// the clients that read them. Each stream sends `event: <name>` and `data: <JSON>` frames, and
// comment lines (`: keep-alive`) that clients ignore.
import { z } from 'zod';
import { TestRun } from './test-runs.ts';

/** GET /api/test-runs/:id/events `delta`: output text as it arrives. */
export const RunDeltaData = z.object({ text: z.string() }).meta({ id: 'RunDeltaData' });
/** `reset`: a retry started over; discard the text received so far. */
export const RunResetData = z.object({ attempt: z.number().int(), reason: z.string() }).meta({ id: 'RunResetData' });

export const RUN_EVENT_NAMES = ['delta', 'reset', 'done'] as const;
export type RunEventName = (typeof RUN_EVENT_NAMES)[number];

/** The data schema of each event of GET /api/test-runs/:id/events (`done` carries the final run). */
export const RUN_EVENT_DATA = { delta: RunDeltaData, reset: RunResetData, done: TestRun } as const;

/** Server-sent events of GET /api/test-runs/:id/events. */
export type TestRunEvent =
  | { event: 'delta'; data: z.infer<typeof RunDeltaData> }
  | { event: 'reset'; data: z.infer<typeof RunResetData> }
  | { event: 'done'; data: TestRun };

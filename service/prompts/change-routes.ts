import { z } from 'zod';
import type { NotificationBus } from '../db/notifications.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { SessionStreams } from '../http/session-streams.ts';
import { streamChanges, type ChangeFeedOptions } from './change-feed.ts';

const CHANGES_DESCRIPTION = [
  '`text/event-stream` of `change` events, one for every prompt created, updated (PATCH), deleted, every new version (restores included), ' +
    'and every test case added, edited or deleted, from whichever service process on the same database made it, sent once the change is committed:',
  '`{"kind": "prompt.created" | "prompt.updated" | "prompt.deleted" | "version.created" | "case.changed", "promptId": "...", "versionId": "..." (version.created only)}` (schema `ChangeEvent`).',
  'Comment lines (`: keep-alive`) come every 15 s without a change, so proxies keep the stream open.',
  'The stream carries ids only: clients reload what they show. It ends when the session that opened it signs out, ' +
    'when the service lost its connection to the database notifications (changes may have been missed), or when the client reads too slowly; ' +
    'a client then reconnects and reloads everything it shows.',
].join('\n');

export function changeRoutes(bus: NotificationBus, sessions: SessionStreams, options: ChangeFeedOptions): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/changes',
      tag: 'Prompts',
      summary: 'Prompt changes from every service process, as server-sent events',
      description: CHANGES_DESCRIPTION,
      raw: { contentType: 'text/event-stream' },
      response: z.string().meta({ description: CHANGES_DESCRIPTION }),
      handler: async ({ req, res }) => {
        await streamChanges(bus, sessions, options, req, res);
      },
    }),
  ];
}

import { z } from 'zod';
import { choiceView, lobbyView, playerFields, retreatVoteView, survivorView } from './schemas.js';

/*
 * What GET /v1/poll answers. The route builds its body by hand (the hot path skips schema
 * serialization), so this schema documents the body rather than producing it;
 * test/api/api.poll-schema.test.ts checks real bodies of every kind against it.
 */

export const missionView = z.object({
  id: z.string(),
  kind: z.enum(['solo', 'group']),
  channelId: z.string(),
  status: z.enum(['active', 'succeeded', 'failed', 'retreated']),
  location: z.string(),
  difficulty: z.number(),
  tick: z.number(),
  length: z.number(),
  startedAt: z.number(),
  intervalMs: z.number(),
  nextTickAt: z.number().nullable(),
  supplies: z.number(),
  party: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      mine: z.boolean().describe("the caller's own survivor (internal user ids are never shown)"),
      ...playerFields,
      health: z.number(),
      maxHealth: z.number(),
      stamina: z.number(),
      maxStamina: z.number(),
      downed: z.boolean(),
      dead: z.boolean(),
      status: z.array(z.string()),
    }),
  ),
  weather: z.string().nullable().describe('weather modifier id (names in the catalog)'),
  time: z.string().nullable().describe('time-of-day modifier id'),
  lines: z.array(
    z.object({
      tick: z.number(),
      text: z
        .string()
        .describe('one line; the first and last tick may carry an opening/closing line after a newline'),
      at: z.number(),
      tags: z.array(z.string()).optional().describe('perk:…, status:…, weather:…, time:… that acted'),
      mark: z.enum(['death', 'down', 'revive', 'find']).optional().describe('a key moment'),
      choice: z.string().optional().describe('the stance this tick applied, at a choice point'),
    }),
  ),
  missedLines: z.boolean().describe('older lines than these are new to the client: read them from /log'),
  result: z.unknown().nullable(),
  choice: choiceView.nullable().describe('the choice point open now, with its votes'),
  retreatVote: retreatVoteView.nullable().describe("a group's vote to retreat (null solo)"),
});

export type MissionView = z.infer<typeof missionView>;

/** The fields keep this order in the hand-built body: serverTime, then survivors, then the rest. */
export const pollResponse = z
  .object({
    serverTime: z.number(),
    survivors: z.array(survivorView),
    missions: z.array(missionView),
    lobby: lobbyView.nullable(),
    cursor: z.string().describe('send back as ?cursor= to receive only new lines'),
    nextPollAt: z.number().describe('ms since the epoch: poll again then (just after the next tick)'),
  })
  .meta({ id: 'Poll' });

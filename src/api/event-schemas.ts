import { z } from 'zod';
import { CHANNEL_EVENT_KINDS, MAX_SIGNUP_SECONDS, MIN_SIGNUP_SECONDS } from '../game/channel-event.js';
import { difficulty, idParam, locationId, playerFields } from './schemas.js';

// Request and response schemas of the channel-event routes (routes/event-routes.ts).

export const eventIdParams = z.strictObject({ eventId: idParam('event') });

export const openEventBody = z.strictObject({
  kind: z.enum(CHANNEL_EVENT_KINDS),
  location: locationId,
  difficulty,
  signupSeconds: z
    .number()
    .int()
    .min(MIN_SIGNUP_SECONDS)
    .max(MAX_SIGNUP_SECONDS)
    .optional()
    .describe(`the sign-up window in s (${MIN_SIGNUP_SECONDS}–${MAX_SIGNUP_SECONDS}, 120 by default)`),
});

export const survivorBody = z.strictObject({ survivorId: idParam('survivor') });

const mine = z.boolean().describe("the caller's own survivor (internal user ids are never shown)");

const contributor = z.object({ name: z.string(), ...playerFields, contribution: z.number(), mine });

export const eventView = z
  .object({
    id: z.string(),
    kind: z.enum(CHANNEL_EVENT_KINDS),
    location: z.string(),
    locationName: z.string(),
    difficulty: z.number(),
    status: z.enum(['signup', 'running', 'succeeded', 'failed', 'cancelled']),
    goalReached: z.boolean().describe('the goal is reached: the missions end at their next tick'),
    signupEndsAt: z.number().describe('ms since the epoch'),
    startedAt: z.number().nullable(),
    endsAt: z.number().nullable().describe('ms since the epoch: when a running event runs out of time'),
    endedAt: z.number().nullable(),
    goal: z.number().nullable().describe('fixed when the sign-up closes, from the number who went'),
    progress: z.number(),
    participants: z.number(),
    signups: z
      .array(z.object({ survivorId: z.string(), name: z.string(), ...playerFields, mine }))
      .describe('the first sign-ups, in the order they joined'),
    top: z.array(contributor).describe('best contributors first'),
    highlights: z.array(z.object({ name: z.string(), text: z.string(), at: z.number(), mine })),
    result: z
      .object({
        outcome: z.enum(['succeeded', 'failed', 'cancelled']),
        progress: z.number(),
        goal: z.number(),
        participants: z.number(),
        top: z.array(contributor),
      })
      .nullable(),
  })
  .meta({ id: 'ChannelEvent' });

export const currentEventResponse = z.object({
  event: eventView.nullable().describe("the channel's open event, else its latest one, else null"),
  canHost: z.boolean().describe('the caller may open, start, cancel and moderate events'),
  yours: z
    .object({
      survivorId: z.string(),
      name: z.string(),
      reward: z.object({ contribution: z.number(), rank: z.number(), xp: z.number() }).nullable(),
    })
    .nullable()
    .describe("the caller's sign-up (with ?yours=true; null otherwise)"),
});

export const currentEventQuery = z.strictObject({
  yours: z.enum(['true', 'false']).default('false').describe("include the caller's own sign-up"),
});

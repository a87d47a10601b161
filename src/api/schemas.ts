import { z } from 'zod';
import { DURABLE_ID } from '../durable/durable-id.js';
import { SEASON_PERIODS } from '../game/season-period.js';

// Request and response schemas: they validate requests, serialize responses and make /openapi.json.

/** A bigint id as decimal digits; at most 18 of them, so it always fits Postgres' bigint. */
export const idParam = (what: string) =>
  z.string().regex(DURABLE_ID, { error: `expected a ${what} id (digits)` });

export const lobbyIdParam = z.string().regex(/^[A-Za-z0-9_-]{12}$/, { error: 'expected a lobby id' });

export const survivorIdParams = z.strictObject({ survivorId: idParam('survivor') });
export const missionIdParams = z.strictObject({ missionId: idParam('mission') });
export const lobbyIdParams = z.strictObject({ lobbyId: lobbyIdParam });

/** Names are checked by the game rules (validateSurvivorName); this only bounds the size. */
export const survivorName = z.string().max(200, { error: 'too long' });
export const difficulty = z.number().int().min(1).max(5);
export const locationId = z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'expected a location id' });
export const perkId = z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'expected a perk id' });
export const itemId = z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'expected an item id' });
export const missionLength = z.enum(['short', 'standard', 'long']);

export const attributes = z.object({ grit: z.number(), wits: z.number(), agility: z.number() });
export const lifecycleState = z.enum(['idle', 'in_lobby', 'on_mission', 'recovering', 'dead']);

/** How a survivor's owner is shown next to it (never by an internal id). */
export const playerFields = {
  player: z
    .string()
    .nullable()
    .describe("the owner's Twitch display name; null until they share their identity and it is fetched"),
  playerTitle: z.string().nullable().describe('a cosmetic title the owner bought with Bits'),
};

export const survivorView = z
  .object({
    id: z.string(),
    name: z.string(),
    attributes,
    health: z.number(),
    maxHealth: z.number(),
    stamina: z.number(),
    maxStamina: z.number(),
    level: z.number(),
    xp: z.number(),
    perkSlots: z.number(),
    perks: z.array(z.string()),
    perkOffers: z.array(z.string()),
    state: lifecycleState,
    stateUntil: z
      .number()
      .nullable()
      .describe('ms since the epoch: when a recovering survivor is idle again'),
    retired: z.boolean().describe("dead by the player's choice (retired), not fallen on a mission"),
    lobbyId: z.string().nullable(),
    missionId: z.string().nullable(),
  })
  .meta({ id: 'Survivor' });

export const seasonPeriod = z
  .enum(SEASON_PERIODS)
  .describe('a season is a calendar week (from Monday 00:00 UTC) or month (from the 1st)');
export const seasonGoal = z
  .number()
  .int()
  .min(1)
  .max(1_000_000)
  .describe('missions the channel aims to hold out per season');

export const channelSettings = z
  .object({
    maxDifficulty: difficulty,
    groupMissionsEnabled: z.boolean(),
    missionLength,
    chatMessagesEnabled: z
      .boolean()
      .describe('the extension posts event starts, results and rare highlights in chat'),
    moderatorsRunEvents: z
      .boolean()
      .describe("the channel's moderators may open, start, cancel and moderate events"),
    seasonPeriod,
    seasonGoal,
  })
  .meta({ id: 'ChannelSettings' });

export const pageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: idParam('mission').optional().describe('id of the last mission of the previous page'),
});

export const missionSummary = z
  .object({
    id: z.string(),
    channelId: z.string(),
    kind: z.enum(['solo', 'group']),
    location: z.string(),
    difficulty: z.number(),
    status: z.enum(['active', 'succeeded', 'failed', 'retreated']),
    lengthTicks: z.number(),
    startedAt: z.number(),
    endedAt: z.number().nullable(),
    result: z.unknown(),
    participants: z.array(
      z.object({
        survivorId: z.string(),
        name: z.string(),
        slot: z.number(),
        mine: z.boolean().describe("the caller's own survivor (internal user ids are never shown)"),
        ...playerFields,
      }),
    ),
  })
  .meta({ id: 'MissionSummary' });

export const lobbyMember = z.object({
  survivorId: z.string(),
  name: z.string(),
  level: z.number(),
  ready: z.boolean(),
  joinedAt: z.number(),
  carry: z
    .array(z.string())
    .describe("stash items this member's survivor carries: they leave the stash when the mission starts"),
  mine: z.boolean().describe("the caller's own survivor (internal user ids are never shown)"),
  leader: z.boolean().describe("the lobby's leader (who opened it, or took over when the leader left)"),
  ...playerFields,
});

export const lobbyView = z
  .object({
    id: z.string(),
    channelId: z.string(),
    location: z.string(),
    difficulty: z.number(),
    length: missionLength,
    status: z.enum(['open', 'starting', 'started']),
    missionId: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
    expiresAt: z.number().describe('ms since the epoch: the lobby closes then unless someone acts in it'),
    members: z.array(lobbyMember),
  })
  .meta({ id: 'Lobby' });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    code: z.string().describe('stable, machine-readable: branch on this'),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const stanceId = z.string().regex(/^[a-z0-9-]{1,64}$/, { error: 'expected a stance id' });

export const choiceView = z
  .object({
    decidesAt: z.number().describe('the tick the choice applies at'),
    closesAt: z.number().describe('ms since the epoch: the vote closes when that tick runs'),
    current: z.string().describe('the stance held now: it stays with no vote or a tie'),
    options: z.array(z.string()).describe('stance ids (names and effects in the catalog)'),
    votes: z.record(z.string(), z.number()).describe('votes per stance'),
    leading: z.string().describe('the stance if the vote closed now'),
    mine: z.string().nullable().describe("the caller's vote"),
  })
  .meta({ id: 'Choice' });

export const retreatVoteView = z
  .object({
    votes: z.number().describe('members who asked to retreat in the last 30 s'),
    needed: z.number().describe('more than half of the party'),
    mine: z.boolean().describe('the caller is among them'),
  })
  .meta({ id: 'RetreatVote' });

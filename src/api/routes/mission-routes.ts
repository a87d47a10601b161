import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getChannelSettings } from '../../durable/channels.js';
import { getMission, type MissionSummary, missionLog } from '../../durable/mission-history.js';
import { findOwnSurvivor } from '../../durable/survivors.js';
import { SurvivorNotFoundError } from '../../engine/engine-errors.js';
import { assertMissionAllowed } from '../../engine/mission-allowed.js';
import { startMission } from '../../engine/start-mission.js';
import { settleSurvivors } from '../../engine/viewer-roster.js';
import { MAX_CARRIED_ITEMS, SurvivorDeadError, stanceOptions } from '../../game/index.js';
import { pickerOdds } from '../../game/picker-odds.js';
import { broadcastsEnabled } from '../../twitch/broadcasts-enabled.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import type { Viewer } from '../auth/twitch-jwt.js';
import { UnknownMissionError } from '../problem-errors.js';
import {
  channelSettings,
  difficulty,
  idParam,
  itemId,
  locationId,
  missionIdParams,
  missionSummary,
} from '../schemas.js';

const LOG_PAGE_MAX = 200;

/** A mission as `userId` (null: logged out) may see it: whose survivors are theirs, no user ids. */
export function missionFor(mission: MissionSummary, userId: string | null) {
  return {
    ...mission,
    participants: mission.participants.map(({ userId: owner, ...participant }) => ({
      ...participant,
      mine: owner === userId,
    })),
  };
}

/**
 * A mission the viewer may read: one that ran on the viewer's channel, or one of their own survivors
 * took part in. Any other is as unknown as a missing one (404), so ids cannot be walked across channels.
 */
async function visibleMission(ctx: ApiContext, viewer: Viewer, missionId: string) {
  const mission = await getMission(ctx.db, missionId);
  if (!mission) throw new UnknownMissionError(missionId);
  const userId = viewer.loggedIn ? await ctx.users.userIdOf(viewer) : null;
  const takesPart = userId !== null && mission.participants.some((p) => p.userId === userId);
  if (mission.channelId !== viewer.channelId && !takesPart) throw new UnknownMissionError(missionId);
  return missionFor(mission, userId);
}

export function registerMissionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['missions'];

  r.get(
    '/v1/missions/catalog',
    {
      config: { endpoint: 'missions.catalog', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "Locations, difficulties (within the channel's settings) and perks",
        response: {
          200: z.object({
            locations: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                description: z.string(),
                traits: z.array(z.string()),
                odds: z
                  .array(z.object({ difficulty: z.number(), success: z.number(), death: z.number() }))
                  .describe(
                    'per difficulty: share of simulated solo missions held out, and of solo survivors dead (0–1)',
                  ),
              }),
            ),
            difficulties: z.array(
              z.object({
                level: z.number(),
                name: z.string(),
                lengthTicks: z.number(),
                danger: z.number().describe('multiplier of damage taken (1 = base)'),
                deathChance: z.number().describe('chance that a survivor brought to 0 health dies (0–1)'),
                allowed: z.boolean(),
              }),
            ),
            perks: z.array(
              z.object({ id: z.string(), name: z.string(), description: z.string(), minLevel: z.number() }),
            ),
            modifiers: z
              .array(z.object({ id: z.string(), kind: z.enum(['weather', 'time']), name: z.string() }))
              .describe("weather and times of day: the names of a mission's weather and time"),
            statuses: z.array(z.object({ id: z.string(), name: z.string() })),
            stances: z
              .array(z.object({ id: z.string(), name: z.string(), description: z.string() }))
              .describe('what a party may choose at a choice point, with what each does'),
            retreatVoteWindowMs: z
              .number()
              .describe('a group retreats once more than half of it voted within this many ms (rules.json)'),
            settings: channelSettings,
            tickIntervalMs: z.number(),
            contentVersion: z.string(),
            broadcasts: z
              .boolean()
              .describe('changes are announced by Extension PubSub: panels may poll only when told'),
          }),
        },
      },
    },
    async (request) => {
      const settings = await getChannelSettings(ctx.db, viewerOf(request).channelId);
      const { content } = ctx;
      const odds = await pickerOdds(content);
      return {
        locations: Object.entries(content.locations).map(([id, l]) => ({
          id,
          name: l.name,
          description: l.description,
          traits: l.traits,
          odds: odds.get(id) ?? [],
        })),
        difficulties: content.difficulties.map((d) => ({
          level: d.level,
          name: d.name,
          lengthTicks: d.length,
          danger: d.danger,
          deathChance: d.deathChance,
          allowed: d.level <= settings.maxDifficulty,
        })),
        perks: Object.entries(content.perks).map(([id, p]) => ({
          id,
          name: p.name,
          description: p.description,
          minLevel: p.minLevel,
        })),
        modifiers: Object.entries(content.modifiers).map(([id, m]) => ({ id, kind: m.kind, name: m.name })),
        statuses: Object.entries(content.statuses).map(([id, s]) => ({ id, name: s.name })),
        stances: stanceOptions(content).map((id) => ({
          id,
          name: content.stances[id]!.name,
          description: content.stances[id]!.description,
        })),
        retreatVoteWindowMs: content.rules.retreatVoteWindowMs,
        settings,
        tickIntervalMs: ctx.config.TICK_INTERVAL_MS,
        broadcasts: broadcastsEnabled(ctx.config),
        contentVersion: content.version,
      };
    },
  );

  r.post(
    '/v1/missions',
    {
      config: { endpoint: 'missions.start' },
      schema: {
        tags,
        summary: 'Send one idle survivor on a solo mission, carrying items from your stash if you like',
        body: z.strictObject({
          survivorId: idParam('survivor'),
          location: locationId,
          difficulty,
          carry: z
            .array(itemId)
            .max(MAX_CARRIED_ITEMS)
            .optional()
            .describe('stash items the survivor takes along (used up by the mission)'),
        }),
        response: {
          201: z.object({ missionId: z.string(), startedAt: z.number(), nextTickAt: z.number() }),
        },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      const { survivorId, location } = request.body;
      const settings = await getChannelSettings(ctx.db, viewer.channelId);
      assertMissionAllowed(ctx.content, settings, location, request.body.difficulty);
      // Recoveries that are over end, and a vanished lobby lets its survivor go, before the start.
      await settleSurvivors(ctx, userId);
      const survivor = await findOwnSurvivor(ctx.db, userId, survivorId);
      if (!survivor) throw new SurvivorNotFoundError(survivorId);
      if (survivor.state === 'dead') throw new SurvivorDeadError(survivorId);
      const started = await startMission(ctx.engine, {
        channelId: viewer.channelId,
        kind: 'solo',
        location,
        difficulty: request.body.difficulty,
        length: settings.missionLength,
        members: [{ userId, survivorId }],
        fromState: 'idle',
        ...(request.body.carry ? { carry: { [survivorId]: request.body.carry } } : {}),
      });
      await ctx.viewerCache.invalidate([userId]);
      return reply.code(201).send(started);
    },
  );

  r.get(
    '/v1/missions/:missionId',
    {
      config: { endpoint: 'missions.get', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "A mission: party, status, result (its channel's viewers and its participants only)",
        params: missionIdParams,
        response: { 200: missionSummary },
      },
    },
    async (request) => visibleMission(ctx, viewerOf(request), request.params.missionId),
  );

  r.get(
    '/v1/missions/:missionId/log',
    {
      config: { endpoint: 'missions.log', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "A mission's full log from Postgres, in tick order (continue with `after` = last tick)",
        params: missionIdParams,
        querystring: z.strictObject({
          after: z.coerce.number().int().min(0).max(1_000_000).default(0),
          limit: z.coerce.number().int().min(1).max(LOG_PAGE_MAX).default(50),
        }),
        response: {
          200: z.object({
            missionId: z.string(),
            lines: z.array(
              z.object({
                tick: z.number(),
                encounterId: z.string(),
                text: z.string(),
                scheduledAt: z.number(),
                tags: z.array(z.string()).optional(),
                mark: z.enum(['death', 'down', 'revive', 'find']).optional(),
                choice: z.string().optional(),
              }),
            ),
            nextAfter: z.number().nullable(),
          }),
        },
      },
    },
    async (request) => {
      const { missionId } = request.params;
      await visibleMission(ctx, viewerOf(request), missionId);
      const lines = await missionLog(ctx.db, missionId, request.query);
      const full = lines.length === request.query.limit;
      return { missionId, lines, nextAfter: full ? (lines.at(-1)?.tick ?? null) : null };
    },
  );
}

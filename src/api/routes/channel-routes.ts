import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getChannelSettings, updateChannelSettings } from '../../durable/channels.js';
import { channelLeaderboard } from '../../durable/mission-history.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import {
  channelSettings,
  difficulty,
  missionLength,
  playerFields,
  seasonGoal,
  seasonPeriod,
} from '../schemas.js';
import { registerSeasonRoute } from './season-route.js';

const LEADERBOARD_MAX = 50;

export function registerChannelRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['channel'];

  r.get(
    '/v1/channel/settings',
    {
      config: { endpoint: 'channel.settings', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "The channel's rules (from the token's channel)",
        response: { 200: channelSettings },
      },
    },
    async (request) => getChannelSettings(ctx.db, viewerOf(request).channelId),
  );

  r.put(
    '/v1/channel/settings',
    {
      config: { endpoint: 'channel.settings.update', access: 'broadcaster' },
      schema: {
        tags,
        summary: "Change the channel's rules (broadcaster only); omitted fields keep their value",
        body: z.strictObject({
          maxDifficulty: difficulty.optional(),
          groupMissionsEnabled: z.boolean().optional(),
          missionLength: missionLength.optional(),
          chatMessagesEnabled: z.boolean().optional(),
          moderatorsRunEvents: z.boolean().optional(),
          seasonPeriod: seasonPeriod.optional(),
          seasonGoal: seasonGoal.optional(),
        }),
        response: { 200: channelSettings },
      },
    },
    async (request) => {
      const { channelId } = viewerOf(request);
      const settings = await updateChannelSettings(ctx.db, channelId, request.body);
      // With broadcasts, panels read the catalog when told, and only rarely otherwise.
      ctx.notices.settings(channelId);
      return settings;
    },
  );

  registerSeasonRoute(app, ctx);

  r.get(
    '/v1/channel/leaderboard',
    {
      config: { endpoint: 'channel.leaderboard', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "The channel's survivors ranked by XP earned on its missions",
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(LEADERBOARD_MAX).default(20),
        }),
        response: {
          200: z.object({
            entries: z.array(
              z.object({
                rank: z.number(),
                survivorId: z.string(),
                name: z.string(),
                level: z.number(),
                dead: z.boolean(),
                missions: z.number(),
                succeeded: z.number(),
                xp: z.number(),
                supplies: z.number().describe('supplies brought home, group loot counted for every member'),
                loot: z.number().describe('supplies plus the value of items brought home'),
                ...playerFields,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const entries = await channelLeaderboard(ctx.db, viewerOf(request).channelId, request.query.limit);
      return { entries: entries.map((e, i) => ({ rank: i + 1, ...e })) };
    },
  );
}

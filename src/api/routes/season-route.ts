import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SEASON_METRICS, type SeasonEntry } from '../../durable/channel-seasons.js';
import { getChannelSettings } from '../../durable/channels.js';
import { NO_PLAYER_NAME } from '../../durable/player-names.js';
import { seasonWindow } from '../../game/season-period.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { playerFields, seasonPeriod } from '../schemas.js';
import { SeasonStandingCache } from '../season-standing-cache.js';

const SEASON_BOARD_MAX = 50;

const board = z.array(
  z.object({
    rank: z.number(),
    names: z.string().describe("the viewer's survivors who played this season"),
    ...playerFields,
    value: z.number(),
    mine: z.boolean().describe("the caller's own line (user ids are never shown)"),
  }),
);

export const seasonResponse = z
  .object({
    period: seasonPeriod,
    startsAt: z.number().describe('ms since the epoch'),
    endsAt: z.number().describe('ms since the epoch: the next season starts then'),
    goal: z.object({
      target: z.number().describe("the broadcaster's seasonGoal"),
      held: z.number().describe('missions of the channel held out this season'),
    }),
    boards: z.object(
      Object.fromEntries(SEASON_METRICS.map((m) => [m, board])) as Record<
        (typeof SEASON_METRICS)[number],
        typeof board
      >,
    ),
  })
  .meta({ id: 'Season' });

/** GET /v1/channel/season: the current season's per-viewer boards and the channel goal meter. */
export function registerSeasonRoute(app: FastifyInstance, ctx: ApiContext): void {
  const standings = new SeasonStandingCache(ctx.db, ctx.clock);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/channel/season',
    {
      config: { endpoint: 'channel.season', budget: 'read', access: 'viewer' },
      schema: {
        tags: ['channel'],
        summary:
          "The channel's current season: missions survived, deepest difficulty held and loot per viewer, and the channel goal",
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(SEASON_BOARD_MAX).default(10),
        }),
        response: { 200: seasonResponse },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const settings = await getChannelSettings(ctx.db, viewer.channelId);
      const window = seasonWindow(settings.seasonPeriod, ctx.clock());
      const standing = await standings.standing(viewer.channelId, window, request.query.limit);
      const userId = viewer.loggedIn ? await ctx.users.userIdOf(viewer) : null;
      // From the cached directory (never Twitch): the display-name refresher fetches names in the background.
      const players = await ctx.playerNames.of(
        Object.values(standing.boards).flatMap((entries) => entries.map((e) => e.userId)),
      );
      const ranked = (entries: SeasonEntry[]) =>
        entries.map((e, i) => ({
          rank: i + 1,
          names: e.names,
          ...(players.get(e.userId) ?? NO_PLAYER_NAME),
          value: e.value,
          mine: e.userId === userId,
        }));
      return {
        period: settings.seasonPeriod,
        ...window,
        goal: { target: settings.seasonGoal, held: standing.missionsHeld },
        boards: {
          survived: ranked(standing.boards.survived),
          deepest: ranked(standing.boards.deepest),
          loot: ranked(standing.boards.loot),
        },
      };
    },
  );
}

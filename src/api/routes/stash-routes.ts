import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readStash, type Stash } from '../../durable/stash.js';
import { buyForSurvivor } from '../../engine/stash-purchases.js';
import { toSurvivorView } from '../../engine/viewer-roster.js';
import { type Content, MAX_CARRIED_ITEMS, PURCHASES } from '../../game/index.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { idParam, survivorView } from '../schemas.js';

export const stashView = z
  .object({
    supplies: z.number(),
    items: z.array(
      z.object({ id: z.string(), name: z.string(), description: z.string(), count: z.number() }),
    ),
    prices: z
      .object({ recoverPerMinute: z.number(), revive: z.number(), rerollOffers: z.number() })
      .describe(
        'what supplies buy (rules.json): recovery per started minute left, a revive, new perk offers',
      ),
    maxCarried: z.number().describe('items a survivor may carry on one mission (POST /v1/missions carry)'),
  })
  .meta({ id: 'Stash' });

function toStashView(stash: Stash, content: Content): z.infer<typeof stashView> {
  return {
    supplies: stash.supplies,
    items: Object.entries(stash.items).map(([id, count]) => ({
      id,
      name: content.items[id]?.name ?? id,
      description: content.items[id]?.description ?? '',
      count,
    })),
    prices: { ...content.rules.prices },
    maxCarried: MAX_CARRIED_ITEMS,
  };
}

export function registerStashRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['stash'];

  r.get(
    '/v1/stash',
    {
      config: { endpoint: 'stash', budget: 'read' },
      schema: {
        tags,
        summary: "The caller's stash (supplies and items brought home) and what supplies buy",
        response: { 200: stashView },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      return toStashView(await readStash(ctx.db, userId), ctx.content);
    },
  );

  r.post(
    '/v1/stash/spend',
    {
      config: { endpoint: 'stash.spend' },
      schema: {
        tags,
        summary:
          'Spend supplies on a survivor: recover (end its recovery now), revive (a fallen one), reroll_offers (new perk offers)',
        body: z.strictObject({ purchase: z.enum(PURCHASES), survivorId: idParam('survivor') }),
        response: {
          200: z.object({
            survivor: survivorView,
            spent: z.number().describe('supplies taken from the stash'),
            stash: stashView,
          }),
        },
      },
    },
    async (request) => {
      const userId = await ctx.users.userIdOf(viewerOf(request));
      const { purchase, survivorId } = request.body;
      const bought = await buyForSurvivor(ctx, userId, survivorId, purchase);
      return {
        survivor: toSurvivorView(bought.survivor),
        spent: bought.spent,
        stash: toStashView(await readStash(ctx.db, userId), ctx.content),
      };
    },
  );
}

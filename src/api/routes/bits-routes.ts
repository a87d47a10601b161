import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bitsCatalog } from '../../twitch/bits-catalog.js';
import { fulfilReceipt, ProductMismatchError, ReceiptOwnerError } from '../../twitch/bits-fulfilment.js';
import { InvalidReceiptError } from '../../twitch/bits-receipt.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { ApiError } from '../problem-errors.js';
import { idParam } from '../schemas.js';

/** Translates the Bits path's own failures into problem+json; anything else goes to the error handler. */
function asProblem(error: unknown): unknown {
  if (error instanceof InvalidReceiptError) return new ApiError(400, 'invalid_receipt', error.message);
  if (error instanceof ProductMismatchError) return new ApiError(400, 'product_mismatch', error.message);
  if (error instanceof ReceiptOwnerError) return new ApiError(403, 'receipt_not_yours', error.message);
  return error;
}

export function registerBitsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['bits'];

  r.get(
    '/v1/bits/products',
    {
      config: { endpoint: 'bits.products', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: 'The Bits products (their SKUs are the ones configured in the Twitch developer console)',
        response: {
          200: z.object({
            products: z.array(
              z.object({
                sku: z.string(),
                displayName: z.string(),
                bits: z.number(),
                description: z.string(),
                target: z.enum(['survivor', 'lobby', 'none']),
              }),
            ),
          }),
        },
      },
    },
    async () => ({
      products: [...bitsCatalog().values()].map((p) => ({
        sku: p.sku,
        displayName: p.displayName,
        bits: p.bits,
        description: p.description,
        target: 'target' in p ? p.target : ('none' as const),
      })),
    }),
  );

  r.post(
    '/v1/bits/transactions',
    {
      config: { endpoint: 'bits.transactions' },
      schema: {
        tags,
        summary:
          "A Bits purchase's transaction receipt (from Twitch.ext.bits.onTransactionComplete), fulfilled exactly once",
        body: z.strictObject({
          receipt: z.string().min(1).max(4_096),
          target: z
            .strictObject({
              survivorId: idParam('survivor').optional(),
              lobbyId: z.string().min(1).max(64).optional(),
            })
            .default({}),
        }),
        response: {
          200: z.object({
            transactionId: z.string(),
            sku: z.string(),
            status: z.enum(['fulfilled', 'failed']),
            reason: z.string().nullable(),
            duplicate: z.boolean().describe('the receipt was seen before: nothing was done again'),
          }),
        },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      try {
        const outcome = await fulfilReceipt(
          {
            db: ctx.db,
            extensionSecret: ctx.config.TWITCH_EXTENSION_SECRET,
            clientId: ctx.config.TWITCH_CLIENT_ID,
            clock: ctx.clock,
          },
          {
            receipt: request.body.receipt,
            target: request.body.target,
            userId,
            twitchUserId: viewer.twitchUserId,
            channelId: viewer.channelId,
          },
        );
        if (outcome.touchedUserIds.length > 0) {
          await ctx.viewerCache.invalidate(outcome.touchedUserIds);
          // A title shows next to the buyer's name, which is cached (display_name:{userId}).
          await ctx.playerNames.forget(outcome.touchedUserIds);
        }
        if (request.body.target.lobbyId && outcome.status === 'fulfilled' && !outcome.duplicate) {
          ctx.notices.lobby(viewer.channelId, request.body.target.lobbyId);
        }
        return {
          transactionId: outcome.transactionId,
          sku: outcome.sku,
          status: outcome.status,
          reason: outcome.reason,
          duplicate: outcome.duplicate,
        };
      } catch (error) {
        throw asProblem(error);
      }
    },
  );
}

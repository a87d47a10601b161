import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../api-context.js';
import { signTwitchToken } from '../auth/twitch-jwt.js';

/** The channel development tokens belong to unless asked otherwise. */
export const DEV_CHANNEL_ID = '1000';

/**
 * POST /dev/token: mints a Twitch-shaped extension token signed with the configured secret, for the
 * local play page and for curl. Registered only when HOLDOUT_DEV_TOKENS is on (never in production).
 */
export function registerDevTokenRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/dev/token',
    {
      schema: {
        tags: ['development'],
        summary: 'Mint a development token (development only)',
        body: z
          .strictObject({
            opaqueUserId: z
              .string()
              .regex(/^[UA][A-Za-z0-9_-]{1,63}$/, { error: 'expected U… (logged in) or A… (logged out)' })
              .optional(),
            twitchUserId: z
              .string()
              .regex(/^[0-9]{1,32}$/)
              .optional(),
            channelId: z
              .string()
              .regex(/^[0-9]{1,32}$/)
              .default(DEV_CHANNEL_ID),
            role: z.enum(['broadcaster', 'moderator', 'viewer', 'external']).default('viewer'),
            ttlSeconds: z.number().int().min(10).max(86_400).default(3_600),
          })
          .default({ channelId: DEV_CHANNEL_ID, role: 'viewer', ttlSeconds: 3_600 }),
        response: {
          200: z.object({
            token: z.string(),
            opaqueUserId: z.string(),
            channelId: z.string(),
            role: z.string(),
            expiresAt: z.number(),
          }),
        },
      },
    },
    async (request) => {
      const body = request.body;
      const opaqueUserId = body.opaqueUserId ?? `Udev${randomBytes(6).toString('hex')}`;
      const now = ctx.clock();
      const token = await signTwitchToken(
        ctx.config.TWITCH_EXTENSION_SECRET,
        {
          opaqueUserId,
          channelId: body.channelId,
          role: body.role,
          twitchUserId: body.twitchUserId ?? null,
          ttlSeconds: body.ttlSeconds,
        },
        now,
      );
      return {
        token,
        opaqueUserId,
        channelId: body.channelId,
        role: body.role,
        expiresAt: now + body.ttlSeconds * 1000,
      };
    },
  );
}

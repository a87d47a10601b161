import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  channelOfOverlaySecret,
  overlaySecretOf,
  rotateOverlaySecret,
} from '../../durable/channel-overlays.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import type { ChannelEventViews } from '../channel-event-view.js';
import { currentEventResponse } from '../event-schemas.js';
import { ApiError } from '../problem-errors.js';

/** Where the OBS page lives; the secret rides in the fragment, which browsers never send to a server. */
const OBS_PAGE = '/obs.html';

export class OverlayNotFoundError extends ApiError {
  constructor() {
    super(404, 'overlay_not_found', 'No channel has this overlay URL (it may have been replaced)');
  }
}

const overlayUrl = z.object({
  secret: z.string(),
  path: z.string().describe(`${OBS_PAGE}#<secret>: add it to the API's origin for OBS's browser source`),
});

/**
 * The broadcaster's side of the OBS browser source: read or replace the channel's secret URL
 * (guarded routes, broadcaster only).
 */
export function registerOverlaySecretRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['channel'];
  const answer = (secret: string) => ({ secret, path: `${OBS_PAGE}#${secret}` });
  r.get(
    '/v1/channel/overlay',
    {
      config: { endpoint: 'channel.overlay', budget: 'read', access: 'broadcaster' },
      schema: {
        tags,
        summary: "The channel's secret OBS browser-source URL (broadcaster only; made on first ask)",
        response: { 200: overlayUrl },
      },
    },
    async (request) => answer(await overlaySecretOf(ctx.db, viewerOf(request).channelId)),
  );
  r.post(
    '/v1/channel/overlay/rotate',
    {
      config: { endpoint: 'channel.overlay.rotate', access: 'broadcaster' },
      schema: {
        tags,
        summary: 'Replace the secret: the old OBS URL stops working at once',
        response: { 200: overlayUrl },
      },
    },
    async (request) => answer(await rotateOverlaySecret(ctx.db, viewerOf(request).channelId)),
  );
}

/**
 * GET /overlay/:secret/event: what the OBS page shows, for whoever holds the channel's secret (no
 * Twitch token: OBS has none). The same view as the video overlay's, as a logged-out viewer sees it,
 * counted against the channel's own poll budget.
 */
export function registerOverlayEventRoute(
  app: FastifyInstance,
  ctx: ApiContext,
  views: ChannelEventViews,
): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/overlay/:secret/event',
    {
      schema: {
        tags: ['channel'],
        summary: "The channel's current event for its OBS browser source (the secret is the credential)",
        params: z.strictObject({
          secret: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, { error: 'expected an overlay secret' }),
        }),
        response: { 200: currentEventResponse },
      },
    },
    async (request) => {
      const channelId = await channelOfOverlaySecret(ctx.db, request.params.secret);
      if (channelId === null) throw new OverlayNotFoundError();
      await ctx.rateLimits.consume(`overlay-${channelId}`, 'overlay.event', 'poll');
      return { event: await views.current(channelId, null), canHost: false, yours: null };
    },
  );
}

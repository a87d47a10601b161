import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { participantOf } from '../../durable/channel-events.js';
import { signupBySurvivor } from '../../durable/event-signups.js';
import { EventNotFoundError, NotParticipatingError } from '../../engine/channel-event-errors.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import type { ChannelEventViews } from '../channel-event-view.js';
import { assertEventHost, eventHostRefusal } from '../event-host.js';
import {
  currentEventQuery,
  currentEventResponse,
  eventIdParams,
  eventView,
  openEventBody,
  survivorBody,
} from '../event-schemas.js';

/** The owner of a survivor signed up for an event of the channel; the host names survivors, never users. */
async function participantBySurvivor(
  ctx: ApiContext,
  channelId: string,
  eventId: string,
  survivorId: string,
): Promise<string> {
  const signup = await signupBySurvivor(ctx.db, eventId, survivorId);
  if (!signup || signup.channelId !== channelId) throw new EventNotFoundError(eventId);
  if (signup.userId === null)
    throw new NotParticipatingError(`Survivor ${survivorId} is not signed up for this event`);
  return signup.userId;
}

/**
 * Channel events (issue 16): the broadcaster, or a moderator they allow, opens one, starts it early,
 * cancels it or removes a sign-up; viewers join with one survivor or leave while it signs up; anyone
 * watches the current one (the panel, the live dashboard, the video overlay).
 */
export function registerEventRoutes(app: FastifyInstance, ctx: ApiContext, views: ChannelEventViews): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];

  /** The caller's internal id when they are logged in (to mark their own survivors), else null. */
  const userIdOf = async (request: Parameters<typeof viewerOf>[0]) => {
    const viewer = viewerOf(request);
    return viewer.loggedIn ? ctx.users.userIdOf(viewer) : null;
  };
  /** After a change: this instance's copy is dropped, and the channel's panels are told. */
  const changed = (channelId: string) => {
    views.changed(channelId);
    ctx.notices.event(channelId);
  };
  const currentView = async (channelId: string, userId: string | null) => {
    const event = await views.current(channelId, userId);
    return event!;
  };

  r.get(
    '/v1/events/current',
    {
      config: { endpoint: 'events.current', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "The channel's current event: state, sign-ups, progress, recent highlights, result",
        querystring: currentEventQuery,
        response: { 200: currentEventResponse },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const userId = await userIdOf(request);
      const event = await views.current(viewer.channelId, userId);
      const canHost = viewer.loggedIn && (await eventHostRefusal(ctx, viewer)) === null;
      let yours = null;
      if (event && userId !== null && request.query.yours === 'true') {
        const p = await participantOf(ctx.db, event.id, userId);
        if (p) {
          const reward = p.reward && {
            contribution: p.reward.contribution,
            rank: p.reward.rank,
            xp: p.reward.xp,
          };
          yours = { survivorId: p.survivorId, name: p.survivorName, reward };
        }
      }
      return { event, canHost, yours };
    },
  );

  r.post(
    '/v1/events',
    {
      config: { endpoint: 'events.open' },
      schema: {
        tags,
        summary: 'Open an event and its sign-up window (broadcaster, or a moderator they allow)',
        body: openEventBody,
        response: { 201: eventView },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      await assertEventHost(ctx, viewer);
      await ctx.events.open({
        channelId: viewer.channelId,
        ...request.body,
        openedBy: viewer.twitchUserId ?? viewer.opaqueUserId,
      });
      changed(viewer.channelId);
      return reply.code(201).send(await currentView(viewer.channelId, await userIdOf(request)));
    },
  );

  const hostAction = (
    path: string,
    endpoint: string,
    summary: string,
    act: (ref: { channelId: string; eventId: string }) => Promise<unknown>,
  ) =>
    r.post(
      path,
      {
        config: { endpoint },
        schema: { tags, summary, params: eventIdParams, response: { 200: eventView } },
      },
      async (request) => {
        const viewer = viewerOf(request);
        await assertEventHost(ctx, viewer);
        await act({ channelId: viewer.channelId, eventId: request.params.eventId });
        changed(viewer.channelId);
        return currentView(viewer.channelId, await userIdOf(request));
      },
    );

  hostAction(
    '/v1/events/:eventId/start',
    'events.start',
    'Close the sign-up now: the event starts within a second (host only)',
    (ref) => ctx.events.closeSignup(ref),
  );
  hostAction(
    '/v1/events/:eventId/cancel',
    'events.cancel',
    'Call off an event that is still signing up (host only)',
    (ref) => ctx.events.cancel(ref),
  );

  r.post(
    '/v1/events/:eventId/remove',
    {
      config: { endpoint: 'events.remove' },
      schema: {
        tags,
        summary: 'Take a survivor out of the sign-up (host only: moderation)',
        params: eventIdParams,
        body: survivorBody,
        response: { 200: eventView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      await assertEventHost(ctx, viewer);
      const { eventId } = request.params;
      const ref = { channelId: viewer.channelId, eventId };
      const userId = await participantBySurvivor(ctx, viewer.channelId, eventId, request.body.survivorId);
      await ctx.events.removeParticipant({ ...ref, userId });
      changed(viewer.channelId);
      return currentView(viewer.channelId, await userIdOf(request));
    },
  );

  r.post(
    '/v1/events/:eventId/join',
    {
      config: { endpoint: 'events.join' },
      schema: {
        tags,
        summary: 'Commit one of your survivors (one per viewer; joining again swaps it) while it signs up',
        params: eventIdParams,
        body: survivorBody,
        response: { 200: eventView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      const eventId = request.params.eventId;
      await ctx.events.join({ channelId: viewer.channelId, eventId, userId, ...request.body });
      changed(viewer.channelId);
      return currentView(viewer.channelId, userId);
    },
  );

  r.post(
    '/v1/events/:eventId/leave',
    {
      config: { endpoint: 'events.leave' },
      schema: {
        tags,
        summary: 'Take your survivor back out while it signs up',
        params: eventIdParams,
        response: { 200: eventView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      const eventId = request.params.eventId;
      await ctx.events.removeParticipant({ channelId: viewer.channelId, eventId, userId });
      changed(viewer.channelId);
      return currentView(viewer.channelId, userId);
    },
  );
}

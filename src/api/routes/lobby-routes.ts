import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotInLobbyError } from '../../engine/lobby-errors.js';
import type { LobbyService } from '../../engine/lobby-service.js';
import { MAX_CARRIED_ITEMS } from '../../game/index.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import type { Viewer } from '../auth/twitch-jwt.js';
import { LobbyMemberNotFoundError } from '../problem-errors.js';
import { difficulty, idParam, itemId, lobbyIdParams, lobbyView, locationId } from '../schemas.js';

const started = z.object({ missionId: z.string(), startedAt: z.number(), nextTickAt: z.number() });

export function registerLobbyRoutes(app: FastifyInstance, ctx: ApiContext, lobbies: LobbyService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['lobbies'];
  /** Whose view a lobby is built for (its `mine` flags); a logged-out viewer owns no member. */
  const callerOf = (viewer: Viewer) => (viewer.loggedIn ? ctx.users.userIdOf(viewer) : Promise.resolve(null));
  /** A member's change to a lobby: made as the caller, announced to the channel's panels, shown back. */
  const memberChange = async (
    viewer: Viewer,
    change: (userId: string) => Promise<Parameters<LobbyService['show']>[0]>,
  ) => {
    const userId = await ctx.users.userIdOf(viewer);
    const lobby = await change(userId);
    ctx.notices.lobby(viewer.channelId, lobby.id);
    return lobbies.show(lobby, userId);
  };

  r.get(
    '/v1/lobbies',
    {
      config: { endpoint: 'lobbies.list', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: "The channel's open lobbies",
        response: { 200: z.object({ lobbies: z.array(lobbyView) }) },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const [list, userId] = await Promise.all([lobbies.listChannel(viewer.channelId), callerOf(viewer)]);
      const names = await lobbies.namesIn(list);
      return { lobbies: list.map((l) => lobbies.view(l, userId, names)) };
    },
  );

  r.post(
    '/v1/lobbies',
    {
      config: { endpoint: 'lobbies.create' },
      schema: {
        tags,
        summary: 'Open a lobby for a group mission and wait in it with one of your idle survivors',
        body: z.strictObject({ survivorId: idParam('survivor'), location: locationId, difficulty }),
        response: { 201: lobbyView },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      const lobby = await lobbies.create(viewer, userId, request.body);
      ctx.notices.lobby(viewer.channelId, lobby.id, true);
      return reply.code(201).send(await lobbies.show(lobby, userId));
    },
  );

  r.get(
    '/v1/lobbies/:lobbyId',
    {
      config: { endpoint: 'lobbies.get', budget: 'read', access: 'viewer' },
      schema: {
        tags,
        summary: 'A lobby (410 lobby_expired once it is gone)',
        params: lobbyIdParams,
        response: { 200: lobbyView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const [lobby, userId] = await Promise.all([
        lobbies.get(request.params.lobbyId, viewer.channelId),
        callerOf(viewer),
      ]);
      return lobbies.show(lobby, userId);
    },
  );

  r.post(
    '/v1/lobbies/:lobbyId/join',
    {
      config: { endpoint: 'lobbies.join' },
      schema: {
        tags,
        summary: 'Join with one of your idle survivors (one lobby at a time, 4 members at most)',
        params: lobbyIdParams,
        body: z.strictObject({ survivorId: idParam('survivor') }),
        response: { 200: lobbyView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return memberChange(viewer, (userId) =>
        lobbies.join(viewer, userId, request.params.lobbyId, request.body.survivorId),
      );
    },
  );

  r.put(
    '/v1/lobbies/:lobbyId/ready',
    {
      config: { endpoint: 'lobbies.ready' },
      schema: {
        tags,
        summary: 'Mark yourself ready or not',
        params: lobbyIdParams,
        body: z.strictObject({ ready: z.boolean() }),
        response: { 200: lobbyView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return memberChange(viewer, (userId) =>
        lobbies.setReady(viewer, userId, request.params.lobbyId, request.body.ready),
      );
    },
  );

  r.put(
    '/v1/lobbies/:lobbyId/carry',
    {
      config: { endpoint: 'lobbies.carry' },
      schema: {
        tags,
        summary:
          'Choose the stash items your survivor carries (taken from your stash when the mission starts)',
        params: lobbyIdParams,
        body: z.strictObject({
          carry: z
            .array(itemId)
            .max(MAX_CARRIED_ITEMS)
            .describe('stash items your survivor takes along (used up by the mission); [] carries none'),
        }),
        response: { 200: lobbyView },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      return memberChange(viewer, (userId) =>
        lobbies.setCarry(viewer, userId, request.params.lobbyId, request.body.carry),
      );
    },
  );

  r.post(
    '/v1/lobbies/:lobbyId/leave',
    {
      config: { endpoint: 'lobbies.leave' },
      schema: {
        tags,
        summary: 'Leave (your survivor goes back to idle; the leader hands over; the last one out closes it)',
        params: lobbyIdParams,
        response: { 200: z.object({ lobby: lobbyView.nullable() }) },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      const lobby = await lobbies.leave(viewer, userId, request.params.lobbyId);
      ctx.notices.lobby(viewer.channelId, request.params.lobbyId, lobby === null);
      return { lobby: lobby ? await lobbies.show(lobby, userId) : null };
    },
  );

  r.post(
    '/v1/lobbies/:lobbyId/remove',
    {
      config: { endpoint: 'lobbies.remove', access: 'broadcaster' },
      schema: {
        tags,
        summary: 'Take a survivor out of an open lobby (broadcaster only: moderation); it goes back to idle',
        params: lobbyIdParams,
        body: z.strictObject({ survivorId: idParam('survivor') }),
        response: { 200: z.object({ lobby: lobbyView.nullable() }) },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const { lobbyId } = request.params;
      const member = (await lobbies.get(lobbyId, viewer.channelId)).members.find(
        (m) => m.survivorId === request.body.survivorId,
      );
      if (!member) throw new LobbyMemberNotFoundError(request.body.survivorId);
      // Removed as if they had left: the same checks (the channel, an open lobby) and the same release.
      const lobby = await lobbies.leave(viewer, member.userId, lobbyId).catch((error: unknown) => {
        throw error instanceof NotInLobbyError
          ? new LobbyMemberNotFoundError(request.body.survivorId)
          : error;
      });
      ctx.notices.lobby(viewer.channelId, lobbyId, lobby === null);
      return { lobby: lobby ? await lobbies.show(lobby, await callerOf(viewer)) : null };
    },
  );

  r.post(
    '/v1/lobbies/:lobbyId/start',
    {
      config: { endpoint: 'lobbies.start' },
      schema: {
        tags,
        summary:
          'Start the group mission (any member; 2–4 members, all ready). Racing starts make one mission.',
        params: lobbyIdParams,
        response: { 201: started },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const userId = await ctx.users.userIdOf(viewer);
      const started = await lobbies.start(viewer, userId, request.params.lobbyId);
      ctx.notices.lobby(viewer.channelId, request.params.lobbyId, true);
      return reply.code(201).send(started);
    },
  );
}

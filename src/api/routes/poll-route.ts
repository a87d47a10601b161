import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { PlayerName } from '../../durable/player-names.js';
import { parseActiveMissionRecord } from '../../engine/active-mission-record.js';
import type { LobbyService } from '../../engine/lobby-service.js';
import { type RosterHead, rosterForPoll, splitRoster } from '../../engine/viewer-roster.js';
import { RateLimitedLog } from '../../rate-limited-log.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { readLiveVotes, votesView } from '../live-votes.js';
import { MissionTagFactsCache } from '../mission-tag-facts.js';
import { cursorOf, cursorSchema, parseCursor } from '../poll-cursor.js';
import { ANONYMOUS_ETAG, entityTag } from '../poll-entity-tag.js';
import { namedUsers, toMissionView } from '../poll-mission-view.js';
import { IDLE_POLL_MS, nextPollAt } from '../poll-pace.js';
import { pollResponse } from '../poll-response.js';

const NO_NAMES: ReadonlyMap<string, PlayerName> = new Map();

export function registerPollRoute(app: FastifyInstance, ctx: ApiContext, lobbies: LobbyService): void {
  const staleLog = new RateLimitedLog();
  const tagFacts = new MissionTagFactsCache(ctx.content.rules);
  const rosterAfterMiss = async (userId: string, cursor: string | undefined) => {
    const roster = await rosterForPoll(ctx, userId, () => [...parseCursor(cursor).keys()]);
    if (roster.stale) {
      staleLog.write('stale roster', (suppressed) =>
        ctx.logger.warn({ suppressed }, 'poll served a last known roster: Postgres is unavailable'),
      );
    }
    return roster.json;
  };
  const readLive = (roster: RosterHead) =>
    Promise.all([
      ctx.store.getActiveMissions(roster.missionIds),
      roster.lobbyId ? ctx.lobbies.get(roster.lobbyId) : Promise.resolve(null),
    ]);

  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/poll',
    {
      config: { endpoint: 'poll', budget: 'poll', access: 'viewer', countsOwnCalls: true },
      // A viewer polls about once per tick: thousands a second. Only problems are logged; their rate
      // and latency are in /metrics.
      logLevel: 'warn',
      schema: {
        tags: ['poll'],
        summary:
          'Everything the panel shows, from Redis only; 304 while nothing changed (send If-None-Match)',
        description:
          'The ETag names the state of the viewer (survivors, missions, lobby). A client that applied a response ' +
          'answers with its ETag and cursor; it receives 304 until something changes. Poll again at nextPollAt.',
        querystring: z.strictObject({ cursor: cursorSchema.optional() }),
        response: { 200: pollResponse, 304: z.null().describe('Not Modified') },
      },
      // The body is built as a string here: the hot path skips schema serialization.
      serializerCompiler: () => (data) => (typeof data === 'string' ? data : JSON.stringify(data)),
    },
    async (request, typedReply) => {
      // The body is sent pre-serialized, which the typed reply does not model.
      const reply = typedReply as FastifyReply;
      const viewer = viewerOf(request);
      const now = ctx.clock();
      reply.header('cache-control', 'private, no-cache');
      if (!viewer.loggedIn) {
        await ctx.rateLimits.consume(viewer.opaqueUserId, 'poll', 'poll');
        if (request.headers['if-none-match'] === ANONYMOUS_ETAG) return reply.code(304).send();
        reply.header('etag', ANONYMOUS_ETAG).type('application/json');
        const body = {
          serverTime: now,
          survivors: [],
          missions: [],
          lobby: null,
          cursor: '',
          nextPollAt: now + IDLE_POLL_MS,
        };
        return reply.send(JSON.stringify(body));
      }
      const userId = ctx.users.knownUserIdOf(viewer) ?? (await ctx.users.userIdOf(viewer));
      // The hot path is one round trip: the rate count, the roster and its mission records together.
      const counted = ctx.rateLimits.countedCall(viewer.opaqueUserId, 'poll', 'poll');
      const read = await ctx.viewerCache.readForPoll(userId, counted);
      ctx.rateLimits.judge(read);
      const cached = read.state;
      let rosterRaw = cached?.roster ?? (await rosterAfterMiss(userId, request.query.cursor));
      let roster = splitRoster(rosterRaw);
      let [missionsRaw, lobby] = cached
        ? [cached.missions, roster.head.lobbyId ? await ctx.lobbies.get(roster.head.lobbyId) : null]
        : await readLive(roster.head);
      if (roster.head.lobbyId && !lobby) {
        // The lobby vanished (expired): rebuilding the roster sends its survivor back to idle.
        await ctx.viewerCache.invalidate([userId]);
        rosterRaw = await rosterAfterMiss(userId, request.query.cursor);
        roster = splitRoster(rosterRaw);
        [missionsRaw, lobby] = await readLive(roster.head);
      }
      // The tag is decided before any record is decoded: what it needs of them this process knows
      // from the last time it saw the same bytes, so a 304 decodes nothing.
      const { facts, decoded } = tagFacts.factsOf(roster.head.missionIds, missionsRaw);
      const toName = namedUsers(facts, lobby);
      // Votes under way change what the viewer sees without changing a record: they are in the tag.
      const [names, votes] = await Promise.all([
        toName.length > 0 ? ctx.playerNames.of(toName) : NO_NAMES,
        readLiveVotes(ctx.store.votes, facts),
      ]);
      const etag = entityTag(rosterRaw, missionsRaw, lobby, names, votes);
      reply.header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();

      const after = parseCursor(request.query.cursor);
      const records = missionsRaw
        .filter((raw): raw is string => raw !== null)
        .map((raw, i) => decoded[i] ?? parseActiveMissionRecord(raw));
      const missions = records.map((record, i) =>
        toMissionView(
          record,
          after.get(record.id) ?? 0,
          userId,
          names,
          votesView(record, votes[i]!, userId, ctx.content, now),
        ),
      );
      const rest = {
        missions,
        lobby: lobby ? lobbies.view(lobby.lobby, userId, names) : null,
        cursor: cursorOf(missions),
        nextPollAt: nextPollAt(missions, lobby !== null, now),
      };
      // The survivors go in as cached, already JSON: the body is assembled around them instead of
      // decoding and encoding them again on every poll. The fields keep pollResponse's order.
      const body = `{"serverTime":${now},"survivors":${roster.survivorsJson},${JSON.stringify(rest).slice(1)}`;
      return reply.type('application/json').send(body);
    },
  );
}

import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NO_PLAYER_NAME, type PlayerName } from '../../durable/player-names.js';
import { type ActiveMissionRecord, parseActiveMissionRecord } from '../../engine/active-mission-record.js';
import type { StoredLobby } from '../../ephemeral/lobby-store.js';
import { RateLimitedLog } from '../../rate-limited-log.js';
import type { ApiContext } from '../api-context.js';
import { viewerOf } from '../auth/guard.js';
import { type LiveVotes, readLiveVotes, votesView } from '../live-votes.js';
import type { LobbyService } from '../lobby-service.js';
import { choiceView, lobbyView, playerFields, retreatVoteView, survivorView } from '../schemas.js';
import { type RosterHead, rosterForPoll, splitRoster } from '../viewer-roster.js';

/** Poll this long after a tick is due, so that the tick has landed, in ms. */
const AFTER_TICK_MS = 300;
/** Random spread added to nextPollAt so that viewers do not poll in lockstep, in ms. */
const POLL_JITTER_MS = 400;
/** With no mission running: how often to poll, in ms (faster while waiting in a lobby). */
const IDLE_POLL_MS = 5_000;
const LOBBY_POLL_MS = 2_000;
/** A mission that ended waits for its result (XP, supplies home): poll again this soon, in ms. */
const SETTLING_POLL_MS = 500;

/** `missionId:tick` pairs: for each mission, the last tick whose line the client has. */
const cursorSchema = z
  .string()
  .regex(/^([1-9][0-9]{0,17}:[0-9]{1,7}(,[1-9][0-9]{0,17}:[0-9]{1,7}){0,15})?$/, {
    error: 'expected the cursor of the previous poll',
  });

function parseCursor(cursor: string | undefined): Map<string, number> {
  const ticks = new Map<string, number>();
  if (!cursor) return ticks;
  for (const pair of cursor.split(',')) {
    const [id, tick] = pair.split(':');
    ticks.set(id!, Number(tick));
  }
  return ticks;
}

const missionView = z.object({
  id: z.string(),
  kind: z.enum(['solo', 'group']),
  channelId: z.string(),
  status: z.enum(['active', 'succeeded', 'failed', 'retreated']),
  location: z.string(),
  difficulty: z.number(),
  tick: z.number(),
  length: z.number(),
  startedAt: z.number(),
  intervalMs: z.number(),
  nextTickAt: z.number().nullable(),
  supplies: z.number(),
  party: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      mine: z.boolean().describe("the caller's own survivor (internal user ids are never shown)"),
      ...playerFields,
      health: z.number(),
      maxHealth: z.number(),
      stamina: z.number(),
      maxStamina: z.number(),
      downed: z.boolean(),
      dead: z.boolean(),
      status: z.array(z.string()),
    }),
  ),
  weather: z.string().nullable().describe('weather modifier id (names in the catalog)'),
  time: z.string().nullable().describe('time-of-day modifier id'),
  lines: z.array(
    z.object({
      tick: z.number(),
      text: z
        .string()
        .describe('one line; the first and last tick may carry an opening/closing line after a newline'),
      at: z.number(),
      tags: z.array(z.string()).optional().describe('perk:…, status:…, weather:…, time:… that acted'),
      mark: z.enum(['death', 'down', 'revive', 'find']).optional().describe('a key moment'),
      choice: z.string().optional().describe('the stance this tick applied, at a choice point'),
    }),
  ),
  missedLines: z.boolean().describe('older lines than these are new to the client: read them from /log'),
  result: z.unknown().nullable(),
  choice: choiceView.nullable().describe('the choice point open now, with its votes'),
  retreatVote: retreatVoteView.nullable().describe("a group's vote to retreat (null solo)"),
});

export const pollResponse = z
  .object({
    serverTime: z.number(),
    survivors: z.array(survivorView),
    missions: z.array(missionView),
    lobby: lobbyView.nullable(),
    cursor: z.string().describe('send back as ?cursor= to receive only new lines'),
    nextPollAt: z.number().describe('ms since the epoch: poll again then (just after the next tick)'),
  })
  .meta({ id: 'Poll' });

/** The users whose names a poll shows: the members of its lobby and of its group missions. */
function namedUsers(records: readonly ActiveMissionRecord[], lobby: StoredLobby | null): string[] {
  const ids = records.filter((r) => r.kind === 'group').flatMap((r) => r.members.map((m) => m.userId));
  if (lobby) ids.push(...lobby.lobby.members.map((m) => m.userId));
  return ids;
}

/**
 * A live mission as the user `userId` sees it: lines after tick `after`; whose survivors are theirs;
 * their owners by `names`; the votes under way.
 */
function toMissionView(
  record: ActiveMissionRecord,
  after: number,
  userId: string,
  names: ReadonlyMap<string, PlayerName>,
  votes: ReturnType<typeof votesView>,
) {
  const { state } = record;
  const lines = record.recent.filter((line) => line.tick > after);
  return {
    id: record.id,
    kind: record.kind,
    channelId: record.channelId,
    status: state.status,
    location: state.location,
    difficulty: state.difficulty,
    tick: record.tick,
    length: state.length,
    startedAt: record.startedAt,
    intervalMs: record.intervalMs,
    nextTickAt: record.nextTickAt,
    supplies: state.supplies,
    weather: state.modifiers[0] ?? null,
    time: state.modifiers[1] ?? null,
    party: state.party.map((m) => ({
      id: m.id,
      name: m.name,
      mine: record.members.some((x) => x.survivorId === m.id && x.userId === userId),
      ...playerOf(record, m.id, names),
      health: m.health,
      maxHealth: m.maxHealth,
      stamina: m.stamina,
      maxStamina: m.maxStamina,
      downed: m.downed,
      dead: m.dead,
      status: Object.keys(m.status),
    })),
    lines,
    missedLines: lines.length > 0 && lines[0]!.tick > after + 1,
    result: record.result ?? null,
    ...votes,
  };
}

/**
 * The entity tag of a viewer's state: a hash of the raw Redis values the poll reads, before any
 * parsing, and of the names and votes it shows.
 */
function entityTag(
  roster: string,
  missions: (string | null)[],
  lobby: StoredLobby | null,
  names: ReadonlyMap<string, PlayerName>,
  votes: readonly LiveVotes[],
): string {
  let state = roster;
  for (const m of missions) state += `\n${m ?? '-'}`;
  if (votes.some((v) => v.choice || v.retreat)) state += `\n${JSON.stringify(votes)}`;
  state += lobby ? `\n${lobby.lobby.id}:${lobby.version}` : '\n-';
  // The names shown: one fetched (or a title bought) later changes the tag.
  for (const [id, name] of names) state += `\n${id}=${name.player ?? ''}|${name.playerTitle ?? ''}`;
  // One-shot hashing: one call into the crypto binding instead of one per part.
  return `"${hash('sha1', state, 'base64url')}"`;
}

const ANONYMOUS_ETAG = '"anonymous"';
const NO_NAMES: ReadonlyMap<string, PlayerName> = new Map();

/** How the owner of survivor `survivorId` in `record` is shown. */
function playerOf(
  record: ActiveMissionRecord,
  survivorId: string,
  names: ReadonlyMap<string, PlayerName>,
): PlayerName {
  const owner = record.members.find((x) => x.survivorId === survivorId)?.userId;
  return (owner !== undefined && names.get(owner)) || NO_PLAYER_NAME;
}

export function registerPollRoute(app: FastifyInstance, ctx: ApiContext, lobbies: LobbyService): void {
  const staleLog = new RateLimitedLog();
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
      const records = missionsRaw
        .filter((raw): raw is string => raw !== null)
        .map((raw) => parseActiveMissionRecord(raw));
      const toName = namedUsers(records, lobby);
      // Votes under way change what the viewer sees without changing a record: they are in the tag.
      const [names, votes] = await Promise.all([
        toName.length > 0 ? ctx.playerNames.of(toName) : NO_NAMES,
        readLiveVotes(ctx.store, ctx.content, records),
      ]);
      const etag = entityTag(rosterRaw, missionsRaw, lobby, names, votes);
      reply.header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();

      const after = parseCursor(request.query.cursor);
      const missions = records.map((record, i) =>
        toMissionView(
          record,
          after.get(record.id) ?? 0,
          userId,
          names,
          votesView(record, votes[i]!, userId, ctx.content, now),
        ),
      );
      const nextTicks = missions.map((m) => m.nextTickAt).filter((t): t is number => t !== null);
      // An ended mission without its result yet (a retreat, a last tick) shows its result box soon
      // after, not an idle poll later.
      const settling = missions.some((m) => m.status !== 'active' && m.result === null);
      const base = settling
        ? now + SETTLING_POLL_MS
        : nextTicks.length > 0
          ? Math.max(now, Math.min(...nextTicks)) + AFTER_TICK_MS
          : now + (lobby ? LOBBY_POLL_MS : IDLE_POLL_MS);
      const rest = {
        missions,
        lobby: lobby ? lobbies.view(lobby.lobby, userId, names) : null,
        cursor: missions.map((m) => `${m.id}:${m.tick}`).join(','),
        nextPollAt: Math.round(base + Math.random() * POLL_JITTER_MS),
      };
      // The survivors go in as cached, already JSON: the body is assembled around them instead of
      // decoding and encoding them again on every poll. The fields keep pollResponse's order.
      const body = `{"serverTime":${now},"survivors":${roster.survivorsJson},${JSON.stringify(rest).slice(1)}`;
      return reply.type('application/json').send(body);
    },
  );
}

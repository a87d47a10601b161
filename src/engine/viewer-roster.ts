import type { Config } from '../config.js';
import type { Database } from '../durable/database.js';
import { isPostgresUnavailable } from '../durable/postgres-outage.js';
import {
  activeMissionsOf,
  listRoster,
  recentlyEndedMissionsOf,
  releaseSurvivorsFromLobby,
  type SurvivorRecord,
  wakeRecoveredSurvivors,
} from '../durable/survivors.js';
import type { LobbyStore } from '../ephemeral/lobby-store.js';
import { ROSTER_HEAD, type ViewerCache } from '../ephemeral/viewer-cache.js';
import type { Survivor } from '../game/index.js';

/** A survivor as the panel shows it: the game's survivor, its pending perk offers, its lobby and mission. */
export interface SurvivorView extends Survivor, Pick<SurvivorRecord, 'perkOffers' | 'lobbyId'> {
  /** The active mission of a survivor on_mission, else its mission that ended lately, else null. */
  missionId: string | null;
  /** Dead by the player's choice, not fallen on a mission. */
  retired: boolean;
}

/** `viewer:{userId}`: everything the poll needs to know from Postgres, cached. */
export interface Roster {
  userId: string;
  survivors: SurvivorView[];
  /** The lobby the viewer waits in (a viewer is in one lobby at a time). */
  lobbyId: string | null;
  /** Missions whose state the poll reads from Redis: active ones and those that ended lately. */
  missionIds: string[];
  builtAt: number;
}

/** A roster's fields but its survivors: what the poll decides on and reads by. */
export type RosterHead = Omit<Roster, 'survivors'>;

const SURVIVORS_FIELD = ',"survivors":';

/**
 * The cached form of a roster: JSON with missionIds first (viewer-cache.ts finds them without
 * decoding it) and survivors last (the poll passes them into its body without decoding them).
 */
export function serializeRoster({ missionIds, lobbyId, userId, builtAt, survivors }: Roster): string {
  return JSON.stringify({ missionIds, lobbyId, userId, builtAt, survivors });
}

/** A cached roster as its head and its survivors' JSON. A roster cached in another layout is decoded in full. */
export function splitRoster(json: string): { head: RosterHead; survivorsJson: string } {
  // `,"survivors":` cannot occur inside a JSON string (its quote would be escaped): the first is the field.
  const at = json.indexOf(SURVIVORS_FIELD);
  if (at > 0 && json.startsWith(ROSTER_HEAD) && json.endsWith(']}')) {
    return {
      head: JSON.parse(`${json.slice(0, at)}}`) as RosterHead,
      survivorsJson: json.slice(at + SURVIVORS_FIELD.length, -1),
    };
  }
  const { survivors, ...head } = JSON.parse(json) as Roster;
  return { head, survivorsJson: JSON.stringify(survivors) };
}

/** What the roster services read and write: Postgres, the lobbies and the roster cache in Redis, the clock. */
export interface RosterDeps {
  db: Database;
  lobbies: Pick<LobbyStore, 'getMany'>;
  viewerCache: ViewerCache;
  clock: () => number;
  config: Pick<Config, 'VIEWER_CACHE_TTL_MS'>;
}

/** How long after its end a mission's result stays on its survivors' cards, in ms. */
const RESULT_VISIBLE_MS = 10 * 60 * 1000;
/** A cached roster is never kept less than this, in ms. */
const MIN_CACHE_TTL_MS = 1_000;

export function toSurvivorView(s: SurvivorRecord, missionId: string | null = null): SurvivorView {
  return {
    id: s.id,
    name: s.name,
    attributes: s.attributes,
    health: s.health,
    maxHealth: s.maxHealth,
    stamina: s.stamina,
    maxStamina: s.maxStamina,
    level: s.level,
    xp: s.xp,
    perkSlots: s.perkSlots,
    perks: s.perks,
    perkOffers: s.perkOffers,
    state: s.state,
    stateUntil: s.stateUntil,
    retired: s.state === 'dead' && s.retiredAt !== null,
    lobbyId: s.lobbyId,
    missionId,
  };
}

/**
 * Brings a user's survivors up to date with time and with Redis before they are read: recoveries that
 * are over end, and survivors whose lobby vanished (expired, Redis lost) go back to idle.
 */
export async function settleSurvivors(ctx: RosterDeps, userId: string): Promise<void> {
  const now = ctx.clock();
  const woke = await wakeRecoveredSurvivors(ctx.db, userId, now);
  const lobbyIds = [
    ...new Set(
      (await listRoster(ctx.db, userId))
        .filter((s) => s.state === 'in_lobby' && s.lobbyId)
        .map((s) => s.lobbyId!),
    ),
  ];
  const found = await ctx.lobbies.getMany(lobbyIds);
  let released = 0;
  for (const [i, lobbyId] of lobbyIds.entries()) {
    // Only a vanished lobby lets go: a join in flight is in Postgres before it is in the lobby.
    if (found[i]) continue;
    released += (await releaseSurvivorsFromLobby(ctx.db, lobbyId, null)).length;
  }
  if (woke > 0 || released > 0) await ctx.viewerCache.invalidate([userId]);
}

export async function buildRoster(ctx: RosterDeps, userId: string): Promise<Roster> {
  const records = await listRoster(ctx.db, userId);
  const ids = records.map((s) => s.id);
  const [active, ended] = await Promise.all([
    activeMissionsOf(ctx.db, ids),
    recentlyEndedMissionsOf(ctx.db, ids, ctx.clock() - RESULT_VISIBLE_MS),
  ]);
  const survivors = records.map((s) => toSurvivorView(s, active.get(s.id) ?? ended.get(s.id) ?? null));
  return {
    missionIds: [...new Set(survivors.map((s) => s.missionId).filter((id): id is string => id !== null))],
    userId,
    survivors,
    lobbyId: survivors.find((s) => s.state === 'in_lobby')?.lobbyId ?? null,
    builtAt: ctx.clock(),
  };
}

function cacheTtl(ctx: RosterDeps, roster: Roster): number {
  // A recovery that ends changes what the panel shows: the cached roster must not outlive it.
  const ends = roster.survivors.map((s) => s.stateUntil).filter((t): t is number => t !== null);
  const until = Math.min(ctx.clock() + ctx.config.VIEWER_CACHE_TTL_MS, ...ends);
  return Math.max(MIN_CACHE_TTL_MS, until - ctx.clock());
}

/**
 * The viewer's roster JSON after a cache miss: rebuilt from Postgres and cached under a lease (see
 * ViewerCache). The poll reads `viewer:{userId}` itself, in its one round trip, before it calls this.
 */
export async function rebuildRosterJson(ctx: RosterDeps, userId: string): Promise<string> {
  await settleSurvivors(ctx, userId);
  const lease = await ctx.viewerCache.lease(userId);
  const roster = await buildRoster(ctx, userId);
  const json = serializeRoster(roster);
  if (lease) await ctx.viewerCache.fill(userId, lease, json, cacheTtl(ctx, roster));
  return json;
}

/**
 * The roster JSON after a cache miss, for the poll. While Postgres cannot rebuild it (an outage), the
 * viewer's last known roster instead, or, if none is kept, a roster of the missions the client is
 * following (its cursor) and no survivors: the missions' records come from Redis, which still
 * ticks them. `stale` says which was served.
 */
export async function rosterForPoll(
  ctx: RosterDeps,
  userId: string,
  followedMissionIds: () => string[],
): Promise<{ json: string; stale: boolean }> {
  try {
    return { json: await rebuildRosterJson(ctx, userId), stale: false };
  } catch (error) {
    if (!isPostgresUnavailable(error)) throw error;
    const last = await ctx.viewerCache.lastKnown(userId);
    if (last !== null) return { json: last, stale: true };
    const missionIds = followedMissionIds();
    if (missionIds.length === 0) throw error;
    const roster = { missionIds, lobbyId: null, userId, builtAt: ctx.clock(), survivors: [] };
    return { json: serializeRoster(roster), stale: true };
  }
}

import { randomBytes } from 'node:crypto';
import type { EphemeralStore } from './ephemeral-store.js';
import { defineScripts, luaScript, runScript } from './lua-scripts.js';
import { RedisStore } from './redis-store.js';

const fillScript = luaScript('fill-viewer-cache', 2);
const countScript = luaScript('count-poll', 1);
/** How a cached roster begins (viewer-roster.ts writes missionIds first): its missions are found without decoding it. */
export const ROSTER_HEAD = '{"missionIds":';
const LEASE_PREFIX = 'lease:';
/** How long a rebuild may take before another caller may try its own, in ms. */
const LEASE_TTL_MS = 5_000;
/**
 * How long a viewer's last built roster is kept for polls during a Postgres outage, in ms: longer
 * than the outages the engine rides out, short enough that a departed viewer's copy goes. @default 1 h
 */
export const LAST_KNOWN_ROSTER_TTL_MS = 3_600_000;
const defined = new WeakSet<object>();

/** Viewers whose roster's mission ids one process keeps (an id list each, ~100 bytes). */
const MISSION_IDS_SEEN_MAX = 100_000;

function missionIdsOf(roster: string): string[] {
  const ids = roster.startsWith(ROSTER_HEAD) ? leadingMissionIds(roster) : null;
  return ids ?? (JSON.parse(roster) as { missionIds?: string[] }).missionIds ?? [];
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** The mission ids at the head of a roster, read without decoding the rest of it (null if unusual). */
function leadingMissionIds(roster: string): string[] | null {
  const end = roster.indexOf(']', ROSTER_HEAD.length);
  if (end < 0) return null;
  try {
    return JSON.parse(roster.slice(ROSTER_HEAD.length, end + 1)) as string[];
  } catch {
    return null;
  }
}

/** A call to count against a fixed-window budget, in the store's counter at `key`. */
export interface CountedCall {
  key: string;
  windowMs: number;
  /** calls allowed per window */
  budget: number;
}

/** What the poll reads: how its call counted, and the viewer's state unless over budget or not cached. */
export interface PollRead {
  /** Calls counted in the current window, this one included. */
  calls: number;
  /** Over budget: the time left in the window, in ms (Retry-After). Null within budget. */
  refusedForMs: number | null;
  state: { roster: string; missions: (string | null)[] } | null;
}

/**
 * The viewer roster cache, `viewer:{userId}`: what the poll shows of a viewer's survivors, built from
 * Postgres on a miss and deleted by whoever changes the roster (API, engine).
 *
 * A rebuild takes a lease first (the key holds `lease:<token>`) and writes only while the lease is
 * still there. A change deletes the key, lease included, so a roster read from Postgres before a
 * change can never overwrite the deletion that change made (the stale-set race of look-aside caches).
 */
export class ViewerCache {
  constructor(private readonly store: EphemeralStore) {
    if (store instanceof RedisStore && !defined.has(store.redis)) {
      defineScripts(store.redis, [fillScript, countScript]);
      defined.add(store.redis);
    }
  }

  /** The cached roster JSON, or null on a miss (a pending lease counts as a miss). */
  async get(userId: string): Promise<string | null> {
    const value = await this.store.getValue(this.store.keys.viewer(userId));
    return value === null || value.startsWith(LEASE_PREFIX) ? null : value;
  }

  /**
   * The poll's read: counts the call on `counted` first, then (within budget) the cached roster and the
   * records of the missions it names. The records live in their schedule shards' slots, not the
   * roster's, so they are read beside the roster by the mission ids this process last saw in the
   * viewer's roster: one round trip while those still hold (rosters change at a start or an end), a
   * second for the records when they do not. `state` is null on a miss and over budget; records come
   * in the roster's missionIds order, null where gone.
   */
  async readForPoll(userId: string, counted: CountedCall): Promise<PollRead> {
    if (this.store instanceof RedisStore) {
      const expected = this.missionIdsSeen.get(userId) ?? [];
      const [[calls, ttlMs], roster, guessed] = await Promise.all([
        runScript(
          this.store.redis,
          countScript,
          [counted.key],
          [counted.windowMs, counted.budget],
        ) as Promise<[number, number]>,
        this.get(userId),
        expected.length > 0 ? this.store.getActiveMissions(expected) : Promise.resolve([]),
      ]);
      if (calls > counted.budget) return { calls, refusedForMs: ttlMs, state: null };
      if (roster === null) return { calls, refusedForMs: null, state: null };
      const ids = missionIdsOf(roster);
      if (sameIds(ids, expected)) return { calls, refusedForMs: null, state: { roster, missions: guessed } };
      this.rememberMissionIds(userId, ids);
      const missions = ids.length > 0 ? await this.store.getActiveMissions(ids) : [];
      return { calls, refusedForMs: null, state: { roster, missions } };
    }
    const { count: calls, ttlMs } = await this.store.incrementCounter(counted.key, counted.windowMs);
    if (calls > counted.budget) return { calls, refusedForMs: ttlMs, state: null };
    const roster = await this.get(userId);
    return {
      calls,
      refusedForMs: null,
      state: roster === null ? null : { roster, missions: await this.missionsOf(roster) },
    };
  }

  private missionsOf(roster: string): Promise<(string | null)[]> {
    const ids = missionIdsOf(roster);
    return ids.length > 0 ? this.store.getActiveMissions(ids) : Promise.resolve([]);
  }

  /** The mission ids of each viewer's roster as last read here: what the next poll reads beside it. */
  private readonly missionIdsSeen = new Map<string, readonly string[]>();

  private rememberMissionIds(userId: string, ids: readonly string[]): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.missionIdsSeen.size >= MISSION_IDS_SEEN_MAX) {
      this.missionIdsSeen.delete(this.missionIdsSeen.keys().next().value!);
    }
    this.missionIdsSeen.set(userId, ids);
  }

  /** Takes the lease for a rebuild; null when another caller holds one (rebuild, but do not write). */
  async lease(userId: string): Promise<string | null> {
    const token = `${LEASE_PREFIX}${randomBytes(8).toString('hex')}`;
    const taken = await this.store.acquireLock(this.store.keys.viewer(userId), token, LEASE_TTL_MS);
    return taken ? token : null;
  }

  /**
   * Writes the rebuilt roster if `lease` is still in place; false if a change came in between. The
   * same roster becomes the viewer's last known one (see lastKnown).
   */
  async fill(userId: string, lease: string, json: string, ttlMs: number): Promise<boolean> {
    const key = this.store.keys.viewer(userId);
    const lastKey = this.store.keys.viewerLastKnown(userId);
    if (this.store instanceof RedisStore) {
      const args = [lease, json, ttlMs, LAST_KNOWN_ROSTER_TTL_MS];
      return (await runScript(this.store.redis, fillScript, [key, lastKey], args)) === 1;
    }
    // In-process (one process, embedded mode): only one microtask separates the check from the write.
    if ((await this.store.getValue(key)) !== lease) return false;
    await this.store.setValue(key, json, ttlMs);
    await this.store.setValue(lastKey, json, LAST_KNOWN_ROSTER_TTL_MS);
    return true;
  }

  /**
   * The roster last built for this viewer, kept an hour and not dropped by changes: possibly out of
   * date, for the poll to show while Postgres cannot rebuild it. Null if none.
   */
  lastKnown(userId: string): Promise<string | null> {
    return this.store.getValue(this.store.keys.viewerLastKnown(userId));
  }

  /** Drops the cached rosters of these users: call after every change to their survivors. */
  async invalidate(userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.store.deleteKeys(userIds.map((id) => this.store.keys.viewer(id)));
  }
}

import { Redis } from 'ioredis';
import type { ClaimDueOptions, ClaimedMission, CounterValue, EphemeralStore } from './ephemeral-store.js';
import { type KeyNames, keyNames } from './keys.js';
import { defineScripts, type LuaScript, luaScript, runScript } from './lua-scripts.js';

const scripts = {
  claimDueMissions: luaScript('claim-due-missions', 1),
  releaseLock: luaScript('release-lock', 1),
  extendLock: luaScript('extend-lock', 1),
  incrementCounter: luaScript('increment-counter', 1),
} as const satisfies Record<string, LuaScript>;

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key; isolates tests and side-by-side deployments. @default '' */
  keyPrefix?: string;
  /** Extra scripts for modules built on this store (engine, lobbies). */
  scripts?: readonly LuaScript[];
}

/** The ephemeral store on a real Redis through ioredis. */
export class RedisStore implements EphemeralStore {
  readonly kind = 'redis' as const;
  readonly keys: KeyNames;
  readonly redis: Redis;

  constructor(options: RedisStoreOptions) {
    this.keys = keyNames(options.keyPrefix ?? '');
    this.redis = new Redis(options.url, {
      lazyConnect: false,
      // Fail fast while Redis is down instead of queueing commands forever; callers retry on their own loop.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    });
    // Connection errors surface through failed commands; an unhandled 'error' event would kill the process.
    this.redis.on('error', () => undefined);
    defineScripts(this.redis, [...Object.values(scripts), ...(options.scripts ?? [])]);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  getActiveMission(missionId: string): Promise<string | null> {
    return this.redis.get(this.keys.activeMission(missionId));
  }

  async getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]> {
    if (missionIds.length === 0) return [];
    return this.redis.mget(missionIds.map((id) => this.keys.activeMission(id)));
  }

  async setActiveMission(missionId: string, stateJson: string): Promise<void> {
    await this.redis.set(this.keys.activeMission(missionId), stateJson);
  }

  async deleteActiveMission(missionId: string): Promise<void> {
    await this.redis.del(this.keys.activeMission(missionId));
  }

  async scheduleMission(missionId: string, dueAt: number): Promise<void> {
    await this.redis.zadd(this.keys.missionsDue, dueAt, missionId);
  }

  async unscheduleMission(missionId: string): Promise<void> {
    await this.redis.zrem(this.keys.missionsDue, missionId);
  }

  async dueAt(missionId: string): Promise<number | null> {
    const score = await this.redis.zscore(this.keys.missionsDue, missionId);
    return score === null ? null : Number(score);
  }

  async claimDueMissions(options: ClaimDueOptions): Promise<ClaimedMission[]> {
    const flat = (await runScript(
      this.redis,
      scripts.claimDueMissions,
      [this.keys.missionsDue],
      [options.now, options.limit, options.lockTtlMs, options.token, this.keys.tickLock('')],
    )) as string[];
    const claimed: ClaimedMission[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      claimed.push({ missionId: flat[i]!, dueAt: Number(flat[i + 1]) });
    }
    return claimed;
  }

  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async releaseLock(key: string, token: string): Promise<boolean> {
    return (await runScript(this.redis, scripts.releaseLock, [key], [token])) === 1;
  }

  async extendLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await runScript(this.redis, scripts.extendLock, [key], [token, ttlMs])) === 1;
  }

  async incrementCounter(key: string, ttlMs: number): Promise<CounterValue> {
    const [count, ttl] = (await runScript(this.redis, scripts.incrementCounter, [key], [ttlMs])) as [
      number,
      number,
    ];
    return { count, ttlMs: ttl };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

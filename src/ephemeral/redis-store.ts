import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import type { BroadcastQueue } from './broadcast-queue.js';
import { CoalescingRedis } from './coalescing-redis.js';
import {
  type ClaimDueOptions,
  type ClaimedMission,
  type CommitOutcome,
  type CounterValue,
  type EphemeralStore,
  EVENT_HIGHLIGHTS_KEPT,
  type EventBoard,
  type OutboxEntry,
  type TickCommit,
} from './ephemeral-store.js';
import { type KeyNames, keyNames } from './keys.js';
import type { LobbyStore } from './lobby-store.js';
import { defineScripts, type LuaScript, luaScript, runScript } from './lua-scripts.js';
import type { MissionVoteStore } from './mission-votes.js';
import { RedisBroadcastQueue } from './redis-broadcast-queue.js';
import { RedisLobbyStore } from './redis-lobby-store.js';
import { missionVoteScripts, RedisMissionVotes } from './redis-mission-votes.js';
import { RedisOutbox } from './redis-outbox.js';

const scripts = {
  claimDueMissions: luaScript('claim-due-missions', 1),
  releaseLock: luaScript('release-lock', 1),
  extendLock: luaScript('extend-lock', 1),
  incrementCounter: luaScript('increment-counter', 1),
  // Its keys vary with the batch: each call passes their count first (see commitTicks).
  commitTicks: luaScript('commit-ticks', null),
  restoreActiveMission: luaScript('restore-active-mission', 2),
  settleActiveMission: luaScript('settle-active-mission', 3),
  // The tick commit of channel events' missions: keys vary with the batch, as commitTicks'.
  commitEventTicks: luaScript('commit-event-ticks', null),
  restoreEventBoard: luaScript('restore-event-board', 3),
  setEventStatus: luaScript('set-event-status', 1),
} as const satisfies Record<string, LuaScript>;

/**
 * How long a command may wait for its reply, queued or sent, in ms. A Redis that accepts connections
 * and drops them (a proxy in front of a dead server) would otherwise keep commands queued forever:
 * ioredis restarts its retry count on every connect. Far above the slowest script (a 1,000-tick
 * commit takes ~20 ms). @default 5000
 */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 5_000;

/** Most ticks committed by one script call: bounds how long one call keeps Redis from other clients. */
const COMMITS_PER_CALL = 1_000;

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every key; isolates tests and side-by-side deployments. @default '' */
  keyPrefix?: string;
  /** Extra scripts for modules built on this store (engine, lobbies). */
  scripts?: readonly LuaScript[];
  /** See DEFAULT_REDIS_COMMAND_TIMEOUT_MS. @default 5000 */
  commandTimeoutMs?: number;
  /**
   * Told of every connection error (refused, reset, on each reconnect attempt): the process logs and
   * counts them (store-metrics.ts). Commands' own errors reach their callers instead. @default ignore
   */
  onConnectionError?: (error: Error) => void;
}

/** The ephemeral store on a real Redis through ioredis. */
export class RedisStore implements EphemeralStore {
  readonly kind = 'redis' as const;
  readonly keys: KeyNames;
  readonly votes: MissionVoteStore;
  readonly lobbies: LobbyStore;
  readonly broadcasts: BroadcastQueue;
  /** The connection, for the modules of src/ephemeral/ built on it; nothing outside that folder reaches it. */
  readonly redis: Redis;
  private readonly outbox: RedisOutbox;

  constructor(options: RedisStoreOptions) {
    this.keys = keyNames(options.keyPrefix ?? '');
    this.redis = new CoalescingRedis(options.url, {
      lazyConnect: false,
      // Fail fast while Redis is down instead of queueing commands forever; callers retry on their own loop.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
      commandTimeout: options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
    });
    // An unhandled 'error' event would kill the process; commands fail on their own (redis-outage.ts).
    this.redis.on('error', (error: Error) => options.onConnectionError?.(error));
    defineScripts(this.redis, [
      ...Object.values(scripts),
      ...Object.values(missionVoteScripts),
      ...(options.scripts ?? []),
    ]);
    this.outbox = new RedisOutbox(this.redis, this.keys.missionLogOutbox);
    this.votes = new RedisMissionVotes(this.redis, this.keys);
    this.lobbies = new RedisLobbyStore(this.redis, this.keys);
    this.broadcasts = new RedisBroadcastQueue(this.redis, this.keys, this);
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  connected(): boolean {
    return this.redis.status === 'ready';
  }

  rateLimiter(points: number, durationS: number): RateLimiterAbstract {
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: this.keys.rateLimitPrefix,
      points,
      duration: durationS,
    });
  }

  getActiveMission(missionId: string): Promise<string | null> {
    return this.redis.get(this.keys.activeMission(missionId));
  }

  async getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]> {
    if (missionIds.length === 0) return [];
    return this.redis.mget(missionIds.map((id) => this.keys.activeMission(id)));
  }

  async deleteActiveMission(missionId: string): Promise<void> {
    await this.redis.del(this.keys.activeMission(missionId));
  }

  async unscheduleMission(missionId: string): Promise<void> {
    await this.redis.zrem(this.keys.missionsDue, missionId);
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

  async setValue(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'PX', ttlMs);
  }

  getValue(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async getValues(keys: readonly string[]): Promise<(string | null)[]> {
    return keys.length === 0 ? [] : this.redis.mget([...keys]);
  }

  async deleteKeys(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys);
  }

  async commitTicks(commits: readonly TickCommit[]): Promise<CommitOutcome[]> {
    if (commits.length === 0) return [];
    // Channel events' ticks go through their own script; ordinary ticks keep the lean one.
    const plain = commits.filter((c) => !c.event);
    if (plain.length === commits.length) return this.commitPlainTicks(commits);
    const withEvent = commits.filter((c) => c.event);
    const [plainOutcomes, eventOutcomes] = await Promise.all([
      this.commitPlainTicks(plain),
      this.commitEventTicks(withEvent),
    ]);
    let p = 0;
    let e = 0;
    return commits.map((c) => (c.event ? eventOutcomes[e++]! : plainOutcomes[p++]!));
  }

  private async commitEventTicks(commits: readonly TickCommit[]): Promise<CommitOutcome[]> {
    if (commits.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (let first = 0; first < commits.length; first += COMMITS_PER_CALL) {
      const batch = commits.slice(first, first + COMMITS_PER_CALL);
      const keys = [this.keys.missionsDue, this.keys.missionLogOutbox];
      const args: (string | number)[] = [EVENT_HIGHLIGHTS_KEPT];
      const highlights: string[] = [];
      for (const commit of batch) {
        const event = commit.event!;
        keys.push(
          this.keys.activeMission(commit.missionId),
          this.keys.tickLock(commit.missionId),
          this.keys.channelEvent(event.eventId),
          this.keys.eventContributions(event.eventId),
          this.keys.eventHighlights(event.eventId),
        );
        args.push(...commitArgs(commit), event.contribution, event.userId);
        highlights.push(event.highlight ?? '');
      }
      void runScript(
        pipeline,
        scripts.commitEventTicks,
        [String(keys.length), ...keys],
        [...args, ...highlights],
      );
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, outcomes]) => {
      if (error) throw error;
      return outcomes as CommitOutcome[];
    });
  }

  private async commitPlainTicks(commits: readonly TickCommit[]): Promise<CommitOutcome[]> {
    if (commits.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (let first = 0; first < commits.length; first += COMMITS_PER_CALL) {
      const batch = commits.slice(first, first + COMMITS_PER_CALL);
      const keys = [this.keys.missionsDue, this.keys.missionLogOutbox];
      const args: (string | number)[] = [];
      for (const commit of batch) {
        keys.push(this.keys.activeMission(commit.missionId), this.keys.tickLock(commit.missionId));
        args.push(...commitArgs(commit));
      }
      void runScript(pipeline, scripts.commitTicks, [String(keys.length), ...keys], args);
    }
    const replies = (await pipeline.exec()) ?? [];
    return replies.flatMap(([error, outcomes]) => {
      if (error) throw error;
      return outcomes as CommitOutcome[];
    });
  }

  async restoreActiveMission(missionId: string, recordJson: string, dueAt: number): Promise<boolean> {
    const keys = [this.keys.activeMission(missionId), this.keys.missionsDue];
    return (
      (await runScript(this.redis, scripts.restoreActiveMission, keys, [recordJson, dueAt, missionId])) === 1
    );
  }

  async settleActiveMission(missionId: string, recordJson: string, keepMs: number): Promise<void> {
    const keys = [this.keys.activeMission(missionId), this.keys.missionsDue, this.keys.tickLock(missionId)];
    await runScript(this.redis, scripts.settleActiveMission, keys, [recordJson, keepMs, missionId]);
  }

  async readEventBoard(eventId: string, top: number): Promise<EventBoard | null> {
    const [meter, ranked, highlights] = await Promise.all([
      this.redis.hgetall(this.keys.channelEvent(eventId)),
      top > 0
        ? this.redis.zrevrange(this.keys.eventContributions(eventId), 0, top - 1, 'WITHSCORES')
        : Promise.resolve([]),
      this.redis.lrange(this.keys.eventHighlights(eventId), 0, EVENT_HIGHLIGHTS_KEPT - 1),
    ]);
    if (meter.progress === undefined) return null;
    const best: EventBoard['top'] = [];
    for (let i = 0; i < ranked.length; i += 2) {
      best.push({ userId: ranked[i]!, contribution: Number(ranked[i + 1]) });
    }
    return {
      progress: Number(meter.progress),
      goal: Number(meter.goal),
      status: meter.status ?? 'running',
      top: best,
      highlights,
    };
  }

  async eventStatuses(eventIds: readonly string[]): Promise<(string | null)[]> {
    if (eventIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of eventIds) pipeline.hget(this.keys.channelEvent(id), 'status');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, status]) => {
      if (error) throw error;
      return (status as string | null) ?? null;
    });
  }

  async restoreEventBoard(eventId: string, board: EventBoard): Promise<boolean> {
    const keys = [
      this.keys.channelEvent(eventId),
      this.keys.eventContributions(eventId),
      this.keys.eventHighlights(eventId),
    ];
    const args: (string | number)[] = [board.progress, board.goal, board.status, board.top.length];
    for (const entry of board.top) args.push(entry.userId, entry.contribution);
    args.push(...[...board.highlights].reverse());
    return (await runScript(this.redis, scripts.restoreEventBoard, keys, args)) === 1;
  }

  async setEventStatus(eventId: string, status: string): Promise<boolean> {
    return (
      (await runScript(this.redis, scripts.setEventStatus, [this.keys.channelEvent(eventId)], [status])) === 1
    );
  }

  async deleteEventBoard(eventId: string): Promise<void> {
    await this.redis.del(
      this.keys.channelEvent(eventId),
      this.keys.eventContributions(eventId),
      this.keys.eventHighlights(eventId),
    );
  }

  async activeMissionsExist(missionIds: readonly string[]): Promise<boolean[]> {
    if (missionIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of missionIds) pipeline.exists(this.keys.activeMission(id));
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, count]) => {
      if (error) throw error;
      return count === 1;
    });
  }

  scheduledMissionIds(): Promise<string[]> {
    return this.redis.zrange(this.keys.missionsDue, '0', '-1');
  }

  readOutbox(consumer: string, count: number): Promise<OutboxEntry[]> {
    return this.outbox.read(consumer, count);
  }

  reclaimOutbox(consumer: string, minIdleMs: number, count: number): Promise<OutboxEntry[]> {
    return this.outbox.reclaim(consumer, minIdleMs, count);
  }

  ackOutbox(entryIds: readonly string[]): Promise<void> {
    return this.outbox.ack(entryIds);
  }

  outboxDepth(): Promise<number> {
    return this.outbox.depth();
  }

  oldestOutboxEntryAt(): Promise<number | null> {
    return this.outbox.oldestEntryAt();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A tick commit's ARGV, in the order both commit-ticks.lua and commit-event-ticks.lua read them. */
function commitArgs(commit: TickCommit): (string | number)[] {
  return [
    commit.token,
    commit.expectedTick,
    commit.recordJson,
    commit.nextTickAt === null ? '' : commit.nextTickAt,
    commit.missionId,
    commit.outboxRow,
  ];
}

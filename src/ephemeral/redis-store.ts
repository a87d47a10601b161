import { type RateLimiterAbstract, RateLimiterRedis } from 'rate-limiter-flexible';
import type { BroadcastQueue } from './broadcast-queue.js';
import type {
  ClaimDueOptions,
  ClaimedMission,
  CommitOutcome,
  CounterValue,
  EphemeralStore,
  EventBoard,
  OutboxEntry,
  TickCommit,
} from './ephemeral-store.js';
import { DEFAULT_SCHEDULE_SHARDS, type KeyNames, keyNames } from './keys.js';
import type { LobbyStore } from './lobby-store.js';
import { defineScripts, type LuaScript, luaScript, runScript } from './lua-scripts.js';
import type { MissionVoteStore } from './mission-votes.js';
import { RedisBroadcastQueue } from './redis-broadcast-queue.js';
import { deleteMany, getMany, openRedis, type RedisConnection } from './redis-connection.js';
import { eventBoardScripts, RedisEventBoards } from './redis-event-boards.js';
import { RedisLobbyStore } from './redis-lobby-store.js';
import { missionScheduleScripts, RedisMissionSchedule } from './redis-mission-schedule.js';
import { missionVoteScripts, RedisMissionVotes } from './redis-mission-votes.js';
import { RedisOutbox } from './redis-outbox.js';

const scripts = {
  releaseLock: luaScript('release-lock', 1),
  extendLock: luaScript('extend-lock', 1),
  incrementCounter: luaScript('increment-counter', 1),
} as const satisfies Record<string, LuaScript>;

/**
 * How long a command may wait for its reply, queued or sent, in ms. A Redis that accepts connections
 * and drops them (a proxy in front of a dead server) would otherwise keep commands queued forever:
 * ioredis restarts its retry count on every connect. Far above the slowest script (a 1,000-tick
 * commit takes ~20 ms). @default 5000
 */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 5_000;

export interface RedisStoreOptions {
  /** redis:// or rediss:// of one Redis, or redis-cluster:// of a cluster's seed nodes (cluster-url.ts). */
  url: string;
  /** Prepended to every key; isolates tests and side-by-side deployments. @default '' */
  keyPrefix?: string;
  /** REDIS_SCHEDULE_SHARDS: schedule shards missions are spread over (keys.ts). @default 1 */
  scheduleShards?: number;
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
  readonly redis: RedisConnection;
  private readonly outbox: RedisOutbox;
  private readonly schedule: RedisMissionSchedule;
  private readonly eventBoards: RedisEventBoards;

  constructor(options: RedisStoreOptions) {
    this.keys = keyNames(options.keyPrefix ?? '', options.scheduleShards ?? DEFAULT_SCHEDULE_SHARDS);
    const allScripts = [
      ...Object.values(scripts),
      ...Object.values(missionVoteScripts),
      ...Object.values(missionScheduleScripts),
      ...Object.values(eventBoardScripts),
    ];
    this.redis = openRedis(options.url, {
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
      variadicScripts: allScripts.filter((script) => script.numberOfKeys === null),
    });
    // An unhandled 'error' event would kill the process; commands fail on their own (redis-outage.ts).
    this.redis.on('error', (error: Error) => options.onConnectionError?.(error));
    defineScripts(this.redis, allScripts);
    const shards = Array.from({ length: this.keys.scheduleShards }, (_, i) => i);
    this.outbox = new RedisOutbox(
      this.redis,
      shards.map((shard) => this.keys.missionLogOutbox(shard)),
    );
    this.schedule = new RedisMissionSchedule(this.redis, this.keys);
    this.eventBoards = new RedisEventBoards(this.redis, this.keys);
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

  getActiveMissions(missionIds: readonly string[]): Promise<(string | null)[]> {
    return getMany(
      this.redis,
      missionIds.map((id) => this.keys.activeMission(id)),
    );
  }

  async deleteActiveMission(missionId: string): Promise<void> {
    await this.redis.del(this.keys.activeMission(missionId));
  }

  unscheduleMission(missionId: string): Promise<void> {
    return this.schedule.unschedule(missionId);
  }

  claimDueMissions(options: ClaimDueOptions): Promise<ClaimedMission[]> {
    return this.schedule.claimDue(options);
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

  getValues(keys: readonly string[]): Promise<(string | null)[]> {
    return getMany(this.redis, keys);
  }

  deleteKeys(keys: readonly string[]): Promise<void> {
    return deleteMany(this.redis, keys);
  }

  async commitTicks(commits: readonly TickCommit[]): Promise<CommitOutcome[]> {
    return commits.length === 0 ? [] : this.schedule.commit(commits);
  }

  restoreActiveMission(missionId: string, recordJson: string, dueAt: number): Promise<boolean> {
    return this.schedule.restore(missionId, recordJson, dueAt);
  }

  settleActiveMission(missionId: string, recordJson: string, keepMs: number): Promise<void> {
    return this.schedule.settle(missionId, recordJson, keepMs);
  }

  readEventBoard(eventId: string, top: number): Promise<EventBoard | null> {
    return this.eventBoards.read(eventId, top);
  }

  eventStatuses(eventIds: readonly string[]): Promise<(string | null)[]> {
    return this.eventBoards.statuses(eventIds);
  }

  restoreEventBoard(eventId: string, board: EventBoard): Promise<boolean> {
    return this.eventBoards.restore(eventId, board);
  }

  setEventStatus(eventId: string, status: string): Promise<boolean> {
    return this.eventBoards.setStatus(eventId, status);
  }

  deleteEventBoard(eventId: string): Promise<void> {
    return this.eventBoards.delete(eventId);
  }

  async activeMissionsExist(missionIds: readonly string[]): Promise<boolean[]> {
    const found = await Promise.all(missionIds.map((id) => this.redis.exists(this.keys.activeMission(id))));
    return found.map((count) => count === 1);
  }

  scheduledMissionIds(): Promise<string[]> {
    return this.schedule.scheduledIds();
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

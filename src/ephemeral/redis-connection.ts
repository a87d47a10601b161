import { Cluster, type Redis } from 'ioredis';
import { isClusterUrl, parseClusterUrl } from './cluster-url.js';
import { CoalescingRedis } from './coalescing-redis.js';
import { hashSlot } from './hash-slot.js';
import type { LuaScript } from './lua-scripts.js';

/** One Redis (with or without replicas) or a Redis Cluster: the same commands, routed by key. */
export type RedisConnection = Redis | Cluster;

export function isCluster(redis: RedisConnection): redis is Cluster {
  return (redis as Cluster).isCluster === true;
}

/**
 * The positions of `keys` grouped so that each group can go in one multi-key command (MGET, DEL): by
 * slot on a cluster, which refuses a command across slots (CROSSSLOT), all together on one Redis.
 */
export function groupBySlot(redis: RedisConnection, keys: readonly string[]): number[][] {
  if (!isCluster(redis)) return [keys.map((_, i) => i)];
  const groups = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const slot = hashSlot(key);
    const group = groups.get(slot);
    if (group) group.push(i);
    else groups.set(slot, [i]);
  });
  return [...groups.values()];
}

/** MGET of any keys: one command per slot on a cluster (sent at once), one on a single Redis. */
export async function getMany(redis: RedisConnection, keys: readonly string[]): Promise<(string | null)[]> {
  if (keys.length === 0) return [];
  const values: (string | null)[] = new Array(keys.length).fill(null);
  await Promise.all(
    groupBySlot(redis, keys).map(async (group) => {
      const found = await redis.mget(group.map((i) => keys[i]!));
      group.forEach((at, j) => {
        values[at] = found[j] ?? null;
      });
    }),
  );
  return values;
}

/** DEL of any keys, grouped as getMany groups them. */
export async function deleteMany(redis: RedisConnection, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await Promise.all(groupBySlot(redis, keys).map((group) => redis.del(...group.map((i) => keys[i]!))));
}

export interface ConnectionOptions {
  /** How long a command may wait for its reply, queued or sent, in ms. */
  commandTimeoutMs: number;
  /**
   * Scripts whose key count varies (passed first): ioredis' cluster auto-pipelining would route them
   * by that count instead of their first key, so they are sent on their own.
   */
  variadicScripts: readonly LuaScript[];
}

/** Pause before reconnecting, in ms: grows with the attempts, capped at 2 s. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2_000);

/**
 * A connection for the Redis store: one Redis through CoalescingRedis (a turn's commands leave in one
 * write), or a cluster through ioredis' Cluster client, whose auto-pipelining does the same per node
 * (it sends a node's next batch once the previous one is answered, and routes each command by slot).
 */
export function openRedis(url: string, options: ConnectionOptions): RedisConnection {
  const common = {
    // Fail fast while Redis is down instead of queueing commands forever; callers retry on their own loop.
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs,
  };
  if (!isClusterUrl(url)) {
    return new CoalescingRedis(url, {
      ...common,
      enableOfflineQueue: true,
      lazyConnect: false,
      retryStrategy: reconnectDelay,
    });
  }
  const { nodes, username, password } = parseClusterUrl(url);
  return new Cluster(nodes, {
    enableAutoPipelining: true,
    autoPipeliningIgnoredCommands: options.variadicScripts.map((script) => script.command),
    enableOfflineQueue: true,
    clusterRetryStrategy: reconnectDelay,
    // While a master fails over, its slots answer CLUSTERDOWN or nothing: retry for a while, then fail
    // the command (the engine's loops retry whole steps, which the fenced commit makes safe).
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 100,
    maxRedirections: 16,
    slotsRefreshTimeout: 2_000,
    redisOptions: { ...common, ...(username ? { username } : {}), ...(password ? { password } : {}) },
  });
}

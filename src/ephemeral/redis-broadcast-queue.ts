import type {
  BroadcastPacing,
  BroadcastQueue,
  ChangeItem,
  ChannelChanges,
  TakeOutcome,
} from './broadcast-queue.js';
import { PENDING_TTL_MS } from './broadcast-queue.js';
import type { Locks } from './ephemeral-store.js';
import type { KeyNames } from './keys.js';
import { defineScripts, luaScript, runScript } from './lua-scripts.js';
import type { RedisConnection } from './redis-connection.js';

const takeScript = luaScript('take-channel-broadcast', 4);

export class RedisBroadcastQueue implements BroadcastQueue {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: KeyNames,
    private readonly locks: Locks,
  ) {
    defineScripts(redis, [takeScript]);
  }

  // Commands one by one, sent together: a channel's keys share its schedule shard's slot, but
  // channels differ, and a cluster refuses a pipeline across slots.
  async add(changes: readonly ChannelChanges[], now: number): Promise<void> {
    const { redis, keys } = this;
    const sent: Promise<unknown>[] = [];
    const dueByShard = new Map<number, (string | number)[]>();
    for (const { channelId, items } of changes) {
      if (items.length === 0) continue;
      sent.push(redis.sadd(keys.broadcastPending(channelId), ...items));
      sent.push(redis.pexpire(keys.broadcastPending(channelId), PENDING_TTL_MS));
      const shard = keys.scheduleShardOf(channelId);
      dueByShard.set(shard, [...(dueByShard.get(shard) ?? []), now, channelId]);
    }
    // NX: a channel already waiting for its bucket keeps its later time.
    for (const [shard, due] of dueByShard) sent.push(redis.zadd(keys.broadcastsDue(shard), 'NX', ...due));
    await Promise.all(sent);
  }

  async due(now: number, limit: number): Promise<string[]> {
    const { redis, keys } = this;
    const shards = Array.from({ length: keys.scheduleShards }, (_, shard) => shard);
    const due = await Promise.all(
      shards.map((shard) =>
        redis.zrangebyscore(keys.broadcastsDue(shard), '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit),
      ),
    );
    const channels: { id: string; at: number }[] = [];
    for (const flat of due) {
      for (let i = 0; i < flat.length; i += 2) channels.push({ id: flat[i]!, at: Number(flat[i + 1]) });
    }
    return channels
      .sort((a, b) => a.at - b.at)
      .slice(0, limit)
      .map((c) => c.id);
  }

  async take(
    channelId: string,
    senderToken: string,
    now: number,
    pacing: BroadcastPacing,
  ): Promise<TakeOutcome> {
    const { keys } = this;
    const reply = (await runScript(
      this.redis,
      takeScript,
      [
        keys.broadcastPending(channelId),
        keys.broadcastsDue(keys.scheduleShardOf(channelId)),
        keys.broadcastSender(channelId),
        keys.broadcastBucket(channelId),
      ],
      [channelId, senderToken, now, pacing.leaseMs, pacing.refillPerMs, pacing.burst],
    )) as string[];
    const [kind, ...rest] = reply;
    if (kind === 'taken') return { kind, items: rest };
    if (kind === 'wait') return { kind, readyAt: Number(rest[0]) };
    return { kind: kind === 'busy' ? 'busy' : 'empty' };
  }

  async putBack(channelId: string, items: readonly ChangeItem[], readyAt: number): Promise<void> {
    if (items.length === 0) return;
    const { redis, keys } = this;
    // The channel's keys share one slot: one pipeline, on a cluster too.
    const replies =
      (await redis
        .pipeline()
        .sadd(keys.broadcastPending(channelId), ...items)
        .pexpire(keys.broadcastPending(channelId), PENDING_TTL_MS)
        .zadd(keys.broadcastsDue(keys.scheduleShardOf(channelId)), readyAt, channelId)
        .exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
  }

  async release(channelId: string, senderToken: string): Promise<void> {
    await this.locks.releaseLock(this.keys.broadcastSender(channelId), senderToken);
  }
}

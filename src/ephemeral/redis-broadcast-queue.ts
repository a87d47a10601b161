import type { Redis } from 'ioredis';
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

const takeScript = luaScript('take-channel-broadcast', 4);

export class RedisBroadcastQueue implements BroadcastQueue {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeyNames,
    private readonly locks: Locks,
  ) {
    defineScripts(redis, [takeScript]);
  }

  async add(changes: readonly ChannelChanges[], now: number): Promise<void> {
    if (changes.length === 0) return;
    const { redis, keys } = this;
    const pipeline = redis.pipeline();
    const due: (string | number)[] = [];
    for (const { channelId, items } of changes) {
      if (items.length === 0) continue;
      pipeline.sadd(keys.broadcastPending(channelId), ...items);
      pipeline.pexpire(keys.broadcastPending(channelId), PENDING_TTL_MS);
      due.push(now, channelId);
    }
    // NX: a channel already waiting for its bucket keeps its later time.
    if (due.length > 0) pipeline.zadd(keys.broadcastsDue, 'NX', ...due);
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
  }

  due(now: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.broadcastsDue, '-inf', now, 'LIMIT', 0, limit);
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
        keys.broadcastsDue,
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
    const replies =
      (await redis
        .pipeline()
        .sadd(keys.broadcastPending(channelId), ...items)
        .pexpire(keys.broadcastPending(channelId), PENDING_TTL_MS)
        .zadd(keys.broadcastsDue, readyAt, channelId)
        .exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
  }

  async release(channelId: string, senderToken: string): Promise<void> {
    await this.locks.releaseLock(this.keys.broadcastSender(channelId), senderToken);
  }
}

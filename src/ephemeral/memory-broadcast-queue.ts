import {
  type BroadcastPacing,
  type BroadcastQueue,
  type ChangeItem,
  type ChannelChanges,
  PENDING_TTL_MS,
  type TakeOutcome,
} from './broadcast-queue.js';

interface Pending {
  items: Set<ChangeItem>;
  /** ms */
  expiresAt: number;
}

/**
 * The broadcast queue of the embedded mode, in this process. Each method runs to completion without
 * awaiting, which makes it atomic the way the Redis script is.
 */
export class MemoryBroadcastQueue implements BroadcastQueue {
  private readonly pending = new Map<string, Pending>();
  private readonly dueAt = new Map<string, number>();
  private readonly leases = new Map<string, { token: string; until: number }>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  async add(changes: readonly ChannelChanges[], now: number): Promise<void> {
    for (const { channelId, items } of changes) {
      if (items.length === 0) continue;
      this.addItems(channelId, items, now);
      if (!this.dueAt.has(channelId)) this.dueAt.set(channelId, now);
    }
  }

  async due(now: number, limit: number): Promise<string[]> {
    return [...this.dueAt]
      .filter(([, at]) => at <= now)
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([channelId]) => channelId);
  }

  async take(
    channelId: string,
    senderToken: string,
    now: number,
    pacing: BroadcastPacing,
  ): Promise<TakeOutcome> {
    const lease = this.leases.get(channelId);
    if (lease && lease.until > now && lease.token !== senderToken) return { kind: 'busy' };
    const pending = this.pending.get(channelId);
    if (!pending || pending.items.size === 0 || pending.expiresAt <= now) {
      this.pending.delete(channelId);
      this.dueAt.delete(channelId);
      return { kind: 'empty' };
    }
    const bucket = this.buckets.get(channelId) ?? { tokens: pacing.burst, at: now };
    const tokens = Math.min(pacing.burst, bucket.tokens + Math.max(0, now - bucket.at) * pacing.refillPerMs);
    if (tokens < 1) {
      const readyAt = now + Math.ceil((1 - tokens) / pacing.refillPerMs);
      this.dueAt.set(channelId, readyAt);
      return { kind: 'wait', readyAt };
    }
    this.buckets.set(channelId, { tokens: tokens - 1, at: now });
    this.leases.set(channelId, { token: senderToken, until: now + pacing.leaseMs });
    this.pending.delete(channelId);
    this.dueAt.delete(channelId);
    return { kind: 'taken', items: [...pending.items] };
  }

  async putBack(channelId: string, items: readonly ChangeItem[], readyAt: number): Promise<void> {
    if (items.length === 0) return;
    this.addItems(channelId, items, readyAt);
    this.dueAt.set(channelId, readyAt);
  }

  async release(channelId: string, senderToken: string): Promise<void> {
    if (this.leases.get(channelId)?.token === senderToken) this.leases.delete(channelId);
  }

  private addItems(channelId: string, items: readonly ChangeItem[], now: number): void {
    let pending = this.pending.get(channelId);
    if (!pending || pending.expiresAt <= now) {
      pending = { items: new Set(), expiresAt: 0 };
      this.pending.set(channelId, pending);
    }
    for (const item of items) pending.items.add(item);
    pending.expiresAt = now + PENDING_TTL_MS;
  }
}

import type { OutboxEntry } from './ephemeral-store.js';

interface Pending {
  consumer: string;
  /** When the entry was last delivered, ms. */
  deliveredAt: number;
}

/** mission_log_outbox in the process: a stream with one consumer group, as Redis keeps it. */
export class MemoryOutbox {
  private readonly entries = new Map<string, string>();
  private readonly pending = new Map<string, Pending>();
  /** Ids not yet delivered to any consumer, oldest first. */
  private undelivered: string[] = [];
  private lastMs = 0;
  private sequence = 0;

  constructor(private readonly clock: () => number) {}

  append(row: string): string {
    const now = this.clock();
    if (now > this.lastMs) {
      this.lastMs = now;
      this.sequence = 0;
    } else {
      this.sequence += 1;
    }
    const id = `${this.lastMs}-${this.sequence}`;
    this.entries.set(id, row);
    this.undelivered.push(id);
    return id;
  }

  read(consumer: string, count: number): OutboxEntry[] {
    const taken = this.undelivered.slice(0, count);
    this.undelivered = this.undelivered.slice(taken.length);
    const deliveredAt = this.clock();
    return taken.map((id) => {
      this.pending.set(id, { consumer, deliveredAt });
      return { id, row: this.entries.get(id) ?? '' };
    });
  }

  reclaim(consumer: string, minIdleMs: number, count: number): OutboxEntry[] {
    const now = this.clock();
    const claimed: OutboxEntry[] = [];
    for (const [id, pending] of this.pending) {
      if (claimed.length >= count) break;
      if (now - pending.deliveredAt < minIdleMs) continue;
      this.pending.set(id, { consumer, deliveredAt: now });
      claimed.push({ id, row: this.entries.get(id) ?? '' });
    }
    return claimed;
  }

  ack(entryIds: readonly string[]): void {
    for (const id of entryIds) {
      this.pending.delete(id);
      this.entries.delete(id);
    }
  }

  depth(): number {
    return this.entries.size;
  }

  oldestEntryAt(): number | null {
    const first = this.entries.keys().next();
    return first.done ? null : Number(first.value.split('-')[0]);
  }
}

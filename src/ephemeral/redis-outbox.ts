import type { Redis } from 'ioredis';
import type { OutboxEntry } from './ephemeral-store.js';

/** The consumer group every flusher reads mission_log_outbox through. */
export const OUTBOX_GROUP = 'flushers';

type StreamEntries = [id: string, fields: string[]][];

function toEntries(raw: StreamEntries | null | undefined): OutboxEntry[] {
  if (!raw) return [];
  const entries: OutboxEntry[] = [];
  for (const [id, fields] of raw) {
    // A deleted entry still pending comes back with no fields: nothing to write, only to acknowledge.
    const at = fields ? fields.indexOf('row') : -1;
    entries.push({ id, row: at >= 0 ? (fields[at + 1] ?? '') : '' });
  }
  return entries;
}

function isMissingGroup(error: unknown): boolean {
  return error instanceof Error && /NOGROUP/.test(error.message);
}

/** mission_log_outbox on Redis: a stream read through one consumer group. */
export class RedisOutbox {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.key, OUTBOX_GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && /BUSYGROUP/.test(error.message))) throw error;
    }
  }

  // The group vanishes with the stream (FLUSHALL, a restarted Redis); recreate it and try once more.
  private async withGroup<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isMissingGroup(error)) throw error;
      await this.ensureGroup();
      return run();
    }
  }

  read(consumer: string, count: number): Promise<OutboxEntry[]> {
    return this.withGroup(async () => {
      const reply = (await this.redis.xreadgroup(
        'GROUP',
        OUTBOX_GROUP,
        consumer,
        'COUNT',
        count,
        'STREAMS',
        this.key,
        '>',
      )) as [string, StreamEntries][] | null;
      return toEntries(reply?.[0]?.[1]);
    });
  }

  reclaim(consumer: string, minIdleMs: number, count: number): Promise<OutboxEntry[]> {
    return this.withGroup(async () => {
      const reply = (await this.redis.xautoclaim(
        this.key,
        OUTBOX_GROUP,
        consumer,
        minIdleMs,
        '0-0',
        'COUNT',
        count,
      )) as [string, StreamEntries];
      return toEntries(reply[1]);
    });
  }

  async ack(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    await this.redis
      .pipeline()
      .xack(this.key, OUTBOX_GROUP, ...entryIds)
      .xdel(this.key, ...entryIds)
      .exec();
  }

  depth(): Promise<number> {
    return this.redis.xlen(this.key);
  }

  async oldestEntryAt(): Promise<number | null> {
    const [first] = await this.redis.xrange(this.key, '-', '+', 'COUNT', 1);
    return first ? Number(first[0].split('-')[0]) : null;
  }
}

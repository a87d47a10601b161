import type { OutboxEntry } from './ephemeral-store.js';
import type { RedisConnection } from './redis-connection.js';

/** The consumer group every flusher reads mission_log_outbox through. */
export const OUTBOX_GROUP = 'flushers';

type StreamEntries = [id: string, fields: string[]][];

/** An entry's id names its shard's stream too: `<shard>/<ms>-<seq>`. */
const SHARD_SEPARATOR = '/';

function streamIdOf(entryId: string): string {
  return entryId.slice(entryId.indexOf(SHARD_SEPARATOR) + 1);
}

function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number) as [number, number];
  const [bMs, bSeq] = b.split('-').map(Number) as [number, number];
  return aMs - bMs || aSeq - bSeq;
}

function toEntries(shard: number, raw: StreamEntries | null | undefined): OutboxEntry[] {
  if (!raw) return [];
  const entries: OutboxEntry[] = [];
  for (const [id, fields] of raw) {
    // A deleted entry still pending comes back with no fields: nothing to write, only to acknowledge.
    const at = fields ? fields.indexOf('row') : -1;
    entries.push({ id: `${shard}${SHARD_SEPARATOR}${id}`, row: at >= 0 ? (fields[at + 1] ?? '') : '' });
  }
  return entries;
}

function isMissingGroup(error: unknown): boolean {
  return error instanceof Error && /NOGROUP/.test(error.message);
}

/**
 * mission_log_outbox on Redis: one stream per schedule shard (keys.ts), each read through its consumer
 * group. A read takes a share of the count from every shard at once, so no shard waits on another.
 */
export class RedisOutbox {
  private readonly streams: readonly ShardStream[];

  constructor(redis: RedisConnection, keys: readonly string[]) {
    this.streams = keys.map((key) => new ShardStream(redis, key));
  }

  /** Where the next read starts sharing out its count, so that no shard always gets the smaller share. */
  private nextShard = 0;

  /**
   * Up to `count` entries from the shards, oldest first by stream id: the count is shared out over the
   * shards and read from all at once; shards that filled their share are read again for what the
   * others lacked (a second round trip only then).
   */
  read(consumer: string, count: number): Promise<OutboxEntry[]> {
    return this.gather(count, (stream, share) => stream.read(consumer, share));
  }

  reclaim(consumer: string, minIdleMs: number, count: number): Promise<OutboxEntry[]> {
    return this.gather(count, (stream, share) => stream.reclaim(consumer, minIdleMs, share));
  }

  private async gather(
    count: number,
    take: (stream: ShardStream, share: number) => Promise<StreamEntries | undefined>,
  ): Promise<OutboxEntry[]> {
    const n = this.streams.length;
    const start = this.nextShard;
    this.nextShard = (this.nextShard + 1) % n;
    const shares = this.streams.map((_, shard) => {
      const rank = (shard - start + n) % n;
      return Math.floor(count / n) + (rank < count % n ? 1 : 0);
    });
    const entries: OutboxEntry[] = [];
    const full: number[] = [];
    await Promise.all(
      shares.map(async (share, shard) => {
        if (share === 0) return;
        const got = toEntries(shard, await take(this.streams[shard]!, share));
        entries.push(...got);
        if (got.length === share) full.push(shard);
      }),
    );
    const left = count - entries.length;
    if (left > 0 && full.length > 0 && full.length < n) {
      const each = Math.ceil(left / full.length);
      let budget = left;
      await Promise.all(
        full.map(async (shard) => {
          const share = Math.min(each, budget);
          budget -= share;
          if (share > 0) entries.push(...toEntries(shard, await take(this.streams[shard]!, share)));
        }),
      );
    }
    return entries.sort((a, b) => compareStreamIds(streamIdOf(a.id), streamIdOf(b.id)));
  }

  async ack(entryIds: readonly string[]): Promise<void> {
    const byShard = new Map<number, string[]>();
    for (const entryId of entryIds) {
      const cut = entryId.indexOf(SHARD_SEPARATOR);
      const shard = Number(entryId.slice(0, cut));
      if (cut < 0 || !this.streams[shard]) throw new Error(`not an outbox entry id: ${entryId}`);
      const ids = byShard.get(shard);
      if (ids) ids.push(entryId.slice(cut + 1));
      else byShard.set(shard, [entryId.slice(cut + 1)]);
    }
    await Promise.all([...byShard].map(([shard, ids]) => this.streams[shard]!.ack(ids)));
  }

  async depth(): Promise<number> {
    const depths = await Promise.all(this.streams.map((s) => s.depth()));
    return depths.reduce((sum, d) => sum + d, 0);
  }

  async oldestEntryAt(): Promise<number | null> {
    const oldest = (await Promise.all(this.streams.map((s) => s.oldestEntryAt()))).filter(
      (at): at is number => at !== null,
    );
    return oldest.length === 0 ? null : Math.min(...oldest);
  }
}

/** One shard's stream and its consumer group. */
class ShardStream {
  constructor(
    private readonly redis: RedisConnection,
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

  read(consumer: string, count: number): Promise<StreamEntries | undefined> {
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
      return reply?.[0]?.[1];
    });
  }

  reclaim(consumer: string, minIdleMs: number, count: number): Promise<StreamEntries> {
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
      return reply[1];
    });
  }

  async ack(entryIds: readonly string[]): Promise<void> {
    if (entryIds.length === 0) return;
    // One key, so one slot: a pipeline is allowed on a cluster too.
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

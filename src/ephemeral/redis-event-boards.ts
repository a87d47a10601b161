import { EVENT_HIGHLIGHTS_KEPT, type EventBoard } from './ephemeral-store.js';
import type { KeyNames } from './keys.js';
import { type LuaScript, luaScript, runScript } from './lua-scripts.js';
import type { RedisConnection } from './redis-connection.js';

export const eventBoardScripts = {
  restoreEventBoard: luaScript('restore-event-board', 3),
  setEventStatus: luaScript('set-event-status', 1),
} as const satisfies Record<string, LuaScript>;

/**
 * A highlight as a meter part keeps it: the ms it was committed, then the line, so that reading merges
 * the parts' lists newest first.
 */
export function stampHighlight(highlight: string, at = Date.now()): string {
  return `${at}:${highlight}`;
}

function unstampHighlight(stamped: string): { at: number; line: string } {
  const colon = stamped.indexOf(':');
  return { at: Number(stamped.slice(0, colon)), line: stamped.slice(colon + 1) };
}

/**
 * Channel events' live meters on Redis. A meter is its head (goal, status, and what it was started or
 * rebuilt with, in the event's slot) plus one part per schedule shard (what the shard's missions' ticks
 * added since, in the shard's slot, written by the fenced tick commit: keys.ts). Reads sum them, one
 * command per key sent together, since a cluster refuses a pipeline or script across slots.
 */
export class RedisEventBoards {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: KeyNames,
  ) {}

  private shards(): number[] {
    return Array.from({ length: this.keys.scheduleShards }, (_, i) => i);
  }

  async read(eventId: string, top: number): Promise<EventBoard | null> {
    const { keys, redis } = this;
    const shards = this.shards();
    const [head, progressParts, ranked, highlights] = await Promise.all([
      redis.hgetall(keys.channelEvent(eventId)),
      Promise.all(shards.map((s) => redis.get(keys.eventProgressPart(eventId, s)))),
      top > 0
        ? Promise.all([
            redis.zrevrange(keys.eventContributions(eventId), 0, top - 1, 'WITHSCORES'),
            ...shards.map((s) =>
              redis.zrevrange(keys.eventContributionsPart(eventId, s), 0, top - 1, 'WITHSCORES'),
            ),
          ])
        : Promise.resolve([]),
      this.readHighlights(eventId),
    ]);
    if (head.progress === undefined) return null;
    let progress = Number(head.progress);
    for (const part of progressParts) progress += Number(part ?? 0);
    return {
      progress,
      goal: Number(head.goal),
      status: head.status ?? 'running',
      top: mergeTop(ranked, top),
      highlights,
    };
  }

  /** The parts' highlights newest first, then the head's (older than any tick since the start). */
  private async readHighlights(eventId: string): Promise<string[]> {
    const { keys, redis } = this;
    const [head, ...parts] = await Promise.all([
      redis.lrange(keys.eventHighlights(eventId), 0, EVENT_HIGHLIGHTS_KEPT - 1),
      ...this.shards().map((s) =>
        redis.lrange(keys.eventHighlightsPart(eventId, s), 0, EVENT_HIGHLIGHTS_KEPT - 1),
      ),
    ]);
    const fromParts = parts
      .flat()
      .map(unstampHighlight)
      .sort((a, b) => b.at - a.at)
      .map((h) => h.line);
    return [...fromParts, ...head!].slice(0, EVENT_HIGHLIGHTS_KEPT);
  }

  // One command per key, sent together: a pipeline across slots is refused on a cluster.
  statuses(eventIds: readonly string[]): Promise<(string | null)[]> {
    return Promise.all(eventIds.map((id) => this.redis.hget(this.keys.channelEvent(id), 'status')));
  }

  async restore(eventId: string, board: EventBoard): Promise<boolean> {
    const keys = [
      this.keys.channelEvent(eventId),
      this.keys.eventContributions(eventId),
      this.keys.eventHighlights(eventId),
    ];
    const args: (string | number)[] = [board.progress, board.goal, board.status, board.top.length];
    for (const entry of board.top) args.push(entry.userId, entry.contribution);
    args.push(...[...board.highlights].reverse());
    return (await runScript(this.redis, eventBoardScripts.restoreEventBoard, keys, args)) === 1;
  }

  async setStatus(eventId: string, status: string): Promise<boolean> {
    const key = this.keys.channelEvent(eventId);
    return (await runScript(this.redis, eventBoardScripts.setEventStatus, [key], [status])) === 1;
  }

  async delete(eventId: string): Promise<void> {
    const { keys, redis } = this;
    await Promise.all([
      redis.del(keys.channelEvent(eventId), keys.eventContributions(eventId), keys.eventHighlights(eventId)),
      ...this.shards().map((s) =>
        redis.del(
          keys.eventProgressPart(eventId, s),
          keys.eventContributionsPart(eventId, s),
          keys.eventHighlightsPart(eventId, s),
        ),
      ),
    ]);
  }
}

/**
 * The `top` contributors over the head and the parts (ZREVRANGE WITHSCORES replies), each user's
 * contributions summed, ordered as ZREVRANGE orders (score, then member, both descending). Exact because
 * a participant plays one mission per event, so their ticks all land in one shard's part.
 */
function mergeTop(replies: readonly string[][], top: number): EventBoard['top'] {
  const totals = new Map<string, number>();
  for (const reply of replies) {
    for (let i = 0; i < reply.length; i += 2) {
      totals.set(reply[i]!, (totals.get(reply[i]!) ?? 0) + Number(reply[i + 1]));
    }
  }
  return [...totals]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
    .slice(0, Math.max(0, top))
    .map(([userId, contribution]) => ({ userId, contribution }));
}

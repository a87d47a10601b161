import { EVENT_HIGHLIGHTS_KEPT, type EventBoard, type EventTickCommit } from './ephemeral-store.js';

interface Meter {
  progress: number;
  goal: number;
  status: string;
  contributions: Map<string, number>;
  /** Newest first. */
  highlights: string[];
}

/**
 * Channel events' live meters for the in-process store: what a meter's head and its schedule shards'
 * parts hold in Redis, summed (redis-event-boards.ts), step for step as the Lua scripts do (the
 * contract suite holds the two together).
 */
export class MemoryEventBoards {
  private readonly meters = new Map<string, Meter>();

  /** The event half of a committed tick (commit-event-ticks.lua). */
  add(event: EventTickCommit): void {
    let meter = this.meters.get(event.eventId);
    if (!meter) {
      // As HINCRBY on a missing hash: the meter appears with only its progress.
      meter = { progress: 0, goal: 0, status: '', contributions: new Map(), highlights: [] };
      this.meters.set(event.eventId, meter);
    }
    meter.progress += event.contribution;
    meter.contributions.set(event.userId, (meter.contributions.get(event.userId) ?? 0) + event.contribution);
    if (event.highlight !== null) {
      meter.highlights.unshift(event.highlight);
      meter.highlights.length = Math.min(meter.highlights.length, EVENT_HIGHLIGHTS_KEPT);
    }
  }

  read(eventId: string, top: number): EventBoard | null {
    const meter = this.meters.get(eventId);
    if (!meter) return null;
    const ranked = [...meter.contributions]
      // As ZREVRANGE: by score, then by member, both descending.
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
      .slice(0, Math.max(0, top))
      .map(([userId, contribution]) => ({ userId, contribution }));
    return {
      progress: meter.progress,
      goal: meter.goal,
      status: meter.status || 'running',
      top: ranked,
      highlights: [...meter.highlights],
    };
  }

  status(eventId: string): string | null {
    const meter = this.meters.get(eventId);
    if (!meter) return null;
    return meter.status || null;
  }

  restore(eventId: string, board: EventBoard): boolean {
    if (this.meters.has(eventId)) return false;
    this.meters.set(eventId, {
      progress: board.progress,
      goal: board.goal,
      status: board.status,
      contributions: new Map(board.top.map((e) => [e.userId, e.contribution])),
      highlights: board.highlights.slice(0, EVENT_HIGHLIGHTS_KEPT),
    });
    return true;
  }

  setStatus(eventId: string, status: string): boolean {
    const meter = this.meters.get(eventId);
    if (!meter) return false;
    meter.status = status;
    return true;
  }

  delete(eventId: string): void {
    this.meters.delete(eventId);
  }
}

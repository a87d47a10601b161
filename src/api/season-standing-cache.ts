import { type SeasonStanding, seasonStanding } from '../durable/channel-seasons.js';
import type { Queryable } from '../durable/database.js';

/**
 * How long one instance reuses a channel's season standing, in ms. The video view of every viewer of
 * the stream shows the season's goal: a channel then costs each instance one set of aggregates per
 * 15 s, whatever its audience. The goal counts missions held out this week or month; 15 s late is fine.
 */
const SEASON_CACHE_MS = 15_000;
/** Channel seasons one instance keeps at most; past it the cache starts over. */
const SEASON_CACHE_ENTRIES = 10_000;

/** A channel's season standing (boards with user ids, and the goal meter), read once per SEASON_CACHE_MS. */
export class SeasonStandingCache {
  private readonly entries = new Map<string, { readAt: number; standing: Promise<SeasonStanding> }>();

  constructor(
    private readonly db: Queryable,
    private readonly clock: () => number,
  ) {}

  standing(
    channelId: string,
    window: { startsAt: number; endsAt: number },
    limit: number,
  ): Promise<SeasonStanding> {
    const key = `${channelId}\n${window.startsAt}\n${window.endsAt}\n${limit}`;
    const at = this.clock();
    const cached = this.entries.get(key);
    if (cached && at - cached.readAt < SEASON_CACHE_MS) return cached.standing;
    if (this.entries.size >= SEASON_CACHE_ENTRIES) this.entries.clear();
    // Shared while it is read, so that many callers at once cost one read; a failed read is not kept.
    const standing = seasonStanding(this.db, channelId, window, limit);
    this.entries.set(key, { readAt: at, standing });
    standing.catch(() => {
      if (this.entries.get(key)?.standing === standing) this.entries.delete(key);
    });
    return standing;
  }
}

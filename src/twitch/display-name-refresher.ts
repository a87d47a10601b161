import { randomUUID } from 'node:crypto';
import type { Database } from '../durable/database.js';
import {
  playerNamesOf,
  recordDisplayNames,
  storableDisplayName,
  usersDueForDisplayName,
} from '../durable/player-names.js';
import type { EphemeralConnection, Locks, PlainValues } from '../ephemeral/ephemeral-store.js';
import { PlayerNameCache } from '../ephemeral/player-name-cache.js';
import type { Logger } from '../logger.js';
import { GET_USERS_MAX_IDS, getUsers } from './get-users.js';
import type { TwitchApi } from './twitch-api.js';
import { HelixRateLimitedError } from './twitch-errors.js';

export interface DisplayNameRefresherOptions {
  /** Ids per Get Users call; Helix takes at most 100. @default 100 */
  batchSize: number;
  /** A fetched name is fetched again after this long, in ms (Twitch names change rarely). @default 24 h */
  refreshAfterMs: number;
  /**
   * Points of the app token's Helix bucket left to other calls (`holdout bits reconcile`): with fewer
   * remaining, the refresher waits for Ratelimit-Reset. @default 100 (of Twitch's 800 a minute)
   */
  reservePoints: number;
  /** The job lock's TTL, in ms: longer than one Get Users call with its retries. @default 60 s */
  lockTtlMs: number;
}

export const DEFAULT_DISPLAY_NAME_OPTIONS: DisplayNameRefresherOptions = {
  batchSize: GET_USERS_MAX_IDS,
  refreshAfterMs: 24 * 60 * 60 * 1000,
  reservePoints: 100,
  lockTtlMs: 60_000,
};

export interface DisplayNameMetrics {
  /** Users asked about, by what Twitch said: `named` or `unknown` (no such user any more). */
  checked(outcome: 'named' | 'unknown', count: number): void;
  rateLimited(): void;
}

export interface DisplayNameDeps {
  db: Database;
  store: Locks & PlainValues & Pick<EphemeralConnection, 'keys'>;
  api: TwitchApi;
  clock?: () => number;
  logger?: Logger;
  metrics?: DisplayNameMetrics;
}

/**
 * Fetches the Twitch display names of viewers who shared their identity, with Helix Get Users and the
 * app access token, in the background: never from a request, never from a tick. One instance at a
 * time (a job lock); a batch of up to 100 ids per call; a 429 or a nearly empty bucket pauses it until
 * Ratelimit-Reset. Names go to Postgres (users.display_name) and Redis (`display_name:{userId}`).
 */
export class DisplayNameRefresher {
  /** No call to Twitch before this time, in ms since the epoch (a 429's or a spent bucket's reset). */
  private notBefore = 0;
  private readonly clock: () => number;
  private readonly cache: PlayerNameCache;

  constructor(
    private readonly deps: DisplayNameDeps,
    private readonly options: DisplayNameRefresherOptions = DEFAULT_DISPLAY_NAME_OPTIONS,
  ) {
    this.clock = deps.clock ?? Date.now;
    this.cache = new PlayerNameCache(deps.store);
  }

  /** When the refresher will call Twitch again at the earliest, in ms since the epoch. */
  get pausedUntil(): number {
    return this.notBefore;
  }

  /** One batch. True when more names may be due at once (the loop runs it again without waiting). */
  async runPass(): Promise<boolean> {
    if (this.clock() < this.notBefore) return false;
    const { store } = this.deps;
    const lockKey = store.keys.jobLock('display-names');
    const token = randomUUID();
    if (!(await store.acquireLock(lockKey, token, this.options.lockTtlMs))) return false;
    try {
      return await this.refreshBatch();
    } finally {
      await store.releaseLock(lockKey, token);
    }
  }

  private async refreshBatch(): Promise<boolean> {
    const { db, api, metrics } = this.deps;
    const { batchSize, refreshAfterMs, reservePoints } = this.options;
    const due = await usersDueForDisplayName(db, this.clock() - refreshAfterMs, batchSize);
    if (due.length === 0) return false;
    let answer: Awaited<ReturnType<typeof getUsers>>;
    try {
      // Waiting inside the call would hold the job lock idle; the pause is kept here instead.
      answer = await getUsers(
        api,
        due.map((u) => u.twitchUserId),
        { rateLimitWaitMs: 0 },
      );
    } catch (error) {
      if (!(error instanceof HelixRateLimitedError)) throw error;
      this.notBefore = error.retryAt;
      metrics?.rateLimited();
      this.deps.logger?.warn({ until: new Date(error.retryAt).toISOString() }, 'Get Users rate-limited');
      return false;
    }
    const byTwitchId = new Map(answer.users.map((u) => [u.id, u]));
    const checked = due.map((u) => ({
      userId: u.userId,
      displayName: storableDisplayName(byTwitchId.get(u.twitchUserId)?.displayName),
    }));
    await recordDisplayNames(db, checked, this.clock());
    // Read back with their titles: the cached entry is the whole of how the user is shown.
    await this.cache.write(
      await playerNamesOf(
        db,
        due.map((u) => u.userId),
      ),
    );
    const named = checked.filter((c) => c.displayName !== null).length;
    metrics?.checked('named', named);
    metrics?.checked('unknown', checked.length - named);
    const rateLimit = answer.rateLimit;
    if (rateLimit && rateLimit.remaining < reservePoints) {
      this.notBefore = rateLimit.resetAt;
      return false;
    }
    return due.length === batchSize;
  }
}

import type { EphemeralStore } from '../../src/ephemeral/ephemeral-store.js';
import { MemoryStore } from '../../src/ephemeral/memory-store.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';

/**
 * What tests do to an ephemeral store that the product never does: write a mission's record or its
 * place in `missions_due` directly, and read its score. Kept out of EphemeralStore so that no product
 * path can skip the tick protocol's fenced writes.
 */
export interface EphemeralTestAccess {
  setActiveMission(missionId: string, recordJson: string): Promise<void>;
  /** Adds or moves a mission in missions_due. */
  scheduleMission(missionId: string, dueAt: number): Promise<void>;
  /** A mission's score in missions_due, or null if it is not scheduled. */
  dueAt(missionId: string): Promise<number | null>;
}

/** The in-process store with the test-only writes (tests that need them open this one). */
export class TestMemoryStore extends MemoryStore implements EphemeralTestAccess {
  async setActiveMission(missionId: string, recordJson: string): Promise<void> {
    this.write(this.keys.activeMission(missionId), recordJson);
  }

  async scheduleMission(missionId: string, dueAt: number): Promise<void> {
    this.due.set(missionId, dueAt);
  }

  async dueAt(missionId: string): Promise<number | null> {
    return this.due.get(missionId) ?? null;
  }
}

function redisAccess(store: RedisStore): EphemeralTestAccess {
  const { redis, keys } = store;
  return {
    async setActiveMission(missionId, recordJson) {
      await redis.set(keys.activeMission(missionId), recordJson);
    },
    async scheduleMission(missionId, dueAt) {
      await redis.zadd(keys.missionsDue(keys.scheduleShardOf(missionId)), dueAt, missionId);
    },
    async dueAt(missionId) {
      const score = await redis.zscore(keys.missionsDue(keys.scheduleShardOf(missionId)), missionId);
      return score === null ? null : Number(score);
    },
  };
}

/** The test-only writes of `store`: a RedisStore, or an in-process store opened as TestMemoryStore. */
export function testAccess(store: EphemeralStore): EphemeralTestAccess {
  if (store instanceof RedisStore) return redisAccess(store);
  if (store instanceof TestMemoryStore) return store;
  throw new Error('testAccess: open the in-process store as TestMemoryStore');
}

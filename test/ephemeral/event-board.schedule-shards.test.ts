import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TickCommit } from '../../src/ephemeral/ephemeral-store.js';
import { hashSlot } from '../../src/ephemeral/hash-slot.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { uniqueName } from '../support/services.js';
import { testRedis } from './ephemeral-backends.js';

const SHARDS = 4;
const record = (id: string, tick: number) => `{"tick":${tick},"id":"${id}"}`;

function eventCommit(id: string, userId: string, contribution: number, highlight: string | null): TickCommit {
  return {
    missionId: id,
    token: 'w1',
    expectedTick: 0,
    recordJson: record(id, 1),
    nextTickAt: 5_000,
    outboxRow: `{"tick":1,"missionId":"${id}"}`,
    event: { eventId: 'e1', userId, contribution, highlight },
  };
}

describe(`a channel event's live meter over ${SHARDS} schedule shards on ${testRedis.name}`, () => {
  let store: RedisStore;
  let prefix: string;
  /** One mission per shard: m<shard>. */
  const missions: string[] = [];
  beforeEach(async () => {
    prefix = `${uniqueName('t')}:`;
    store = new RedisStore({ url: testRedis.url, keyPrefix: prefix, scheduleShards: SHARDS });
    missions.length = 0;
    for (let id = 1; missions.length < SHARDS; id++) {
      if (store.keys.scheduleShardOf(String(id)) === missions.length) missions.push(String(id));
    }
    for (const id of missions) await store.restoreActiveMission(id, record(id, 0), 1);
    await store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs: 10_000, token: 'w1' });
  });
  afterEach(async () => {
    await store.close();
    await testRedis.deleteKeysWithPrefix(prefix);
  });

  it("keeps each tick's share in its mission's slot, and sums the shards' parts when read", async () => {
    missions.forEach((id, shard) => {
      const slot = hashSlot(store.keys.missionsDue(shard));
      expect(hashSlot(store.keys.eventProgressPart('e1', shard))).toBe(slot);
      expect(hashSlot(store.keys.eventContributionsPart('e1', shard))).toBe(slot);
      expect(hashSlot(store.keys.eventHighlightsPart('e1', shard))).toBe(slot);
      expect(hashSlot(store.keys.activeMission(id))).toBe(slot);
    });
    await store.restoreEventBoard('e1', {
      progress: 0,
      goal: 100,
      status: 'running',
      top: [],
      highlights: [],
    });
    const first = await store.commitTicks(
      missions.map((id, i) => eventCommit(id, `u${i}`, i + 1, i === 1 ? '{"n":"older"}' : null)),
    );
    expect(first).toEqual(missions.map(() => 'committed'));
    // A later highlight from another shard comes first when read.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = { ...eventCommit(missions[3]!, 'u3', 10, '{"n":"newer"}'), expectedTick: 1 };
    again.recordJson = record(missions[3]!, 2);
    await testAccess(store).scheduleMission(missions[3]!, 1);
    await store.claimDueMissions({ now: Date.now(), limit: 10, lockTtlMs: 10_000, token: 'w1' });
    expect(await store.commitTicks([again])).toEqual(['committed']);
    expect(await store.readEventBoard('e1', 2)).toEqual({
      progress: 1 + 2 + 3 + 4 + 10,
      goal: 100,
      status: 'running',
      top: [
        { userId: 'u3', contribution: 14 },
        { userId: 'u2', contribution: 3 },
      ],
      highlights: ['{"n":"newer"}', '{"n":"older"}'],
    });
    expect((await store.readEventBoard('e1', 0))?.progress).toBe(20);
    await store.deleteEventBoard('e1');
    expect(await store.readEventBoard('e1', 10)).toBeNull();
    for (let shard = 0; shard < SHARDS; shard++) {
      expect(await store.getValue(store.keys.eventProgressPart('e1', shard))).toBeNull();
    }
  });

  it('adds the parts to the progress and contributions the meter was rebuilt with', async () => {
    await store.restoreEventBoard('e1', {
      progress: 7,
      goal: 100,
      status: 'ending',
      top: [{ userId: 'u0', contribution: 7 }],
      highlights: ['{"n":"restored"}'],
    });
    await store.commitTicks([eventCommit(missions[0]!, 'u0', 2, '{"n":"tick"}')]);
    expect(await store.readEventBoard('e1', 5)).toEqual({
      progress: 9,
      goal: 100,
      status: 'ending',
      top: [{ userId: 'u0', contribution: 9 }],
      highlights: ['{"n":"tick"}', '{"n":"restored"}'],
    });
  });
});

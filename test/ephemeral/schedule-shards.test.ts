import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLUSTER_SLOTS, hashSlot, hashTagOf } from '../../src/ephemeral/hash-slot.js';
import { keyNames, scheduleShardTags } from '../../src/ephemeral/keys.js';
import { RedisStore } from '../../src/ephemeral/redis-store.js';
import { testAccess } from '../support/ephemeral-test-access.js';
import { uniqueName } from '../support/services.js';
import { testRedis } from './ephemeral-backends.js';

const SHARDS = 4;

describe('schedule shards in keys.ts', () => {
  it('computes the slot Redis Cluster computes (CLUSTER KEYSLOT values)', () => {
    expect(hashSlot('foo')).toBe(12_182);
    expect(hashSlot('123456789')).toBe(0x31c3 % CLUSTER_SLOTS);
    expect(hashSlot('{user1000}.following')).toBe(hashSlot('user1000'));
    expect(hashTagOf('a{}b')).toBe('a{}b');
  });

  it('gives each shard a tag in its own equal range of slots', () => {
    for (const shards of [1, 3, 16, 64]) {
      const tags = scheduleShardTags(shards);
      tags.forEach((tag, i) => {
        const slot = hashSlot(tag);
        expect(slot).toBeGreaterThanOrEqual(Math.floor((i * CLUSTER_SLOTS) / shards));
        expect(slot).toBeLessThan(Math.floor(((i + 1) * CLUSTER_SLOTS) / shards));
      });
    }
  });

  it("puts a mission's record, lock, schedule and outbox in one slot, and spreads missions over the shards", () => {
    const keys = keyNames('p:', SHARDS);
    const perShard = new Array(SHARDS).fill(0);
    for (let id = 1; id <= 4_000; id++) {
      const shard = keys.scheduleShardOf(String(id));
      perShard[shard]++;
      const slot = hashSlot(keys.missionsDue(shard));
      expect(hashSlot(keys.activeMission(String(id)))).toBe(slot);
      expect(hashSlot(keys.tickLock(String(id)))).toBe(slot);
      expect(hashSlot(keys.missionLogOutbox(shard))).toBe(slot);
    }
    for (const count of perShard) expect(count).toBeGreaterThan(800);
    expect(hashSlot(keys.viewer('u1'))).toBe(hashSlot(keys.viewerLastKnown('u1')));
  });

  it('refuses a prefix with a brace and a shard count out of range, with a clear error', () => {
    expect(() => keyNames('a{b}:')).toThrow(/may not contain/);
    expect(() => keyNames('', 0)).toThrow(/whole number from 1/);
    expect(() => keyNames('', 1.5)).toThrow(/whole number from 1/);
  });
});

describe(`the Redis store (${testRedis.name}) over ${SHARDS} schedule shards`, () => {
  let store: RedisStore;
  let prefix: string;
  beforeEach(() => {
    prefix = `${uniqueName('shards')}:`;
    store = new RedisStore({ url: testRedis.url, keyPrefix: prefix, scheduleShards: SHARDS });
  });
  afterEach(async () => {
    await store.close();
    await testRedis.deleteKeysWithPrefix(prefix);
  });

  it('claims the earliest due missions of all shards first, each once', async () => {
    for (let i = 0; i < 100; i++) await testAccess(store).scheduleMission(`m${i}`, 1_000 + i);
    const shardsUsed = new Set(Array.from({ length: 100 }, (_, i) => store.keys.scheduleShardOf(`m${i}`)));
    expect(shardsUsed.size).toBe(SHARDS);
    const first = await store.claimDueMissions({ now: 2_000, limit: 10, lockTtlMs: 60_000, token: 'w1' });
    expect(first.map((c) => c.missionId)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
    const rest = await Promise.all(
      Array.from({ length: 6 }, (_, w) =>
        store.claimDueMissions({ now: 2_000, limit: 30, lockTtlMs: 60_000, token: `w${w + 2}` }),
      ),
    );
    const all = [...first, ...rest.flat()].map((c) => c.missionId);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(100);
    expect((await store.scheduledMissionIds()).length).toBe(100);
  });

  it('commits ticks of missions in every shard, and the outbox hands out each row once, within the count', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => `o${i}`);
    for (const id of ids) await store.restoreActiveMission(id, `{"tick":0,"id":"${id}"}`, 1);
    const claimed = await store.claimDueMissions({
      now: Date.now(),
      limit: 100,
      lockTtlMs: 60_000,
      token: 't',
    });
    expect(claimed).toHaveLength(ids.length);
    const outcomes = await store.commitTicks(
      ids.map((id) => ({
        missionId: id,
        token: 't',
        expectedTick: 0,
        recordJson: `{"tick":1,"id":"${id}"}`,
        nextTickAt: 5_000,
        outboxRow: `row-${id}`,
      })),
    );
    expect(outcomes).toEqual(ids.map(() => 'committed'));
    expect(await store.outboxDepth()).toBe(ids.length);
    const seen: string[] = [];
    for (let read = 0; read < 20 && seen.length < ids.length; read++) {
      const batch = await store.readOutbox('a', 5);
      expect(batch.length).toBeLessThanOrEqual(5);
      seen.push(...batch.map((e) => e.row));
      await store.ackOutbox(batch.map((e) => e.id));
    }
    expect(seen.sort()).toEqual(ids.map((id) => `row-${id}`).sort());
    expect(await store.outboxDepth()).toBe(0);
    expect(await store.oldestOutboxEntryAt()).toBeNull();
  });

  it('refuses to acknowledge an entry id that names no shard', async () => {
    await expect(store.ackOutbox(['9/1-0'])).rejects.toThrow(/not an outbox entry id/);
    await expect(store.ackOutbox(['1-0'])).rejects.toThrow(/not an outbox entry id/);
  });
});
